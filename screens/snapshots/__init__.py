"""The snapshot list and the diff of two snapshots."""
