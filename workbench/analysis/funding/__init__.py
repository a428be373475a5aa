"""Funding views: printed units and exact sums, the funding index, the views and the report
rows."""
