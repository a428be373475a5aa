"""An entered fact is a number as the documents print it, in the indicator's unit: trailing
words are compared with the unit and a scale word is applied, never dropped (issue 17, item 5).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from workspace_data import HOUSING, KB, KB_INDICATOR, TARAZ, UNEMPLOYMENT
from workspace_data import write as write_data

from workbench.cli import main
from workbench.dataset import parquet_folder
from workbench.errors import ValidationError
from workbench.workspace import store
from workbench.workspace.edit_checks import parse_fact_value

REFUSED = [
    # (typed, indicator's unit, what the message says)
    ("1e5", "км", "read '1e5' as 1 followed by 'e5', which is not the indicator's unit 'км'"),
    ("1e309", "км", "read '1e309' as 1 followed by 'e309'"),
    ("2.5e3", "км", "read '2.5e3' as 2,5 followed by 'e3'"),
    ("3 млрд", "км", "read '3 млрд' as 3 followed by 'млрд' (× 1\u202f000\u202f000\u202f000)"),
    ("5 kg", "км", "read '5 kg' as 5 followed by 'kg', which is not the indicator's unit 'км'"),
    ("7 штук", "Бір.", "read '7 штук' as 7 followed by 'штук'"),
    ("3 млрд тенге", "млн. сом", "which is not the indicator's unit 'млн. сом'"),
    ("5 мың", "100 мың тұрғынға шаққанда", "not an amount"),
    ("50%", "км", "read '50%' as 50 percent, but the indicator's unit is 'км'"),
    ("50%", None, "the indicator has no unit"),
    ("5 kg", None, "the indicator has no unit: enter the number alone"),
    ("-", "км", "clear it instead"),
    ("", "км", "is not a number"),
    ("abc", "км", "is not a number"),
    ("1.291,0", "км", "is not a number"),
    ("1" + "0" * 300 + " млрд", "тенге", "too large for a fact"),
]
_IDS = [f"{raw[:12]} in {unit}" for raw, unit, _ in REFUSED]


@pytest.mark.parametrize(("raw", "unit", "message"), REFUSED, ids=_IDS)
def test_a_fact_that_is_not_a_plain_number_in_the_unit_is_refused(
    raw: str, unit: str | None, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_fact_value(raw, unit)
    assert message in str(caught.value)


READ = [
    ("100,6", "км", 100.6),
    ("1 291,0", "мың м²", 1291.0),
    ("31.0", None, 31.0),
    ("5 км", "км", 5.0),
    ("5 КМ.", "км", 5.0),  # case and a final dot aside
    ("1291 м2", "м²", 1291.0),  # ² and 2 alike
    ("5 п. м.", "п.м.", 5.0),
    ("1291 м²", "мың м²", 1.291),  # the scale applied
    ("5 000 тыс. сом", "млн. сом", 5.0),
    ("5 млн", "млн. сом", 5.0),
    ("3 млрд", "млрд тенге", 3.0),
    ("2 млрд", "тенге", 2_000_000_000.0),
    ("5 мың", "Мың адам", 5.0),
    ("50%", "%", 50.0),
    ("50 %", "% өткөн жылга карата", 50.0),
    ("-2,5", "%", -2.5),
    ("1:0,3", None, 0.3),
]


@pytest.mark.parametrize(("raw", "unit", "value"), READ)
def test_a_fact_as_the_documents_print_it_is_read(raw: str, unit: str | None, value: float) -> None:
    assert parse_fact_value(raw, unit) == value


@pytest.mark.parametrize(
    ("node", "raw", "message"),
    [
        (UNEMPLOYMENT, "1e5", "read '1e5' as 1 followed by 'e5', which is not the indicator's"),
        (KB_INDICATOR, "3 млрд", None),  # сом is an amount: 3 000 000 000 сом
        (KB_INDICATOR, "5 kg", "read '5 kg' as 5 followed by 'kg'"),
        (HOUSING, "7 штук", "read '7 штук' as 7 followed by 'штук'"),
    ],
)
def test_the_command_saves_only_what_it_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, node: str, raw: str, message: str | None
) -> None:
    data = write_data(tmp_path / "data")
    ws = tmp_path / "ws.sqlite3"
    plan = KB if node == KB_INDICATOR else TARAZ
    year = "2024" if plan == KB else "2017"
    code = main(
        ["fact", "--plan", plan, "--node", node, "--year", year, "--value", raw,
         "--workspace", str(ws), "--data", str(data)]
    )  # fmt: skip
    out, err = capsys.readouterr()
    if message is None:
        assert code == 0 and "saved fact 3\u202f000\u202f000\u202f000 сом" in out
        return
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and message in err, err
    assert not ws.exists()


def test_the_workspace_applies_the_same_check(tmp_path: Path) -> None:
    """The screen's form saves through Workspace.enter_fact: the same parser refuses."""
    data = write_data(tmp_path / "data")
    with store.open_workspace(tmp_path / "ws.sqlite3", dataset=parquet_folder.read(data)) as ws:
        with pytest.raises(ValidationError, match="followed by 'e5'"):
            ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "1e5")
        with pytest.raises(ValidationError, match="followed by 'млрд'"):
            ws.enter_fact(TARAZ, UNEMPLOYMENT, 2017, "3 млрд")
        assert ws.enter_fact(TARAZ, HOUSING, 2017, "1 500 м²").value == 1.5
        assert ws.facts() and ws.facts()[0].raw == "1 500 м²"
