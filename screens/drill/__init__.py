"""The drill views: activities, funding and a responsible body's work."""
