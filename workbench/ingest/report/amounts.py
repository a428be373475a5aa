"""Money named in an activity's texts: its unit cell and its execution text."""

from __future__ import annotations

import math
import re

from workbench.dataset.numbers import parse_amount
from workbench.dataset.text import clean, fold
from workbench.errors import NumberParseError
from workbench.ingest.vocabulary import funding_codes

# money inside an execution text: "233724 мың теңге", "6 млрд. 508,9 млн. теңге", "37,9 млн тг."
_NUM = r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
# _NUM not after a digit, a point or a comma, written to start with its first digit (the test
# behind it) so that a search skips to the digits instead of trying the pattern everywhere
_FIRST_NUM = r"\d(?<![\d.,]\d)(?:\d{0,2}(?: \d{3})+(?:[.,]\d+)?|\d*(?:[.,]\d+)?)"
_MULT = r"млрд|млн|мың|мын|миллиард|миллион"
_MONEY = re.compile(
    rf"(?P<n1>{_FIRST_NUM})\s*(?P<m1>{_MULT})\w*\.?"
    rf"(?:\s*(?P<n2>{_NUM})\s*(?P<m2>{_MULT})\w*\.?)?"
    r"\s*(?:теңге|тенге|тг)\w*\.?",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_MYN = re.compile(r"\bмын\b", re.IGNORECASE)  # a misspelt "мың"
_MULT_WORD = {"млрд": "млрд", "миллиард": "млрд", "млн": "млн", "миллион": "млн"}
_MULT_RANK = {"млрд": 3, "млн": 2, "мың": 1}
_MULT_FACTOR = {"млрд": 1_000_000_000.0, "млн": 1_000_000.0, "мың": 1000.0}
_PLAN_VERB = re.compile(
    r"бөлін|бөлді|қарастыр|қарал(?:ып|ды|ған)|бекітіл|жоспарлан|выделен|предусмотр"
)
# (each alternative starts with a letter, the test behind it after: a search skips to them)
_FACT_VERB = re.compile(r"и(?<!\wи)геріл(?!ме)|төленд|төленіп|освоен|израсходов")
_NOT_SPENT = re.compile(r"игерілме|не освоен")
_PART_OF = re.compile(r"оның ішінде|соның ішінде|в том числе|из них")
_OTHER_YEAR_WORDS = re.compile(r"биылғы|ағымдағы жыл|келесі жыл|алдағы жыл|өткен жыл")
# a year not after a dash or a digit (tested behind its first two digits, so that a search skips
# to them), not the start of a range
_YEAR_MENTION = re.compile(r"((?:19|20)(?<![-–\d]\d\d)\d\d)\s*(?:ж\.|жыл)(?!\w*\s*[-–]\s*\d)")
# a space run after an end mark, before a sentence's first character, or a line break; written
# to start with the space (the test behind it) so that a search skips to the spaces
_SENTENCE = re.compile(r"\s(?:(?<=[.;!?]\s)\s*(?=[^\W_a-zа-яәғқңөұүһі])|(?<=\n))")
_BUDGET_CODES = ("republican", "national_fund", "oblast", "local")
_CITY_BUDGET = re.compile(r"қалалық бюджет|городск\w* бюджет")
# a budget's word, or an abbreviation standing alone (tested behind its first letter)
_LETTER = "[а-яәғқңөұүһі]"
_ANY_BUDGET = re.compile(
    rf"бюджет|қор|фонд|р(?<!\wр)б(?!{_LETTER})|о(?<!\wо)б(?!{_LETTER})|ж(?<!\wж)б(?!{_LETTER})"
    rf"|м(?<!\wм)б(?!{_LETTER})|ұ(?<!\wұ)қ(?!{_LETTER})"
)


def _money_value(number: str, mult: str) -> float:
    """Tenge of a number as ``_NUM`` matches it (digits in groups of three after spaces, one
    decimal mark) and its multiplier word: what ``parse_amount`` reads "<number> <word> теңге"
    to, without trying the other shapes of money it reads."""
    value = float(number.replace(" ", "").replace(",", "."))
    if not math.isfinite(value):
        raise NumberParseError(number)
    return round(value * _MULT_FACTOR[_MULT_WORD.get(fold(mult), "мың")], 2)


def _cell_amount(text: str) -> float | None:
    """An amount printed in an activity's unit cell ('233724 мың теңге'), else None."""
    # (parse_amount reads no amount without a decimal digit)
    if not text or _DIGIT.search(text) is None:
        return None
    normalized = _MYN.sub("мың", text)
    try:
        return round(parse_amount(normalized).value, 2)
    except NumberParseError:
        return None


def _text_amounts(report: str, report_year: int) -> dict[tuple[str, str], tuple[float, list[str]]]:
    """Amounts an execution text gives for the report year, by (budget source, plan|fact).

    Conservative on purpose: an amount counts only when

    - its budget is named right before it (since the previous amount of the sentence: "облыстық
      бюджеттен 233724 мың теңге"), or, for the first amount of a sentence that names no budget,
      in the sentence just before (with no other amount in between), or else right after it
      ("125400,0 мың теңге қаражат жергілікті бюджеттен қарастырылды");
    - the words after it say what happened: allocated (бөлінді, қарастырылды …) is ``plan``,
      spent (игерілді, төленді) is ``fact``, both when both are said; "A және B игерілді" gives
      A the verb of B;
    - it is not a part of an amount already counted ("оның ішінде …") and not for another year
      ("2016 жылы …", "биылғы жылға …").

    Amounts of one source and kind are summed; the raw texts are kept, joined by "; ".
    """
    out: dict[tuple[str, str], tuple[float, list[str]]] = {}
    for paragraph in report.split("\n"):
        if _MONEY.search(paragraph) is None:  # no amount in it: none in any of its sentences
            continue
        carried: str | None = None  # a budget named by the previous sentence
        # or the previous sentence, when it named no amount: its budget is read if asked for
        unread: str | None = None
        for sentence in _SENTENCE.split(paragraph):
            matches = list(_MONEY.finditer(sentence))
            if not matches:
                unread = sentence
                continue
            folded = _Folded(sentence)
            sources: list[str | None] = []  # each amount's budget
            parts: list[bool] = []  # whether it is a part of the amount before
            previous_end = 0
            explicit: str | None = None
            # the budgets named since the last amount, when the words after it were read so
            after: list[str] | None = None
            for index, match in enumerate(matches):
                start, end = match.span()
                before = sentence[previous_end:start]
                folded_before = folded.part(previous_end, start)
                codes = after if after is not None else _sources_in(before, folded_before)
                after = None
                source = explicit = codes[0] if len(codes) == 1 else None
                if not codes and index == 0:
                    if unread is not None:
                        named = _sources_in(unread)
                        carried = named[0] if len(named) == 1 else None
                    source = carried
                if source is None and not codes:
                    # "125400,0 мың теңге қаражат жергілікті бюджеттен қарастырылды"
                    after_end = _after_end(matches, index, sentence)
                    after = _sources_in(sentence[end:after_end], folded.part(end, after_end))
                    source = after[0] if len(after) == 1 else None
                sources.append(source)
                parts.append(bool(_PART_OF.search(folded_before)))
                previous_end = end
            # What the words after an amount say is read for the amounts counted only.
            kinds: list[set[str] | None] = [None] * len(matches)
            for index, match in enumerate(matches):
                source = sources[index]
                if source is None or parts[index]:
                    continue
                if _other_year(folded.part(0, match.start()), report_year):
                    continue
                value = _match_value(match)
                if value is None:
                    continue
                said = _said(folded, matches, parts, kinds, index)
                for kind in sorted(said & {"plan", "fact"}):
                    total, raws = out.get((source, kind), (0.0, []))
                    out[(source, kind)] = (round(total + value, 2), [*raws, clean(match.group(0))])
            # The next sentence may go on about the last amount's budget ("… бөлінген.
            # 1745 азамат жолданып, 233362 мың теңге игерілді.").
            carried, unread = explicit, None
    return out


def _after_end(matches: list[re.Match[str]], index: int, sentence: str) -> int:
    """Where the words after amount ``index`` stop: at the next amount or the sentence's end."""
    return matches[index + 1].start() if index + 1 < len(matches) else len(sentence)


def _said(
    folded: _Folded,
    matches: list[re.Match[str]],
    parts: list[bool],
    kinds: list[set[str] | None],
    index: int,
) -> set[str]:
    """What the words after amount ``index`` say happened to it (``kinds``: each amount's own,
    read once). "A және B толық игерілді": an amount without a verb takes the next one's,
    unless that one is a part of it."""
    while True:
        own = kinds[index]
        if own is None:
            end = _after_end(matches, index, folded.text)
            own = kinds[index] = _money_kinds(folded.part(matches[index].end(), end))
        if own or index + 1 == len(matches) or parts[index + 1]:
            return own
        index += 1


# Characters whose fold is one character of its own, whatever stands beside it (no combining
# mark, nothing NFC composes, no letter case-folded to two): in a text of only these, the fold
# of a piece is that piece of the fold (tests/test_report_amounts.py checks the set).
_FOLDS_BY_CHARACTER = re.compile(
    r"[\x00-\x7f\u00a0-\u00bf\u0400-\u0482\u048a-\u04ff\u2010-\u205e\u2116]*"
)


class _Folded:
    """The folded pieces of one sentence, folded once where its characters allow."""

    __slots__ = ("_by_character", "text", "whole")

    def __init__(self, text: str) -> None:
        self.text = text
        self.whole = fold(text)
        self._by_character = _FOLDS_BY_CHARACTER.fullmatch(text) is not None

    def part(self, start: int, end: int) -> str:
        """``fold(text[start:end])``."""
        if self._by_character:
            return self.whole[start:end]
        return fold(self.text[start:end])


def _other_year(before: str, report_year: int) -> bool:
    """Whether the words before an amount put it in another year than the report's."""
    if _OTHER_YEAR_WORDS.search(before):
        return True
    years = _YEAR_MENTION.findall(before)
    return bool(years) and int(years[-1]) != report_year


def _money_kinds(after: str) -> set[str]:
    """What the words after an amount say happened to it (folded text)."""
    if _NOT_SPENT.search(after[:40]):
        return {"none"}
    kinds: set[str] = set()
    if _PLAN_VERB.search(after):
        kinds.add("plan")
    if _FACT_VERB.search(after):
        kinds.add("fact")
    return kinds


def _match_value(match: re.Match[str]) -> float | None:
    try:
        value = _money_value(match.group("n1"), match.group("m1"))
        if match.group("n2"):
            rank1 = _MULT_RANK[_MULT_WORD.get(fold(match.group("m1")), "мың")]
            rank2 = _MULT_RANK[_MULT_WORD.get(fold(match.group("m2")), "мың")]
            if rank2 >= rank1:
                return None
            value += _money_value(match.group("n2"), match.group("m2"))
    except NumberParseError:
        return None
    return value


def _sources_in(text: str, folded: str | None = None) -> list[str]:
    """The budgets ``text`` names (``folded``: its fold, when already worked out)."""
    if folded is None:
        folded = fold(text)
    if _CITY_BUDGET.search(folded):
        return ["local"]
    if not _ANY_BUDGET.search(folded):
        return []
    return [code for code in funding_codes(text) if code in _BUDGET_CODES]
