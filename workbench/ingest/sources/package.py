"""An Office package (.docx, .xlsx: a zip of XML parts) read part by part, safely.

A damaged or hostile zip may claim gigabytes in a small file (a "zip bomb"): what the parts read
from one package may expand to is limited, checked against each part's stated size before it
is inflated (zipfile never returns more than that size). XML parts are parsed without resolving
entities or fetching anything. Every failure is one DocumentError saying the file is damaged.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from workbench.dataset.input_files import format_size
from workbench.errors import DocumentError
from workbench.i18n import _

# All the parts read from one package together; far above what a plan's text and tables take.
MAX_PACKAGE_EXPANDED = 256 * 1024 * 1024
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    OSError,
    RuntimeError,  # an encrypted part
    NotImplementedError,  # a compression method zipfile does not know
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


class Package:
    """An Office package (a zip of XML parts) read part by part, within
    :data:`MAX_PACKAGE_EXPANDED`; every failure is a DocumentError saying the file is damaged.

    ``damaged`` is the form's refusal, with ``{exc}`` where the reason goes.
    """

    def __init__(self, data: bytes, *, path: str, damaged: str) -> None:
        self.path = path
        self._damaged = damaged
        self._left = MAX_PACKAGE_EXPANDED
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = frozenset(self._zip.namelist())
        except _ZIP_ERRORS as exc:
            raise self.damaged(exc) from None

    def damaged(self, why: object) -> DocumentError:
        return DocumentError(self.path, self._damaged.format(exc=why))

    def read(self, name: str) -> bytes:
        try:
            info = self._zip.getinfo(name)
            if info.file_size > self._left:
                why = _(
                    "its part {part} would expand to {size}, more than the {limit} read from "
                    "one document"
                ).format(
                    part=name,
                    size=format_size(info.file_size),
                    limit=format_size(MAX_PACKAGE_EXPANDED),
                )
                raise self.damaged(why)
            self._left -= info.file_size
            return self._zip.read(info)
        except _ZIP_ERRORS as exc:
            raise self.damaged(exc) from None

    def xml(self, name: str) -> etree._Element:
        """A part parsed as XML (no entities resolved, nothing fetched)."""
        data = self.read(name)
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise self.damaged(exc) from None

    def close(self) -> None:
        self._zip.close()
