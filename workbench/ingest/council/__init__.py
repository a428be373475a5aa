"""Council programme family: a city council's resolution approving a Kyrgyz city programme.

The sample is Kara-Balta's 2023-2026 programme (004), a Word export that LOST ITS CELL
BOUNDARIES: a table row is one physical line with its cells joined by plain spaces, and a cell of
several paragraphs goes on after blank lines. So the layout is read as *paragraphs* (non-blank
lines) that either start a row ("hard": directly after the previous line) or may continue one
("soft": after a blank line), and the cells of a row are found from their content:

- Resolution and title page: the approving resolution (date, number, council) becomes the plan's
  ``approved``; the programme title, city and period come from the resolution's subject; the
  mayoralty named on the title page is the plan's ``responsible``; the vision (КӨРҮНҮШ) and the
  strategic goal (СТРАТЕГИЯЛЫК МАКСАТ) are kept as ``narrative``.
- КЫСКАРТУУЛАР: one abbreviation and its meaning per line (a run of bare abbreviations is followed
  by their meanings in the same order) → ``abbreviations``.
- ``N-артыкчылык: …`` → ``direction`` nodes (the last printing wins over the table of contents).
- The action plan (header with "мөөнөтү" and "Жооптуу"): ``N. …`` headings are the directions,
  ``N.N. …`` the ``section`` nodes, a row starting with a number a ``task`` (its title and its
  first measure are split at the first sentence end, else before the last capitalised word that
  follows a verbal noun), every measure an ``activity`` node with its ``activities`` row. The
  deadline cell (``2023-2026-жж.``, ``2023 г.``, ``2023 –ж``, ``Жыл сайын``) anchors the row: the
  text before it is task and measure, the text after it expected result and responsible (the
  responsible starts at the first body name: "Мэрия", "Шаар мэриясы", an abbreviation such as
  "МС", "РИИБ", "Д.М" or «Name» КИ; a body named inside a sentence of the result is skipped). A
  measure row with no result and no responsible continues vertically merged cells: it takes them
  from the measure above it. Measure rows printed on a heading's line (a Russian row after
  ``1.3. …``) are activities of that section or direction.
- The annual implementation plan (a second action plan whose title names one year, e.g.
  "…2023-жылга … Мерчеми") is read the same way under its own top-level ``section`` node (code
  = the year, title = the printed title), so that its activities are never mixed with the
  programme's; its deadlines are read within that year.
- The monitoring matrix (header with "Индикатор" and "Базалык"): group headings are matched to
  the action plan's section with the most words in common (falling back to a section of their
  own); each numbered row gives a ``goal`` node (the "Маселе" cell) with its ``indicator`` node
  (the indicator's name; numbers in a name stay in the name). The values are the numeric cells
  the row ENDS with, split from the right: baseline (the header's base year), years 1-4 (the
  plan's first four years, kind ``plan``) and the final target (kind ``target``, the last plan
  year). A cell printed as ``50% / 20243 п.м.`` gives the value in the row's unit; ratios such as
  ``1:0,3`` keep their raw text. Sub-rows (``0 Төмөнкү парк 8371,4 …``) become child indicators
  of the row's indicator, which keeps no values of its own. A row whose cells cannot be split
  into six is warned about (with its line) and only its baseline and final target are kept.
- The small table of key figures after the matrix (``2021 (факт) 2022 (прогноз) …``) becomes
  indicators under a top-level section (``KEY_FIGURES_TITLE``): ``факт`` → fact, ``прогноз``
  before the plan period → estimate, within it → plan; units from the row or its footnote.

The same layout given with its cells (an HTML page, a .docx, an .xlsx, a text export with tabs)
is read from the document's blocks (:mod:`~workbench.ingest.council.blocks`): paragraphs for the
resolution, title page, priorities and headings, table rows × cells for the tables. The action
plan's and the matrix's columns are named by the layout engine (in any order, kk / ky / ru
headers) and each row read by its cells (:mod:`~workbench.ingest.council.cell_plan`,
:mod:`~workbench.ingest.council.cell_matrix`): wrapped cells, cells merged down the rows, a row
a page break split (the table going on after a page number, with or without its header printed
again) no longer depend on how the text was written out.

Footnote paragraphs (``[2] …`` at the end of the export) are not table rows and are skipped.
A document cut off inside a table keeps what was read and gets a warning naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.council.abbreviations import _abbreviations
from workbench.ingest.council.action_plan import _PlanContext, _Reader, _row_complete
from workbench.ingest.council.annual_plan import _annual_year, _check_annual_end
from workbench.ingest.council.blocks import _CellRow, _Item, document_items
from workbench.ingest.council.cell_matrix import matrix_columns, read_cell_matrix
from workbench.ingest.council.cell_plan import CellPlanReader, plan_columns
from workbench.ingest.council.key_figures import KEY_FIGURES_TITLE
from workbench.ingest.council.layout import _PRIORITY, _Para, _Row, _title, folded_text
from workbench.ingest.council.matrix import _MatrixReader
from workbench.ingest.council.meta import _meta
from workbench.ingest.council.plan_row import _find_deadline
from workbench.ingest.document import DocumentBuilder, ParsedDocument, Source

__all__ = ["FAMILY", "KEY_FIGURES_TITLE", "detect", "parse"]

FAMILY = "council-programme"

_NUMBER_CELL = re.compile(r"^(?:№|п\.?\s*/?\s*п\.?|№\s*п\.?\s*/?\s*п\.?)$", re.IGNORECASE)

_BASE_YEAR = re.compile(r"базалык\s+жыл\w*\s*\(\s*(20\d\d)", re.IGNORECASE)

_FOOTNOTE_TEXT = re.compile(r"^\[\d+\]\s+\S")


def _is_plan_header(folded: str) -> bool:
    return (
        len(folded) < 400
        and "мөөнөт" in folded
        and "жооптуу" in folded
        and ("тапшырма" in folded or "милдет" in folded or "чара" in folded)
    )


def _is_matrix_header(folded: str) -> bool:
    return len(folded) < 400 and "индикатор" in folded and "базалык" in folded


def _lines_with(text: str, word: str) -> Iterator[str]:
    """The lines of ``text`` (stripped, at most 3000 characters) that hold ``word``."""
    at = text.find(word)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        line = text[start:end].strip()
        if len(line) <= 3000:
            yield line
        at = text.find(word, end)


def detect(lines: Sequence[str], need: float = 0.0) -> float:
    """How much the text looks like a council programme (priorities, a resolution of the council,
    its action plan and monitoring matrix); scored in full whatever ``need`` is, as it is cheap."""
    # It runs for every document: the whole text is folded once (and kept for parse), and only
    # the lines holding a word the tests need are looked at.
    text = folded_text(lines)
    priorities = sum(1 for line in _lines_with(text, "артыкчылык") if _PRIORITY.match(line))
    resolution = any(True for _ in _lines_with(text, "токтом"))
    council = any(True for _ in _lines_with(text, "кеңеш"))
    plan = any(_is_plan_header(line) for line in _lines_with(text, "мөөнөт"))
    matrix = any(
        _is_matrix_header(line) or "матриц" in line for line in _lines_with(text, "индикатор")
    )
    score = 0.0
    if priorities >= 2:
        score += 0.35
    if resolution and council:
        score += 0.2
    if plan:
        score += 0.2
    if matrix:
        score += 0.25
    return min(score, 1.0)


def _table_title(items: Sequence[_Item], header: int) -> int:
    index = header - 1
    while index >= 0:
        item = items[index]
        if not (isinstance(item, _Para) and _NUMBER_CELL.match(item.text)):
            break
        index -= 1
    return max(index, 0)


def _item_text(item: _Item) -> str:
    return item.text if isinstance(item, _Para) else item.joined()


_PAGE_NUMBER = re.compile(r"^[-–—\s]*\d{1,4}[-–—\s]*$")


def _tables(items: Sequence[_Item]) -> list[tuple[str, int]]:
    """(kind, header index) of each action plan and monitoring matrix, in order."""
    tables: list[tuple[str, int]] = []
    if set(map(type, items)) <= {_Para}:
        # no table rows (an export that lost its cells): only the header tests decide, and
        # each needs its word, which most paragraphs lack
        for index in [
            i
            for i, item in enumerate(items)
            if "мөөнөт" in item.folded or "индикатор" in item.folded
        ]:
            folded = items[index].folded
            if _is_plan_header(folded):
                tables.append(("plan", index))
            elif _is_matrix_header(folded):
                tables.append(("matrix", index))
        return tables
    previous_table = -1
    after_table = False  # only page numbers since the last table row
    for index, item in enumerate(items):
        if isinstance(item, _CellRow):
            if item.table == previous_table:
                after_table = True
                continue  # a table's own header is in its first rows; a repeated one is skipped
            kind = None
            if plan_columns(item) is not None:
                kind = "plan"
            elif _is_matrix_header(item.folded):
                kind = "matrix"
            if kind is not None and not (after_table and tables and tables[-1][0] == kind):
                tables.append((kind, index))
            if kind is not None:
                previous_table = item.table
            after_table = True
            continue
        if after_table and not _PAGE_NUMBER.match(item.text):
            after_table = False
        folded = item.folded
        # each header test needs its word: most paragraphs hold neither
        if len(folded) >= 400 or ("мөөнөт" not in folded and "индикатор" not in folded):
            continue
        if _is_plan_header(folded):
            tables.append(("plan", index))
        elif _is_matrix_header(folded):
            tables.append(("matrix", index))
    return tables


def _matrix_rows(body: Sequence[_Item]) -> list[_Para | _Row]:
    """A matrix's body: paragraphs as printed, a table row as one row of its cells."""
    out: list[_Para | _Row] = []
    for item in body:
        if isinstance(item, _Para):
            out.append(item)
            continue
        paras = [
            _Para(cell.text, cell.line, index == 0, "")
            for index, cell in enumerate(c for c in item.cells if c.text and not c.covered)
        ]
        if paras:
            out.append(_Row(paras))
    return out


