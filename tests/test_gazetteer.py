"""The gazetteer and what a document's text says of where, when and who."""

from __future__ import annotations

import pytest

from workbench.ingest.gazetteer import (
    detect_country,
    detect_language,
    detect_period,
    find_act,
    find_place,
    place_by_name,
    places,
)


def test_every_region_of_both_countries_with_its_centre() -> None:
    regions = {p.latin: p for p in places() if p.kind == "region"}
    kz = {name for name, p in regions.items() if p.country == "KZ"}
    kg = {name for name, p in regions.items() if p.country == "KG"}
    assert len(kz) == 17 and len(kg) == 7
    cities = {p.latin for p in places() if p.kind == "city"}
    for region in regions.values():
        assert region.centre in cities, region.latin
    for city in ("Astana", "Almaty", "Shymkent", "Bishkek", "Osh", "Tash-Kumyr", "Kara-Balta"):
        assert city in cities


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Тараз қаласын дамытудың 2016-2020 жылдарға арналған бағдарламасы", "Taraz"),
        ("Жамбыл облысының аумақты дамыту бағдарламасы", "Zhambyl Region"),
        ("Программа развития Жамбылской области на 2021-2025 годы", "Zhambyl Region"),
        ("Программа развития города Караганды", "Karaganda"),
        ("«Келечекке татыктуу шаар» (ОШ ШААРЫН 2022-2025-ЖЫЛДАРГА ӨНҮКТҮРҮҮ ПРОГРАММАСЫ)", "Osh"),
        ("Ош облусунун айыл чарбасы", "Osh Region"),
        ("Өзгөн районунун Салам-Алик айылы", "Uzgen District"),
        ("г. Усть-Каменогорск", "Oskemen"),
    ],
)
def test_find_place(text: str, latin: str) -> None:
    place = find_place(text)
    assert place is not None and place.latin == latin


def test_a_name_without_its_kind_word_is_not_a_place() -> None:
    assert find_place("Абай Құнанбайұлының өлеңдері") is None


def test_place_by_name_in_any_spelling() -> None:
    for name in ("Taraz", "Тараз", "тараз"):
        place = place_by_name(name)
        assert place is not None and place.latin == "Taraz"
    region = place_by_name("Жамбыл облысы")
    assert region is not None and region.kind == "region"


def test_language_country_and_period() -> None:
    assert (
        detect_language("Қаланың өнеркәсіптік әлеуетін арттыру және шағын бизнесті дамыту") == "kk"
    )
    assert detect_language("Шаардын өнөр жайын өнүктүрүү жана чакан бизнести колдоо үчүн") == "ky"
    assert detect_language("Программа развития города на пять лет") == "ru"
    assert detect_country("мың теңге, аудандық мәслихат") == "KZ"
    assert detect_country("Кыргыз Республикасынын, миң сом") == "KG"
    assert detect_period("2011-2015 жылдарға арналған") == (2011, 2015)
    assert detect_period("на 2021 - 2025 годы") == (2021, 2025)
    assert detect_period("2023-2026-жылдарга карата") == (2023, 2026)
    assert detect_period("2025-жыл үчүн иш планы") == (2025, 2025)
    assert detect_period("2014 жылы 2% жетеді", ranges_only=True) is None


def test_approving_acts() -> None:
    act = find_act(["Ош шаардык Кеңешинин", "2021-жылдын 24-декабрындагы", "№21 токтомуна тиркеме"])
    assert act is not None
    assert act.describe() == "Ош шаардык Кеңешинин, 2021-жылдын 24-декабрындагы, № 21"
    act = find_act(["Утвержден решением областного маслихата №2-2 от «19» января 2020 года"])
    assert act is not None and act.number == "2-2" and act.date == "«19» января 2020 года"
    act = find_act(["Шымкент қалалық мәслихатының 2020 жылғы 24 желтоқсандағы № 65/512-6 шешімі"])
    assert act is not None and act.number == "65/512-6"
    assert find_act(["Қала аумағы 2020 жылы өсті"]) is None
