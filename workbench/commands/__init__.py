"""Subcommands of ``workbench``: one module each, with ``HELP``, ``add_arguments`` and ``run``.

A module is imported only when its command runs (``--help`` lists them from ``COMMANDS``), so
a command pays only for what it uses.
"""

from __future__ import annotations

from workbench.i18n import N_

# name -> (module, one-line help: English, translated where shown)
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("workbench.commands.ingest", N_("read documents into the canonical dataset")),
    "import": ("workbench.commands.import_plan", N_("open the import view on a document (screen)")),
    "validate": (
        "workbench.commands.validate",
        N_("check a dataset folder against the data contract"),
    ),
    "plans": ("workbench.commands.plans", N_("list the plans of a dataset")),
    "report": (
        "workbench.commands.report",
        N_("roll-ups and indicator statuses as text, Markdown, CSV or JSON"),
    ),
    "annotate": ("workbench.commands.annotate", N_("annotate a node, or edit an annotation")),
    "fact": ("workbench.commands.fact", N_("enter (or clear) the fact of an indicator for a year")),
    "polarity": (
        "workbench.commands.polarity",
        N_("set whether more or less of an indicator is better (or clear it)"),
    ),
    "undo": ("workbench.commands.undo", N_("undo the latest edit of the workspace")),
    "annotations": ("workbench.commands.annotations", N_("list the annotations of the workspace")),
    "snapshot": (
        "workbench.commands.snapshot",
        N_("create, list, export, import and diff snapshots"),
    ),
}
