"""How the vocabulary's codes are shown to an analyst, while the dataset keeps the canonical
code (machine outputs, CSV and JSON, keep ``republican``, ``local``, ``culture``):

- a funding source as the documents print it: ``РБ``, ``ЖБ``, ``ОБ`` (``МБ`` in Russian), the
  plan's own abbreviation where its source cells print one (Tash-Kömür's ``ӨКБ``), else the
  source's name in the plan's language;
- a body printed as an abbreviation, expanded: ``ГРС (Мамлекеттик каттоо кызматы)``, from the
  plan's own list of abbreviations, else from the shipped vocabulary (``vocabulary.toml``, data);
- the spellings of one body as one body: "Бизнес ассоциации", "бизнес ассоциациялар" and
  "бизнес Ассоциациялары" differ in case, quotes, spaces, legal form and plural or possessive
  endings only, so the picker, the filters and the body view count them as one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import polars as pl

from workbench.dataset.text import fold
from workbench.ingest.vocabulary import BODY_NAMES, funding_codes, funding_name

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
# An abbreviation as printed: capitals, maybe with inner dots (``Д.М``), a whole word.
_TOKEN = re.compile(rf"(?<![\w.])([{_UPPER}](?:\.?[{_UPPER}])+)(?![\w])")
# "МС жана ММ башкармалыгы" is the list's "МСжММБ", "ЖРЭСК жана МБ" its "ЖРЭСКжМБ".
_JOINED = re.compile(
    rf"(?<![\w])([{_UPPER}]{{2,}}) (?:жана|және|и) ([{_UPPER}]{{1,}})(?![\w])"
    r"(\s+(?:башкарма|бөлүм|басқарма|бөлім)\w*)?",
)
# Legal forms and quotes do not tell one body from another.
_LEGAL = re.compile(
    r"(?<![\w])(?:мп|ми|ки|жчк|жшс|тоо|осоо|жк|оо|кф|ип|ао|ақ|аак|жақ)[а-яёәғқңөұүһі]*(?![\w])"
)
_NOT_WORD = re.compile(r"[^\w]+")
# Plural, possessive and case endings of Kazakh, Kyrgyz and Russian, longest first.
_ENDINGS = tuple(
    sorted(
        [
            *("лары", "лери", "дары", "дери", "тары", "тери", "лору", "лөрү"),
            *("лар", "лер", "лор", "лөр", "дар", "дер", "дор", "дөр", "тар", "тер", "тор", "төр"),
            *("сы", "си", "су", "сү", "ями", "ами", "иях", "ах", "ях", "ам", "ям"),
            *("ии", "ия", "ий", "ие", "ов", "ев", "ы", "і", "и", "у", "ү", "а", "я"),
        ],
        key=len,
        reverse=True,
    )
)
_STEM = 3  # the shortest stem an ending is taken from


@dataclass(frozen=True)
class Shipped:
    """The shipped vocabulary (``vocabulary.toml``): source abbreviations by code and language,
    body abbreviations (folded) → their printed form and meaning by language."""

    sources: dict[str, dict[str, str]]
    bodies: dict[str, tuple[str, dict[str, str]]]


@cache
def shipped() -> Shipped:
    text = resources.files("workbench.analysis").joinpath("vocabulary.toml").read_text("utf-8")
    data = tomllib.loads(text)
    sources = {str(c): {str(k): str(v) for k, v in n.items()} for c, n in data["sources"].items()}
    bodies: dict[str, tuple[str, dict[str, str]]] = {}
    for entry in data.get("bodies", []):
        printed = str(entry["abbreviation"])
        meanings = {lang: str(entry[lang]) for lang in ("kk", "ky", "ru") if lang in entry}
        bodies[_key(printed)] = (printed, meanings)
    return Shipped(sources, bodies)


def _key(abbreviation: str) -> str:
    return fold(abbreviation).replace(".", "").replace(" ", "")


def _stem(word: str) -> str:
    for _ in range(2):
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= _STEM:
                word = word[: -len(ending)]
                break
        else:
            break
    return word


def spelling_key(name: str) -> str:
    """What the spellings of one body's name share: folded, without quotes, punctuation and
    legal forms, each word without its plural, possessive or case ending."""
    words = _NOT_WORD.sub(" ", _LEGAL.sub(" ", fold(name))).split()
    return " ".join(_stem(w) for w in words)


@dataclass(frozen=True)
class VocabularyNames:
    """The names of a dataset's codes as shown (see the module text); :meth:`build` once."""

    languages: dict[str, str] = field(default_factory=dict)  # plan_id → language
    own: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    printed_sources: dict[str, dict[str, str]] = field(default_factory=dict)
    same_body: dict[str, str] = field(default_factory=dict)  # code → the code it spells
    printed_bodies: dict[str, list[str]] = field(default_factory=dict)  # code → its spellings

    @classmethod
    def build(cls, tables: Mapping[str, pl.DataFrame]) -> VocabularyNames:
        plans = tables["plans"].select(
            pl.col("plan_id").cast(pl.String), pl.col("language").cast(pl.String)
        )
        languages = {str(p): str(lang) for p, lang in plans.iter_rows()}
        own: dict[str, dict[str, tuple[str, str]]] = {}
        abbreviations = tables.get("abbreviations")
        if abbreviations is not None:
            for plan_id, abbreviation, meaning in abbreviations.select(
                "plan_id", "abbreviation", "meaning"
            ).iter_rows():
                if abbreviation and meaning:
                    own.setdefault(str(plan_id), {})[_key(abbreviation)] = (abbreviation, meaning)
        printed: dict[str, dict[str, str]] = {}
        activities = tables.get("activities")
        if activities is not None and "funding_raw" in activities.columns:
            cells = activities.select("plan_id", "funding_raw").drop_nulls().unique()
            for plan_id, text in cells.iter_rows():
                for match in _TOKEN.finditer(text):
                    codes = funding_codes(match.group(1))
                    if len(codes) == 1:
                        printed.setdefault(str(plan_id), {}).setdefault(codes[0], match.group(1))
        same, spellings = _same_bodies(tables["vocabulary"])
        return cls(languages, own, printed, same, spellings)

    # -- funding sources ---------------------------------------------------------------------

    def source(self, code: str, plan_id: str | None = None, language: str | None = None) -> str:
        """A source as the plan's document prints it: ``РБ``; a name where none is printed."""
        language = language or self.languages.get(plan_id or "", "ru")
        printed = self.printed_sources.get(plan_id or "", {}).get(code)
        if printed:
            return printed
        short = shipped().sources.get(code, {}).get(language)
        return short or funding_name(code, language)

    def sources(self, codes: Iterable[str], plan_id: str | None = None) -> str:
        return ", ".join(self.source(code, plan_id) for code in codes)

    def source_title(self, code: str, language: str, name: str) -> str:
        """A source's row label: its abbreviation and its name (``РБ республикалық бюджет``)."""
        short = self.source(code, language=language)
        return name if fold(name).split()[:1] == [fold(short)] else f"{short} {name}"

    # -- bodies ------------------------------------------------------------------------------

    def meaning(
        self, abbreviation: str, plan_id: str | None = None, language: str | None = None
    ) -> str | None:
        """What an abbreviation stands for: the plan's own list, else the shipped vocabulary."""
        key = _key(abbreviation)
        if plan_id is not None and key in self.own.get(plan_id, {}):
            return self.own[plan_id][key][1]
        language = language or self.languages.get(plan_id or "", "ru")
        if plan_id is None:
            for plan, meanings in sorted(self.own.items()):
                if key in meanings and self.languages.get(plan) == language:
                    return meanings[key][1]
        found = shipped().bodies.get(key)
        if found is None:
            return None
        return found[1].get(language) or next(iter(found[1].values()), None)

    def expand(self, text: str | None, plan_id: str | None = None) -> str:
        """A responsible cell as printed, each known abbreviation followed once by its meaning:
        ``Мэрия, ГРС (Мамлекеттик каттоо кызматы), МС жана ММ башкармалыгы (…)``."""
        if not text:
            return ""
        seen: set[str] = set()
        out: list[str] = []
        at = 0
        for start, end, meaning in self._explained(text, plan_id):
            if start < at or meaning in seen:
                continue
            seen.add(meaning)
            out.append(text[at:end] + f" ({meaning})")
            at = end
        return "".join(out) + text[at:]

    def _explained(self, text: str, plan_id: str | None) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for match in _JOINED.finditer(text):
            first, second, department = match.group(1), match.group(2), match.group(3)
            candidates = [f"{first}ж{second}"]
            if department:
                candidates.insert(0, f"{first}ж{second}Б")
            meaning = next((m for c in candidates if (m := self._own_meaning(c, plan_id))), None)
            if meaning:
                found.append((match.start(), match.end(), meaning))
        for match in _TOKEN.finditer(text):
            if any(s <= match.start() < e for s, e, _ in found):
                continue
            meaning = self.meaning(match.group(1), plan_id)
            if meaning:
                found.append((match.start(), match.end(), meaning))
        return sorted(found)

    def _own_meaning(self, abbreviation: str, plan_id: str | None) -> str | None:
        meanings = self.own.get(plan_id or "", {})
        hit = meanings.get(_key(abbreviation))
        return hit[1] if hit else None

    def body_name(self, name: str, language: str | None = None) -> str:
        """A body's vocabulary name, expanded when it is one abbreviation: ``ГРС (…)``."""
        stripped = name.strip()
        if _TOKEN.fullmatch(stripped):
            meaning = self.meaning(stripped, language=language)
            if meaning:
                return f"{stripped} ({meaning})"
        return name

    def body(self, code: str) -> str:
        """The code a body code is one spelling of (itself when it is the first)."""
        return self.same_body.get(code, code)

    def spellings(self, code: str) -> list[str]:
        """Every name a body is printed with, when the documents spell it more than one way."""
        return self.printed_bodies.get(self.body(code), [])

    def shown_tables(self, tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        """``tables`` with the bodies of the ``vocabulary`` and ``assignments`` as shown: one
        code for the spellings of one body, abbreviated names expanded."""
        out = dict(tables)
        body = pl.col("kind").cast(pl.String) == "body"
        vocabulary = tables["vocabulary"]
        names = [
            self.body_name(str(n), str(lang)) if str(k) == "body" else str(n)
            for k, lang, n in vocabulary.select(
                pl.col("kind").cast(pl.String), pl.col("language").cast(pl.String), "name"
            ).iter_rows()
        ]
        vocabulary = vocabulary.with_columns(pl.Series("name", names, dtype=pl.String))
        if self.same_body:
            merged = pl.when(body).then(pl.col("code").replace(self.same_body)).otherwise("code")
            vocabulary = (
                vocabulary.with_columns(
                    _first=pl.col("code").is_in(list(self.same_body)).not_(), code=merged
                )
                .sort("_first", descending=True, maintain_order=True)
                .unique(["kind", "code", "language"], keep="first", maintain_order=True)
                .drop("_first")
            )
            out["assignments"] = (
                tables["assignments"].with_columns(code=merged).unique(maintain_order=True)
            )
        out["vocabulary"] = vocabulary
        return out


def _same_bodies(vocabulary: pl.DataFrame) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Body code → the first code (in sort order) of the same spelling key, for codes that
    are another spelling of a body (functional codes, ``education``, stay themselves); and
    the first code → the names of all its spellings."""
    bodies = vocabulary.filter(pl.col("kind").cast(pl.String) == "body")
    first: dict[str, str] = {}
    out: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for code, name in sorted(bodies.select("code", "name").iter_rows()):
        if code in BODY_NAMES or not name:
            continue
        key = spelling_key(str(name))
        if not key:
            continue
        chosen = first.setdefault(key, str(code))
        if chosen != code:
            out[str(code)] = chosen
        if str(name) not in names.setdefault(chosen, []):
            names[chosen].append(str(name))
    return out, {code: found for code, found in names.items() if len(found) > 1}
