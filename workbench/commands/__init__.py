"""Subcommands of ``workbench``: one module each, with ``HELP``, ``add_arguments`` and ``run``.

A module is imported only when its command runs (``--help`` lists them from ``COMMANDS``), so
a command pays only for what it uses.
"""

from __future__ import annotations

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("workbench.commands.ingest", "read documents into the canonical dataset"),
    "import": ("workbench.commands.import_plan", "open the import view on a document (screen)"),
    "validate": ("workbench.commands.validate", "check a dataset folder against the data contract"),
    "plans": ("workbench.commands.plans", "list the plans of a dataset"),
    "report": (
        "workbench.commands.report",
        "roll-ups and indicator statuses as text, Markdown, CSV or JSON",
    ),
    "annotate": ("workbench.commands.annotate", "annotate a node, or edit an annotation"),
    "fact": ("workbench.commands.fact", "enter (or clear) the fact of an indicator for a year"),
    "undo": ("workbench.commands.undo", "undo the latest edit of the workspace"),
    "annotations": ("workbench.commands.annotations", "list the annotations of the workspace"),
    "snapshot": ("workbench.commands.snapshot", "create, list, export, import and diff snapshots"),
}
