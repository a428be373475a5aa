"""The words argparse prints itself (``usage:``, ``options``, its error lines), listed so that
``scripts/i18n`` extracts them into our catalogues.

argparse words them with :func:`gettext.gettext`, the process's global domain, exactly as
written here (Python 3.11's ``argparse.py``); :func:`workbench.i18n.use` points that domain at
our catalogues, so ``workbench --lang kk report --help`` is Kazakh throughout.
"""

from __future__ import annotations

from workbench.i18n import N_

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
)
