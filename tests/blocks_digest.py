"""A digest of the blocks the text-form readers give for the five samples, and of their rendering.

``python tests/blocks_digest.py [TREE]`` prints the digests of a tree's readers as JSON (run on
a checkout of the code they were written against to make tests/fixtures/blocks/samples.json);
tests/test_text_forms.py compares today's readers with that file, so a faster reader that gives
other blocks (another text, origin, span or row) fails.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

FORMS = ("text", "html", "web-text")


def _canonical(blocks: object) -> object:
    from workbench.ingest.sources.blocks import Blocks, Paragraph

    assert isinstance(blocks, Blocks)
    items: list[object] = []
    for item in blocks.items:
        if isinstance(item, Paragraph):
            items.append(["P", item.text, repr(item.origin)])
            continue
        rows = [
            [
                repr(row.origin),
                [
                    [c.text, repr(c.origin), c.rowspan, c.colspan, repr(c.merged_from)]
                    for c in row.cells
                ],
            ]
            for row in item.rows
        ]
        items.append(["T", repr(item.origin), repr(item.nested_in), rows])
    return [blocks.form, items, [[repr(origin), note] for origin, note in blocks.notes]]


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digests(root: Path) -> dict[str, dict[str, str]]:
    """Each sample's blocks in each form and their lines in each table style, as digests."""
    from tests.forms_helpers import html_page, web_text
    from workbench.dataset.text import read_lines
    from workbench.ingest import read_source
    from workbench.ingest.sources.html import read_html
    from workbench.ingest.sources.render import STYLES, render
    from workbench.ingest.sources.text import read_text_export
    from workbench.ingest.sources.webtext import read_web_text

    out: dict[str, dict[str, str]] = {}
    for path in sorted((root / "data" / "sources").glob("*.txt")):
        source = read_source(path)
        text = read_text_export(source.lines, path=path.name, sha256="")
        forms = {
            "text": text,
            "html": read_html(html_page(text), path=path.name, sha256=""),
            "web-text": read_web_text(tuple(read_lines(web_text(text))), path=path.name, sha256=""),
        }
        for form, blocks in forms.items():
            out.setdefault(path.name, {})[form] = _digest(_canonical(blocks))
            for style in STYLES:
                rendered = render(blocks, style)
                lines = [rendered.lines, [repr(origin) for origin in rendered.origins]]
                out[path.name][f"{form} {style}"] = _digest(lines)
    return out


if __name__ == "__main__":
    tree = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    sys.path.insert(0, str(tree.resolve()))
    print(json.dumps(digests(tree.resolve()), indent=1, sort_keys=True))
