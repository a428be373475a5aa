"""Reading documents: one module per document family, detection, and the shared helpers.

Each family module has ``FAMILY`` (its name), ``detect(lines) -> float`` (0 when the text is not
of that family, up to 1 when it surely is; from the layout and content, never the file name) and
``parse(source) -> ParsedDocument``.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from workbench.dataset.text import read_lines
from workbench.errors import DocumentError
from workbench.ingest.document import ParsedDocument, Source
from workbench.ingest.text import decode_bytes

# A document must look at least this much like a family to be read as one.
DETECTION_THRESHOLD = 0.5


FAMILY_MODULES = ("report", "devplan", "mayoralty", "grants", "council")


def families() -> list[ModuleType]:
    """The family modules, in a fixed order."""
    return [importlib.import_module(f"workbench.ingest.{name}") for name in FAMILY_MODULES]


def read_source(path: str | Path) -> Source:
    """Read and decode a document file; DocumentError when it cannot be read as text."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise DocumentError(name, "is a folder, expected a document file") from None
    except FileNotFoundError:
        raise DocumentError(name, "no such file") from None
    except OSError as exc:
        raise DocumentError(name, f"cannot be read ({exc.strerror})") from None
    return source_from_bytes(data, name)


def source_from_bytes(data: bytes, path: str) -> Source:
    text = decode_bytes(data, path)
    lines = tuple(read_lines(text))
    return Source(
        path=path, text="\n".join(lines), sha256=hashlib.sha256(data).hexdigest(), lines=lines
    )


def detect_family(source: Source) -> ModuleType:
    """The family whose layout the document follows; DocumentError when none does."""
    scored = sorted(
        ((module.detect(source.lines), index, module) for index, module in enumerate(families())),
        key=lambda item: (-item[0], item[1]),
    )
    best_score, _, best = scored[0]
    if best_score < DETECTION_THRESHOLD:
        raise DocumentError(
            source.path,
            "not a plan document of a known family (expected a monitoring report, a development "
            "plan, a mayoralty or council programme, or a grant list)",
        )
    return best


def parse_source(source: Source) -> ParsedDocument:
    document: ParsedDocument = detect_family(source).parse(source)
    return document


def parse_file(path: str | Path) -> ParsedDocument:
    return parse_source(read_source(path))


def parse_files(paths: Sequence[str | Path]) -> list[ParsedDocument]:
    return [parse_file(path) for path in paths]
