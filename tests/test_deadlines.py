"""Deadlines turned into due periods."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.ingest.deadlines import parse_deadline


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("2026-жылдын III-кварталы", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-жылдын II-кварталы", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-жыл ичинде", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-жылы ичинде", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-жылдын ичинде", date(2026, 1, 1), date(2026, 12, 31)),
        ("I кварталы", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-жылдын I кварталы", date(2026, 1, 1), date(2026, 3, 31)),
        ("IV-квартал ичинде", date(2026, 10, 1), date(2026, 12, 31)),
        ("II-III кварталдар", date(2026, 4, 1), date(2026, 9, 30)),
        ("2023-2026-жж.", date(2023, 1, 1), date(2026, 12, 31)),
        ("2023 г.", date(2023, 1, 1), date(2023, 12, 31)),
        ("Жыл сайын", date(2026, 1, 1), date(2027, 12, 31)),
        ("2026-жылдын май айы", date(2026, 5, 1), date(2026, 5, 31)),
        ("2024 жылғы 4 тоқсан", date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_parse_deadline(raw: str, start: date, end: date) -> None:
    assert parse_deadline(raw, plan_start=2026, plan_end=2027) == (start, end)


@pytest.mark.parametrize("raw", [None, "", "белгисиз", "по мере необходимости"])
def test_unknown_deadline_is_open(raw: str | None) -> None:
    assert parse_deadline(raw, plan_start=2026) == (None, None)
