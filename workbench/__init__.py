"""Plan Workbench core: documents in, canonical dataset out, statuses and edits.

Nothing in this package imports Textual; the screens live in the ``screens`` package.
Keep this module light: it is imported by every command.
"""

__version__ = "0.1.0"
