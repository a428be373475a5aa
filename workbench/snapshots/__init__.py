"""Snapshots: the state of the monitoring frozen under a name, exported to TOML and CSV.

One module per job; import each name from its own module (this package re-exports nothing):

- :mod:`~workbench.snapshots.model` — the parts' schemas, :class:`Snapshot`, ``check_name``
- :mod:`~workbench.snapshots.create` — ``build``, ``create``, ``load``
- :mod:`~workbench.snapshots.toml_write` — ``write_toml``, ``to_toml``
- :mod:`~workbench.snapshots.toml_read` — ``read_file``, ``parse_toml``
  (with :mod:`~workbench.snapshots.toml_years`, the years read in bulk)
- :mod:`~workbench.snapshots.csv_export` — ``write_csv``, ``csv_values_text``, ``csv_paths``
- :mod:`~workbench.snapshots.files` — atomic writing, what ``--force`` may replace
- :mod:`~workbench.snapshots.export` — ``export`` (all plans or some)
- :mod:`~workbench.snapshots.importing` — ``import_file``, ``import_snapshot`` (checked)
- :mod:`~workbench.snapshots.diff` — ``diff``, ``SnapshotDiff``
"""
