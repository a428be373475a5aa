"""Grant nodes, their details and amounts, and the printed totals checked against them."""

from __future__ import annotations

from workbench.dataset.text import clean, html_to_lines
from workbench.i18n import _
from workbench.ingest.document import DocumentBuilder, years_in
from workbench.ingest.grants.reader import _Grant, _Reader
from workbench.ingest.grants.texts import _amounts, _period, _split_targets

# (grant, printed year or None, tenge, printed text, line)
_Amount = tuple[_Grant, int | None, float, str, int]


def _grant_amounts(reader: _Reader) -> list[_Amount]:
    """Each grant's amounts: (grant, printed year or None, tenge, printed text, line)."""
    found: list[_Amount] = []
    for grant in reader.grants:
        text = " ".join(html_to_lines(grant.raw("amount")))
        for match in _amounts(text):
            value = reader.amount(match, grant.line)
            if value is None:
                continue
            year = int(match.group("year")) if match.group("year") else None
            found.append((grant, year, value, clean(match.group(0)), grant.line))
    return found


def _emit(builder: DocumentBuilder, reader: _Reader, amounts: list[_Amount], start: int) -> None:
    sections: dict[int, str] = {}
    for index, (line, name) in enumerate(reader.departments):
        if any(grant.department == index for grant in reader.grants):
            sections[index] = builder.add_node("section", name, line=line)
    sums: list[dict[int, float]] = []  # each grant's amounts by year
    for grant in reader.grants:
        parent = sections.get(grant.department) if grant.department is not None else None
        direction = grant.text("direction")
        area = grant.text("area")
        node = builder.add_node(
            "grant",
            direction or area or f"грант {grant.code}",
            parent=parent,
            code=grant.code,
            line=grant.line,
        )
        grant_type, period_raw = _period(grant.text("grant_type") or "")
        targets, results = _split_targets(grant.raw("targets"))
        builder.add_grant(
            node,
            area=area,
            direction=direction,
            problem=grant.text("problem"),
            grant_type=grant_type,
            period_raw=period_raw,
            territory=grant.text("territory"),
            targets=targets,
            expected_results=results,
            requirements=grant.text("requirements"),
        )
        if grant.text("problem") is None:
            builder.warn(grant.line, _("grant {code}: no problem text").format(code=grant.code))
        mine = [a for a in amounts if a[0] is grant]
        if not mine:
            builder.warn(grant.line, _("grant {code}: no amount").format(code=grant.code))
        years_of_period = years_in(period_raw or "") or years_in(grant.text("grant_type") or "")
        by_year: dict[int, float] = {}
        for _grant, year, value, raw, line in mine:
            comment = None
            if year is None:
                year = years_of_period[0] if years_of_period else start
                comment = (
                    "the amount is printed without a year: the first year of the grant's period"
                    if years_of_period
                    else "the amount is printed without a year: the plan's first year"
                )
            if year in by_year:
                builder.warn(
                    line,
                    _("grant {code}: a second amount for {year} is skipped").format(
                        code=grant.code, year=year
                    ),
                )
                continue
            by_year[year] = value
            builder.add_funding(
                node_id=node,
                year=year,
                source=None,
                kind="plan",
                amount=value,
                amount_raw=raw,
                comment=comment,
                line=line,
            )
        sums.append(by_year)
    _emit_totals(builder, reader, sums, sections)


def _emit_totals(
    builder: DocumentBuilder,
    reader: _Reader,
    sums: list[dict[int, float]],
    sections: dict[int, str],
) -> None:
    """The printed totals, each block checked against the grants it closes.

    One block of totals closes the whole list (plan-level rows). When every department closes
    with totals of its own, each block belongs to its department's section node.
    """
    if not reader.blocks:
        builder.warn(
            reader.last_line or None,
            _(
                "the grant list ends without its printed totals ('Итого:'): the document may be "
                "cut off here"
            ),
        )
        return
    first_grant = 0
    kept: set[tuple[str | None, int]] = set()
    for totals, end in reader.blocks:
        covered = range(first_grant, end)
        first_grant = end
        node: str | None = None
        comment = "printed total of the grant list (Итого)"
        if len(reader.blocks) > 1:
            departments = {reader.grants[i].department for i in covered}
            only = departments.pop() if len(departments) == 1 else None
            node = sections.get(only) if only is not None else None
            comment = "printed total of the department (Итого)"
        counted: dict[int, float] = {}
        for index in covered:
            for year, value in sums[index].items():
                counted[year] = counted.get(year, 0.0) + value
        seen: set[int] = set()
        for total in totals:
            if total.year in seen or (node, total.year) in kept:
                builder.warn(
                    total.line,
                    _("a second printed total for {year} is skipped").format(year=total.year),
                )
                continue
            seen.add(total.year)
            kept.add((node, total.year))
            builder.add_funding(
                node_id=node,
                year=total.year,
                source=None,
                kind="plan",
                amount=total.amount,
                amount_raw=total.raw,
                comment=comment,
                label=total.label,
                line=total.line,
            )
            grants_sum = counted.get(total.year, 0.0)
            if abs(grants_sum - total.amount) > 0.5:
                builder.warn(
                    total.line,
                    _(
                        "the printed total for {year} is {amount} tenge but the grants add up to "
                        "{grants_sum} tenge"
                    ).format(
                        year=total.year,
                        amount=format(total.amount, ",.0f"),
                        grants_sum=format(grants_sum, ",.0f"),
                    ),
                )
        where = totals[0].line if totals else reader.last_line
        for year in sorted(set(counted) - seen):
            builder.warn(
                where, _("grants have amounts for {year} but no total is printed").format(year=year)
            )
    if first_grant < len(reader.grants):
        builder.warn(
            reader.grants[first_grant].line,
            _("grants after the last printed totals are not counted in any total"),
        )
