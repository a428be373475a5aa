"""The development-plan and mayoralty detectors search a document's text at once and try only
the lines that hold their words; they must score exactly what trying every line scores.

The long way is written out here as the definition (each line stripped and folded; a label
counts once, in the order the document first prints it; lines over 400 characters are prose),
and both ways are run on the samples in every layout and on documents made of tricky lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.forms_helpers import docx_bytes
from workbench.dataset.text import fold, normalize_lines
from workbench.ingest import devplan, mayoralty, read_source, source_from_bytes
from workbench.ingest.columns import header_cells
from workbench.ingest.devplan.items import _INDICATOR_RE, _NI_RE, _NUI_RE
from workbench.ingest.sources.render import STYLES, render
from workbench.ingest.sources.text import read_text_export
from workbench.ingest.vocabulary import funding_codes

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"

_LABELS = (
    (0.15, re.compile(r"^\s*(?:\d\.\s*)?(?:төлқұжат|паспорт)\b")),
    (0.15, re.compile(r"негізгі сипаттамалар|основные характеристики")),
    (0.1, re.compile(r"^(?:қажетті ресурстар|необходимые ресурсы)")),
    (0.1, re.compile(r"^(?:бағыттар, мақсаттар|направления, цели)")),
    (0.1, re.compile(r"^(?:ақпарат көз|источник информации)")),
    (0.1, re.compile(r"^(?:жоспарлы көрсеткіштер|плановые показатели)")),
    (0.05, re.compile(r"^(?:есепті жыл|отчетный год)")),
    (0.05, re.compile(r"^(?:ағымдағы жылдың жоспары|план текущего года)")),
    (0.1, re.compile(r"даму жоспары|план развития")),
)


def devplan_line_by_line(lines: Sequence[str]) -> float:
    score = 0.0
    seen: set[int] = set()
    codes = indicators = 0
    for line in lines:
        text = line.strip()
        if not text or len(text) > 400:
            continue
        folded = fold(text)
        for index, (weight, pattern) in enumerate(_LABELS):
            if index not in seen and pattern.search(folded):
                seen.add(index)
                score += weight
        if _NUI_RE.match(text) or _NI_RE.match(text):
            codes += 1
        elif _INDICATOR_RE.match(text):
            indicators += 1
    if codes >= 3:
        score += 0.2
    if indicators >= 3:
        score += 0.1
    return min(score, 1.0)


def mayoralty_row_by_row(lines: Sequence[str]) -> float:
    def header(line: str) -> bool:
        if "\t" not in line:
            return False
        found = set(header_cells(line.split("\t"), mayoralty._HEADER_WORDS)) - {"number"}
        return len(found) >= 4 and {"measure", "deadline"} <= found

    header_at = next((i for i, line in enumerate(lines[:200]) if header(line)), None)
    if header_at is None:
        return 0.0
    if mayoralty._council_act(lines[:header_at]):
        return 0.3
    score = 0.6
    numbered = deadlines = funded = 0
    for line in lines[header_at + 1 :]:
        if "\t" not in line:
            continue
        cells = line.split("\t")
        if len(cells) >= 5 and mayoralty._NUMBER.match(cells[0].strip()):
            numbered += 1
        if mayoralty._DEADLINE_HINT.search(fold(line)):
            deadlines += 1
        if funding_codes(next((cell for cell in reversed(cells) if cell.strip()), "")):
            funded += 1
    return min(score + 0.2 * (numbered >= 2) + 0.1 * (deadlines >= 2) + 0.1 * (funded >= 2), 1.0)


def _layouts() -> list[tuple[str, list[str]]]:
    """Every sample as its text export and as its blocks written in each table layout, and the
    Zhezkazgan plan read back from a .docx."""
    out = []
    for path in sorted(SOURCES.glob("*.txt")):
        source = read_source(path)
        out.append((path.name, list(source.lines)))
        blocks = read_text_export(source.lines, path=source.path, sha256=source.sha256)
        for style in STYLES:
            out.append((f"{path.name} {style}", normalize_lines(render(blocks, style).lines)))
    plan = SOURCES / "001_b5c11f052baa7846.txt"
    blocks = read_text_export(read_source(plan).lines, path="p", sha256="0")
    docx = source_from_bytes(docx_bytes(blocks), "plan.docx")
    out.append(("plan.docx", list(docx.lines)))
    return out


LAYOUTS = _layouts()


@pytest.mark.parametrize("name,lines", LAYOUTS, ids=[name for name, _ in LAYOUTS])
def test_both_detectors_score_each_sample_layout_as_line_by_line(
    name: str, lines: list[str]
) -> None:
    assert devplan.detect(lines) == devplan_line_by_line(lines), name
    assert mayoralty.detect(lines) == mayoralty_row_by_row(lines), name


def test_the_samples_of_both_families_are_told_as_before() -> None:
    plan = dict(LAYOUTS)["001_b5c11f052baa7846.txt"]
    programme = dict(LAYOUTS)["002_3919e70ca7955aea.txt"]
    assert devplan.detect(plan) == 1.0 and mayoralty.detect(plan) == 0.0
    assert mayoralty.detect(programme) == 1.0 and devplan.detect(programme) < 0.5


# Lines that hold a family's words where they count and where they do not.
DEVPLAN_LINES = [
    "1. Төлқұжат",
    "Паспорт программы",
    "текст о паспорте",
    "\tӨңірдің негізгі сипаттамалары",
    "Қажетті ресурстар",
    "  БАҒЫТТАР, МАҚСАТТАР, нысаналы индикаторлар",
    "жоспарлы көрсеткіштер",
    "Жоспарлы көрсеткіштер мен есепті жыл",
    "Есепті жыл",
    "Отчетныи\u0306 год",  # "й" printed as two characters
    "Отчетный год",
    "ағымдағы жылдың жоспары (фактісі)",
    "Жезқазған қаласының 2026-2030 жылдарға арналған даму жоспары",
    "x" * 390 + " даму жоспары",
    "ақпарат көзі " + "y" * 400,
    "НҰИ –6 Өңірлік өнім",
    "НИ - 1 Инвестиция",
    "ЦИ",
    "ЕКІНШІ НИЕТ",
    "1.1 көрсеткіш. Оқушылар",
    ".1 КӨРСЕТКІШ",
    "2.3 показатель доля",
    "көрсеткіш 1.1",
    "",
    "   ",
    "НИ 1\nНИ 2",  # a line holding a line break is still one line
    "Паспорт\nЕсепті жыл",
]

MAYORALTY_LINES = [
    "№\tМилдеттер\tЧаралар/аракеттер\tИшке ашыруу мөөнөтү\tКүтүлгөн натыйжалар\t"
    "Жооптуу аткаруучулар\tКаржылоо булагы",
    "№\tМилдеттер\t&#1063;аралар\tИшке ашыруу мөөнөтү\tКүтүлгөн натыйжалар\tЖооптуу",
    "№\tМилдеттер\tЧа\u200bралар\tМөөнөтү\tНатыйжалар\tЖооптуу аткаруучулар",
    "№\tЗадачи\tМероприятия\tСрок\tРезультат\tОтветственные",
    "Чаралар жана мөөнөттөр",
    "1\tТаза суу\tСуу түтүгүн оңдоо\t2026-жыл ичинде\tСуу\tМэрия\tЖергиликтүү бюджет",
    "2.\tЖолдор\tЖолду оңдоо\tI квартал\tЖол\tМэрия\tРеспубликалык бюджет",
    "\tКошумча чара\tII квартал\t\t\tДемөөрчүлөр",
    "Таш-Көмүр шаардык кеңешинин №7 токтому",
    "Текст",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(DEVPLAN_LINES + MAYORALTY_LINES), max_size=40))
def test_both_detectors_score_made_up_documents_as_line_by_line(lines: list[str]) -> None:
    assert devplan.detect(lines) == devplan_line_by_line(lines)
    assert mayoralty.detect(lines) == mayoralty_row_by_row(lines)


def test_a_header_word_hidden_by_an_entity_or_a_zero_width_space_is_still_found() -> None:
    # Cleaning a cell decodes entities and drops invisible characters: the quick search of the
    # text must not rule such a header out.
    rows = MAYORALTY_LINES[5:7]
    for header in MAYORALTY_LINES[1:3]:
        assert mayoralty.detect([header, *rows]) == mayoralty_row_by_row([header, *rows]) >= 0.6