def parse(source: Source) -> ParsedDocument:
    # the deadlines found are kept for one document only (a benchmark reading the same document
    # again must not find them ready)
    _find_deadline.cache_clear()
    paras, items = document_items(source)
    if not paras and not items:
        raise DocumentError(source.path, _("the document is empty: expected a council programme"))
    meta = _meta(paras, source.path)
    builder = DocumentBuilder(FAMILY, source, meta)
    reader = _Reader(builder, meta)
    _abbreviations(paras, builder)
    reader.add_priorities(paras)

    tables = _tables(items)
    if not tables:
        raise DocumentError(
            source.path,
            _("expected the action plan (a table headed by «… мөөнөтү … Жооптуу …»)"),
        )
    main_sections: list[str] = []
    seen_plan = seen_matrix = False
    last_row: _Row | None = None
    last_kind = ""
    last_incomplete = False
    for number, (kind, header) in enumerate(tables):
        title_index = _table_title(items, header)
        title = _item_text(items[title_index])
        title_line = items[title_index].line
        end = _table_title(items, tables[number + 1][1]) if number + 1 < len(tables) else len(items)
        body = [
            p for p in items[header + 1 : end]
            if not (
                isinstance(p, _Para) and p.text[:1] == "[" and _FOOTNOTE_TEXT.match(p.text)
            )
        ]  # fmt: skip
        header_item = items[header]
        if kind == "matrix":
            match = _BASE_YEAR.search(_item_text(header_item))
            base_year = int(match.group(1)) if match else meta.period_start - 1
            matrix = _MatrixReader(reader, base_year)
            columns = matrix_columns(header_item) if isinstance(header_item, _CellRow) else None
            if columns is not None:
                last_row = read_cell_matrix(matrix, body, _title(title), columns)
            else:
                last_row = matrix.read(_matrix_rows(body), _title(title))
            last_incomplete = matrix.last_row_short
            seen_matrix = True
        else:
            annual = _annual_year(title, meta)
            if seen_plan and annual is None:
                annual = meta.period_start
            if annual is None:
                ctx = _PlanContext(
                    None, reader.directions, reader.sections, reader.section_titles,
                    meta.period_start, meta.period_end,
                )  # fmt: skip
            else:
                root = builder.add_node("section", _title(title), code=str(annual), line=title_line)
                ctx = _PlanContext(root, {}, {}, {}, annual, annual)
            if isinstance(header_item, _CellRow):
                plan_cols = plan_columns(header_item)
                assert plan_cols is not None
                last_item = CellPlanReader(reader, ctx, plan_cols).read(body)
                last_row = None
                last_incomplete = False
                if last_item is not None:
                    last_row = _Row([_Para(_item_text(last_item), last_item.line, True)])
            else:
                last_row = reader.read_plan([p for p in body if isinstance(p, _Para)], ctx)
                last_incomplete = last_row is not None and not _row_complete(last_row.text())
            if annual is None:
                main_sections = list(ctx.sections)
            elif last_row is not None and number + 1 == len(tables):
                _check_annual_end(builder, ctx, main_sections, last_row)
            seen_plan = True
        last_kind = kind
    if last_row is not None and last_incomplete:
        table = "monitoring matrix" if last_kind == "matrix" else "action plan"
        builder.warn(
            last_row.last_line,
            _(
                "the document stops inside the {table}: the row at line {line} is incomplete "
                "(cut off at line {last_line})"
            ).format(table=table, line=last_row.line, last_line=last_row.last_line),
        )
    if seen_plan and not seen_matrix:
        builder.warn(
            items[-1].line,
            _("no monitoring matrix: the document ends at line {line} (cut off?)").format(
                line=items[-1].line
            ),
        )
    return builder.build()
