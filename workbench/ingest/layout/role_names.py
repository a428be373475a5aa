"""The column roles and value kinds of the layout reader, named in the analyst's language.

``workbench ingest --explain`` and the import view show each column's role. The mapping TOML
spells a role by its key (``unit``, ``estimate`` with ``year = 2010``), and that key stays
English in every language: outside English the key is shown beside the translated name, so an
analyst can copy it into the mapping.
"""

from __future__ import annotations

from workbench.i18n import N_, _, language

ROLE_NAMES: dict[str, str] = {
    "code": N_("code"),
    "indicator": N_("indicator"),
    "unit": N_("unit"),
    "responsible": N_("responsible"),
    "info_source": N_("information source"),
    "baseline": N_("baseline"),
    "value": N_("value"),
    "amount": N_("amount"),
    "measure": N_("measure"),
    "task": N_("task"),
    "goal": N_("goal"),
    "completion_form": N_("completion form"),
    "expected_result": N_("expected result"),
    "deadline": N_("deadline"),
    "funding_source": N_("funding source"),
    "comment": N_("comment"),
    "problem": N_("problem"),
    "territory": N_("territory"),
    "requirements": N_("requirements"),
    "grant_area": N_("grant area"),
    "grant_direction": N_("grant direction"),
    "grant_type": N_("grant type"),
    "other": N_("other, not read"),
}

KIND_NAMES: dict[str, str] = {
    "fact": N_("fact"),
    "estimate": N_("estimate"),
    "plan": N_("plan"),
    "target": N_("target"),
    "baseline": N_("baseline"),
}


def role_label(
    role: str, year: int | None = None, kind: str | None = None, *, with_key: bool = True
) -> str:
    """A column's role as the analyst reads it: ``2010 estimate``, ``amount 2021``, ``unit``;
    in ru/kk/ky the translated name and (``with_key``) the mapping's key: ``оценка 2010
    [estimate 2010]``."""
    if role == "value":
        key = f"{kind or '?'} {year or '?'}"
        english = f"{year or '?'} {kind}"
        shown = _("{kind} {year}").format(
            kind=_(KIND_NAMES[kind]) if kind in KIND_NAMES else kind or "?", year=year or "?"
        )
    elif role == "amount" and year is not None:
        key = english = f"amount {year}"
        shown = _("amount {year}").format(year=year)
    else:
        key = english = role
        shown = _(ROLE_NAMES[role]) if role in ROLE_NAMES else role
    if language() == "en" or shown == english:
        return english
    return f"{shown} [{key}]" if with_key else shown


def choice_label(choice: str) -> str:
    """A role or a value kind offered in a list (the import view's role dialog), translated."""
    if choice in KIND_NAMES:
        return _(KIND_NAMES[choice])
    return _(ROLE_NAMES[choice]) if choice in ROLE_NAMES else choice
