"""Status names, glyphs and labels: no Polars here, so a screen can draw before the data loads.

Every status has a glyph as well as a colour, so it reads without colour (NO_COLOR, 16-colour
terminals, colour-blind users). (Imported from here, not from :mod:`workbench.analysis.status`.)
"""

from __future__ import annotations

from workbench.i18n import N_

STATUSES = ("met", "at_risk", "off_track", "no_data")
# English, marked for the catalogues: translated where shown (the status keys are data).
STATUS_LABELS = {
    "met": N_("met"),
    "at_risk": N_("at risk"),
    "off_track": N_("off track"),
    "no_data": N_("no data"),
}
GLYPHS = {"met": "●", "at_risk": "◐", "off_track": "✖", "no_data": "○"}
ANNOTATED_GLYPH = "✎"
CLAIM_GLYPH = "!"
# Worst first: the order in which deviations are listed.
SEVERITY = {"off_track": 0, "at_risk": 1, "met": 2, "no_data": 3}
