"""What the views show, computed from the dataset: statuses, the catalog, the outline,
activities, funding, links between them and the reports."""
