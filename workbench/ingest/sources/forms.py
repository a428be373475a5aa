"""Which form a document's bytes are in, and reading them into blocks.

The form is told from the content, never the file name: a zip package holding
``word/document.xml`` is a Word file, one holding ``xl/workbook.xml`` an Excel workbook; text
that opens as an HTML page (or a fragment holding a table) is HTML; text whose table cells stand
between ``|`` lines is web-page text; any other text is a Word text export. Formats no reader
here understands (old binary .doc/.xls, PDF, other archives) are named in the refusal.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

from workbench.errors import DocumentError
from workbench.ingest.sources.blocks import Blocks

_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)  # fmt: skip
_HTML_FRAGMENT = re.compile(r"^\s*<[a-z!]", re.IGNORECASE)
_HTML_TABLE = re.compile(r"<table\b", re.IGNORECASE)


def binary_form(data: bytes, path: str) -> str | None:
    """``docx`` or ``xlsx`` for an Office package, None for anything else that may be text.

    DocumentError for a damaged package and for binary formats that are not read.
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise _refused(
                path, "a zip package (.docx or .xlsx)", f"it is damaged ({exc})"
            ) from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise _refused(
            path, "a zip archive", "it holds neither a Word document nor an Excel workbook"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _refused(
            path, "an old binary Word or Excel file (.doc/.xls)", "save it as .docx or .xlsx"
        )
    if data.startswith(b"%PDF-"):
        raise _refused(path, "a PDF", "PDF is not read: save it as .docx, HTML or text")
    return None


def _refused(path: str, form: str, why: str) -> DocumentError:
    return DocumentError(path, f"read as {form}, but {why}")


def text_form(text: str, lines: Sequence[str]) -> str:
    """``html``, ``web-text`` or ``text`` for decoded text."""
    head = text[:4096]
    if _HTML_START.match(head):
        return "html"
    if _HTML_FRAGMENT.match(head) and _HTML_TABLE.search(text):
        return "html"
    if looks_like_web_text(lines):
        return "web-text"
    return "text"


def looks_like_web_text(lines: Sequence[str]) -> bool:
    """Table cells between ``|`` (on lines of their own or between cells on one line), and no
    tab-export table cells."""
    # Counted over the lines that hold a ``|`` or a tab alone where it can be: most lines of a
    # text export hold neither, and a text with no ``|`` is none.
    bars = sum(1 for line in lines if "|" in line and _is_bar_line(line))
    if bars < 3:
        return False
    filled = sum(map(bool, map(str.strip, lines)))
    tabs = sum(1 for line in lines if "\t" in line and line.strip() and not _is_bar_line(line))
    return bars * 8 >= filled and tabs * 4 < bars


def _is_bar_line(line: str) -> bool:
    """A ``|`` alone, or cells with a ``|`` between them."""
    stripped = line.strip()
    return stripped == "|" or " | " in line or stripped.endswith(" |") or stripped.startswith("| ")


def read_binary(form: str, data: bytes, *, path: str, sha256: str) -> Blocks:
    if form == "docx":
        from workbench.ingest.sources.docx import read_docx

        return read_docx(data, path=path, sha256=sha256)
    from workbench.ingest.sources.xlsx import read_xlsx

    return read_xlsx(data, path=path, sha256=sha256)


def read_text_form(form: str, text: str, lines: Sequence[str], *, path: str, sha256: str) -> Blocks:
    if form == "html":
        from workbench.ingest.sources.html import read_html

        return read_html(text, path=path, sha256=sha256)
    if form == "web-text":
        from workbench.ingest.sources.webtext import read_web_text

        return read_web_text(lines, path=path, sha256=sha256)
    from workbench.ingest.sources.text import read_text_export

    return read_text_export(lines, path=path, sha256=sha256)
