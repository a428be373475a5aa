"""Where, when and who: places from a gazetteer, the period, the language and the approving act.

The gazetteer (``gazetteer.toml``, shipped as data) lists the regions, cities, districts and
villages of Kazakhstan and Kyrgyzstan with their kk / ky / ru / Latin names and the stems documents
inflect them by. A stem counts only beside its kind word (``Жамбыл облысының``, ``Ош шаарын``,
``г. Тараз``, ``Өзгөн району``), so a person or a street of the same name is not a place.

``describe_text`` reads a document's opening text and says what it names: the place (the first
one the title names), the country, the language (by the letters only Kazakh writes, or the
Kyrgyz ones without them, else Russian), the period (``2011-2015 жылдарға``, ``на 2021-2025
годы``, ``2025-жыл үчүн``) and the act that approved it (body, date, number).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workbench.dataset.text import clean, fold

_KIND_WORDS = {
    "region": r"облыс\w*|облус\w*|област\w*",
    "city": r"қала\w*|шаар\w*|город\w*|қ\.|ш\.",
    "district": r"аудан\w*|району\w*|район\w*",
    "village": r"ауыл\w*|айыл\w*|сел\w*|ауылдық округ\w*",
}
_PREFIX = {"city": r"(?:г\.|город\w*|қ\.|ш\.)\s*", "village": r"(?:с\.|село\w*|а\.)\s*"}


@dataclass(frozen=True, slots=True)
class Place:
    latin: str
    kind: str  # region | city | district | village
    country: str  # KZ | KG
    names: dict[str, str]  # language -> native name
    stems: tuple[str, ...]
    centre: str | None = None

    def native(self, language: str) -> str:
        return (
            self.names.get(language)
            or self.names.get("kk" if self.country == "KZ" else "ky")
            or self.names.get("ru")
            or self.latin
        )


@cache
def places() -> tuple[Place, ...]:
    data = tomllib.loads(Path(__file__).with_name("gazetteer.toml").read_text(encoding="utf-8"))
    out = []
    for entry in data["place"]:
        names = {lang: entry[lang] for lang in ("kk", "ky", "ru") if lang in entry}
        out.append(
            Place(
                latin=entry["latin"],
                kind=entry["kind"],
                country=entry["country"],
                names=names,
                stems=tuple(fold(stem) for stem in entry["stems"]),
                centre=entry.get("centre"),
            )
        )
    return tuple(out)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], Place], ...]:
    compiled = []
    for place in places():
        stems = "|".join(re.escape(stem) for stem in place.stems)
        after = rf"(?<![\w-])(?:{stems})[\w-]{{0,8}}\s+(?:{_KIND_WORDS[place.kind]})"
        parts = [after]
        if place.kind in _PREFIX:
            parts.append(rf"{_PREFIX[place.kind]}(?:{stems})(?![\w-]{{9}})")
        compiled.append((re.compile("|".join(parts)), place))
    return tuple(compiled)


def find_place(text: str) -> Place | None:
    """The place a text names first (a city before a region at the same spot)."""
    folded = fold(text)
    best: tuple[int, int, Place] | None = None
    order = {"city": 0, "village": 1, "district": 2, "region": 3}
    for pattern, place in _patterns():
        match = pattern.search(folded)
        if match:
            key = (match.start(), order[place.kind])
            if best is None or key < best[:2]:
                best = (key[0], key[1], place)
    return best[2] if best else None


def place_by_name(name: str) -> Place | None:
    """A place named as the analyst types it (``Taraz``, ``Тараз``, ``Жамбыл облысы``)."""
    wanted = fold(clean(name))
    for place in places():
        if wanted == fold(place.latin) or wanted in (fold(n) for n in place.names.values()):
            return place
    for place in places():
        if any(wanted.startswith(stem) for stem in place.stems) and place.kind == "city":
            return place
    for place in places():
        if any(wanted.startswith(stem) for stem in place.stems):
            return place
    return None


# -- language, country, period, act ---------------------------------------------------------------

_KK_ONLY = re.compile(r"[әғқұһі]")
_KY_LETTERS = re.compile(r"[өүң]")
_CYRILLIC = re.compile(r"[а-яё]")


def detect_language(text: str) -> str:
    """kk, ky or ru, from the letters: ә ғ қ ұ һ і are Kazakh only; ө ү ң without them Kyrgyz."""
    folded = fold(text)
    letters = len(_CYRILLIC.findall(folded)) + 1
    kk = len(_KK_ONLY.findall(folded))
    ky = len(_KY_LETTERS.findall(folded))
    if kk / letters > 0.01:
        return "kk"
    if ky / letters > 0.005:
        return "ky"
    return "ru"


_KZ = re.compile(r"қазақстан|казахстан|теңге|тенге|маслихат|мәслихат|әкімдіг|акимат")
_KG = re.compile(r"кыргыз|кыргызстан|киргиз|\bсом\b|сомдун|айыл өкмөт|шаардык кеңеш|жогорку кеңеш")


def detect_country(text: str) -> str | None:
    folded = fold(text)
    kz, kg = len(_KZ.findall(folded)), len(_KG.findall(folded))
    if kz == kg == 0:
        return None
    return "KZ" if kz >= kg else "KG"


_PERIOD = re.compile(
    r"(?<!\d)(20\d\d|19\d\d)\s*[-–—]\s*(20\d\d|19\d\d)\s*[-–]?\s*(?:жыл|ж\.|жж|год|гг|г\.)"
)
_ONE_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*[-–]?\s*(?:жылға|жылга|жыл үчүн|жылы|год\b|году)")


def detect_period(text: str, *, ranges_only: bool = False) -> tuple[int, int] | None:
    """The period a title names: ``2011-2015 жылдарға``, ``на 2021-2025 годы``, ``2025-жылга``."""
    folded = fold(text)
    match = _PERIOD.search(folded)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if start <= end <= start + 20:
            return start, end
    one = None if ranges_only else _ONE_YEAR.search(folded)
    if one:
        return int(one.group(1)), int(one.group(1))
    return None


_MONTHS = (
    r"қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан|"
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йя]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|"
    r"октябр\w*|ноябр\w*|декабр\w*"
)
_DATE = re.compile(
    rf"(?:(?<!\d)\d{{1,2}}\.\d{{2}}\.(?:19|20)\d\d(?:\s*-?\s*ж\w*\.?)?"
    rf"|(?:19|20)\d\d\s*-?\s*жыл\w*\s+[«\"]?\d{{1,2}}[»\"]?\s*-?\s*(?:{_MONTHS})\w*"
    rf"|[«\"]?\d{{1,2}}[»\"]?\s+(?:{_MONTHS})\w*\s+(?:19|20)\d\d\s*(?:года|г\.|жыл\w*)?)",
    re.IGNORECASE,
)
_ACT = re.compile(
    r"шешім\w*|шешими\w*|токтом\w*|қаулы\w*|бұйрығ\w*|бұйрық\w*|решени\w*|постановлени\w*|"
    r"приказ\w*|жарлығ\w*|буйруг\w*",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"№\s*([\w\-/.]*\d[\w\-/]*)")
_REFERENCE = re.compile(r"\s*(?:сәйкес|ылайык|в соответствии|согласно|негизинде|негізінде)")


@dataclass(frozen=True, slots=True)
class Act:
    body: str | None
    date: str
    number: str | None

    def describe(self) -> str:
        parts = [part for part in (self.body, self.date) if part]
        if self.number:
            parts.append(f"№ {self.number}")
        return ", ".join(parts)


def find_act(lines: list[str]) -> Act | None:
    """The act that approved the document, where its opening lines print one."""
    for index, raw in enumerate(lines):
        line = clean(raw)
        # the act is printed on one line or wrapped over the next two
        window = " ".join(clean(x) for x in lines[index : index + 3])
        date = _DATE.search(line)
        if date is None:
            continue
        # the act's word follows its date closely ("... 24-декабрындагы ... №21 токтомуна"),
        # not somewhere later in a sentence that happens to hold a date
        act = _ACT.search(window, date.end())
        if act is None or act.start() - date.end() > 80:
            act = _ACT.search(line[: date.start()])  # "Утвержден решением ... от «19» января"
        if act is None or _REFERENCE.match(window, act.end()):
            continue  # an act the text follows ("Жарлығына сәйкес"), not the one approving it
        number = _NUMBER.search(window)
        before = _NUMBER.sub("", line[: date.start()])
        before = re.sub(r"\s+(?:от|№)\s*$", "", before.strip(' ,«»"')).strip(' ,«»"')
        if not before and index > 0 and not _DATE.search(lines[index - 1]):
            before = clean(lines[index - 1])  # "Ош шаардык Кеңешинин" on the line above
        body = " ".join(before.split()[-6:]) or None
        return Act(body, clean(date.group(0)).strip(" ,"), number.group(1) if number else None)
    return None
