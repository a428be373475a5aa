"""The lowest layer: the dataset contract, reading and writing its Parquet folder, validation,
the plan hierarchy, and the text and number helpers every layer above shares."""
