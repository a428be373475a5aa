"""Save a document's blocks in other forms, as an analyst's copy of it would come.

Each writer takes the blocks a text export reads into and writes them as web-page text (cells
between ``|`` lines, row boundaries lost), an HTML page, a Word .docx (python-docx) or an .xlsx
workbook (openpyxl). A row shorter than its table (a heading across the table, the half of a
row a page break split) has its last cell spanning to the table's width, as a table drawn in
Word or Excel would.
"""

from __future__ import annotations

import html
import io

import docx
import openpyxl

from workbench.ingest.sources.blocks import Blocks, Paragraph, Table


def _width(table: Table) -> int:
    return max(len(row.cells) for row in table.rows)


def web_text(blocks: Blocks) -> str:
    out: list[str] = []
    for item in blocks.items:
        if isinstance(item, Paragraph):
            out.append(item.text)
            continue
        cells = [cell.text for row in item.rows for cell in row.cells]
        if len(cells) == 1:  # a one-cell table shows as its text alone
            out.extend([*cells[0].split("\n"), ""])
            continue
        out.append("")
        for k, text in enumerate(cells):
            if k:
                out.append("|")
            out.extend(text.split("\n") if text.strip() else [""])
        out.append("")
    return "\n".join(out) + "\n"


def html_page(blocks: Blocks) -> str:
    out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'><title>plan</title>",
           "<style>td { border: 1px solid }</style><script>var x = '<table>';</script>",
           "</head><body>"]  # fmt: skip
    for item in blocks.items:
        if isinstance(item, Paragraph):
            out.append(f"<p>{html.escape(item.text)}</p>")
            continue
        width = _width(item)
        out.append("<table>")
        for row in item.rows:
            tds = []
            for k, cell in enumerate(row.cells):
                span = width - len(row.cells) + 1 if k == len(row.cells) - 1 else 1
                attr = f' colspan="{span}"' if span > 1 else ""
                text = "<br>".join(html.escape(line) for line in cell.text.split("\n"))
                tds.append(f"<td{attr}>{text}</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def docx_bytes(blocks: Blocks) -> bytes:
    document = docx.Document()
    for item in blocks.items:
        if isinstance(item, Paragraph):
            document.add_paragraph(item.text)
            continue
        width = _width(item)
        table = document.add_table(rows=len(item.rows), cols=width)
        for r, row in enumerate(item.rows):
            cells = table.rows[r].cells
            for k, cell in enumerate(row.cells):
                target = cells[k]
                if k == len(row.cells) - 1 and k < width - 1:
                    target = target.merge(cells[width - 1])
                lines = cell.text.split("\n")
                target.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    target.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(blocks: Blocks) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    r = 0
    for item in blocks.items:
        r += 1
        if isinstance(item, Paragraph):
            if item.text:
                sheet.cell(r, 1, item.text).data_type = "s"
            continue
        width = _width(item)
        for k, row in enumerate(item.rows):
            if k:
                r += 1
            for c, cell in enumerate(row.cells, start=1):
                written = sheet.cell(r, c, cell.text or None)
                written.data_type = "s"
            if len(row.cells) < width:
                sheet.merge_cells(start_row=r, start_column=len(row.cells), end_row=r,
                                  end_column=width)  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
