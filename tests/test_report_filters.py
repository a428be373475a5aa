"""``workbench report`` filters (issue 18, "never hide, never mislabel"): bodies and sources are
read in any of the documents' spellings, a value that names nothing is an error listing the known
ones, ``--source`` narrows the funding view in every format, and ``--as-of`` reads the date as an
analyst types it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from workbench.analysis.vocabulary_filter import FilterValueError, resolve_codes
from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.errors import ValidationError
from workbench.workspace.edit_checks import parse_date

DATA = Path(__file__).resolve().parent.parent / "data" / "plans"


pytestmark = pytest.mark.usefixtures("isolated")


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", "--data", str(DATA), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def activity_rows(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    code, out, err = report(
        capsys, "--view", "activities", "--format", "csv", "--as-of", "2026-05-01", *args
    )
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_a_source_is_matched_by_its_printed_abbreviation_code_and_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    by_code = activity_rows(capsys, "--source", "republican")
    assert len(by_code) == 24
    for spelling in ("РБ", "рб", "республикалық бюджет", "Республикалык бюджет", "REPUBLICAN"):
        assert activity_rows(capsys, "--source", spelling) == by_code, spelling


def test_a_body_is_matched_by_its_name_in_either_language_or_a_part_of_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    by_code = activity_rows(capsys, "--body", "culture")
    assert len(by_code) == 97  # what the body view counts for мәдениет
    for spelling in ("мәдениет", "МӘДЕНИЕТ", "маданият", "мәдени"):
        assert activity_rows(capsys, "--body", spelling) == by_code, spelling


@pytest.mark.parametrize(
    ("view", "option", "value", "listed"),
    [
        ("activities", "--source", "nonsense", "republican (республикалық бюджет"),
        ("activities", "--body", "nonsense", "culture (мәдениет"),
        ("funding", "--source", "nonsense", "local (жергілікті бюджет"),
    ],
)
def test_a_filter_value_that_names_nothing_is_an_error_listing_the_known_ones(
    capsys: pytest.CaptureFixture[str], view: str, option: str, value: str, listed: str
) -> None:
    code, out, err = report(capsys, "--view", view, option, value)
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert repr(value) in err and listed in err


def test_funding_source_filter_applies_to_the_text_and_csv(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, everything, _ = report(capsys, "--view", "funding")
    assert code == 0
    code, text, err = report(capsys, "--view", "funding", "--source", "РБ")
    assert code == 0
    assert text != everything
    assert "республикалық бюджет" in text
    assert "жергілікті бюджет" not in text  # the local budget's row is left out
    assert "Zhezkazgan" not in text  # no republican money there
    assert "zhezkazgan" not in err  # nor its printed totals' warnings
    code, out, _ = report(capsys, "--view", "funding", "--source", "РБ", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["source"] for r in rows if r["row_type"] != "computed_total"} == {"republican"}


def test_resolve_codes_keeps_codes_as_they_are() -> None:
    tables = parquet_folder.read(DATA)
    assert resolve_codes(tables, "funding", ["local", "РБ"]) == ("local", "republican")
    assert resolve_codes(tables, "body", []) == ()
    with pytest.raises(FilterValueError):
        resolve_codes(tables, "body", ["   "])


@pytest.mark.parametrize(
    ("text", "day"),
    [("01.05.2026", "2026-05-01"), ("1.5.2026", "2026-05-01"), (" 2026-05-01 ", "2026-05-01")],
)
def test_a_date_is_read_day_first_or_iso(text: str, day: str) -> None:
    assert parse_date(text).isoformat() == day


@pytest.mark.parametrize("text", ["2026/05/01", "May 1", "31.02.2026", "2026-5-1", "01.05.26"])
def test_other_dates_are_refused_with_what_was_expected(text: str) -> None:
    with pytest.raises(ValidationError, match=r"expected DD\.MM\.YYYY or YYYY-MM-DD|no such day"):
        parse_date(text)


def test_as_of_takes_the_dotted_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, "--view", "activities", "--as-of", "01.05.2026")
    assert code == 0
    assert out.startswith("Activities as of 2026-05-01")
    code, out, err = report(capsys, "--view", "activities", "--as-of", "soon")
    assert code == 1
    assert "Invalid isoformat" not in err and "DD.MM.YYYY" in err
