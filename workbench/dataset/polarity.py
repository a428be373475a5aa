"""Polarity of an indicator from its own words: does the plan ask for more, for less, or a level?

``decrease`` where the title asks for less (kk төмендеу/азайту/қысқарту, ky азайтуу/төмөндөтүү/
кыскартуу, ru снижение/сокращение/уменьшение and their forms, and things that are bad by nature
such as deaths, unemployment or accidents when the title speaks of them as a level to bring down);
``target`` where the plan is a level to hold (coverage of 100 %, "сақтау", "не менее");
``increase`` otherwise.

:func:`review_polarity` reads the same words the other way: where an indicator's title, or the
execution text of a year that missed its plan, contradicts the polarity its status uses, the
indicator is to be reviewed ("polarity: review"); the analyst then sets its polarity
(:mod:`workbench.workspace.polarity_store`). A review never changes a status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.dataset.text import fold
from workbench.i18n import N_, _

_DECREASE = re.compile(
    r"төменде|төмендет|азай|қысқар|кеміт|кему|"  # kk
    r"азайт|төмөндө|кыскарт|кемит|"  # ky
    r"сниж|сокращ|уменьш|понижен|"  # ru
    r"шығындарын азайту|"
    # kk, bad by nature: crime (not its clearance), emergency and three-shift schools,
    # settlements not covered, unemployment, deaths (a word that starts with "өлім": the
    # start is looked behind once "ө" is found, for a pattern whose every branch opens with a
    # letter is searched for by its first letters only), poverty
    r"қылмыс(?!\w*\s+(?:ашу|ашыл))|апатты\b|үш ауысымды|қамтылмаған|жұмыссыздық|"
    r"ө(?<!\wө)лім(?:-жітім)?(?:і|ді|дің|нің)?\b|қайтыс бол|кедейшілік деңгей|"
    r"кедейлік шег|черты бедности",  # kk/ru: share below the poverty line
)
_TARGET = re.compile(
    r"сақта|ұста(?:у|п)|деңгейін ұстау|"  # kk: keep, hold
    r"сактоо|кармоо|"  # ky
    r"сохранен|удержан|поддержан|"  # ru
    r"100\s*%\s*қамт|100\s*%\s*камт|100\s*%\s*охват|"
    r"толық қамт|толук камт|полн\w* охват|"
    r"кемінде\s*\d+(?:[.,]\d+)?\s*%|не менее\s*\d+(?:[.,]\d+)?\s*%",  # at least N %
)


def infer_polarity(title: str, unit: str | None = None) -> str:
    """``increase``, ``decrease`` or ``target`` for an indicator, from its title (and unit)."""
    words = fold(title)
    if _DECREASE.search(words):
        return "decrease"
    if _TARGET.search(words):
        return "target"
    return "increase"


# -- review: where the document's own words disagree with the polarity the status uses ----------
#
# The title asks for more or for less (the words above, and the verbs of growth below); the
# execution text of a year reports a fall (or a rise) together with words that call the outcome
# good (positive dynamics, an improvement, people employed, the aim reached). Such a text only
# counts where the numbers moved that way against the plan, so the polarity is what made the
# year miss: the words are then read as saying the miss is the aim. The flag never changes a
# status; the analyst decides (workbench.workspace.polarity_store).

_INCREASE = re.compile(
    r"арттыр|ұлғайт|көбейт|жоғарылат|өсір|"  # kk
    r"көбөйт|жогорулат|өстүр|"  # ky (арттыруу: as kk)
    r"увелич|повышен|рост\b|роста\b"  # ru
)
_FALL = re.compile(
    r"азай|төменде|қысқар|кеміді|кемі(?:ген|п)|"  # kk
    r"төмөндө|кыскар|"  # ky
    r"сниз|сниж|сократ|сокращ|уменьш|понизил"  # ru
)
_RISE = re.compile(
    r"артты|артқан|артып|өсті|өскен|өсіп|өсуі|ұлғайды|ұлғайған|көбейді|көбейген|жоғарылады|"
    r"көбөйдү|көбөйгөн|жогорулады|өстү\b|"
    r"увеличил|увеличен|вырос|возрос|повысил"
)
_GOOD = re.compile(
    r"\bоң\b|жақсар|"  # kk: positive, improved
    r"жұмысқа орналас|жұмыспен қамтыл|мақсатқа жет|"  # kk: employed, the aim reached
    r"жакшыр|ишке орношт|максатка жет|"  # ky
    r"положительн|позитив|улучш|трудоустро|цель достигнут"  # ru
)


def _without_lookarounds(pattern: str) -> str:
    """``pattern`` without its lookahead and lookbehind groups (one level of nesting): what it
    matches, and more."""
    return re.sub(r"\(\?<?[!=](?:[^()]|\([^()]*\))*\)", "", pattern)


# The same words for a Polars (Rust) regular expression, which has no lookaround: each matches
# in text NFC-normalised and in lower case at least what its Python pattern matches in
# :func:`fold`'s, so a frame of many rows keeps only those worth the exact check of
# :func:`review_polarity`.
TITLE_LESS_WORDS = _without_lookarounds(_DECREASE.pattern)
TITLE_MORE_WORDS = _INCREASE.pattern
GOOD_WORDS = _GOOD.pattern


@dataclass(frozen=True, slots=True)
class PolarityReview:
    """Why an indicator's polarity is to be reviewed: the polarity its own words point to
    (``suggested``), where they are (``source``: "title" or "comment", and the comment's
    ``year``) and the words found (as folded: lower case)."""

    suggested: str
    source: str
    year: int | None
    words: str


# The polarities as the analyst reads them (the picker, the detail, the toasts).
POLARITY_NAMES = {
    "increase": N_("higher is better"),
    "decrease": N_("lower is better"),
    "target": N_("a level to hold"),
}


def describe_review(review: PolarityReview) -> str:
    """One sentence, in the interface's language, saying why the polarity is to be reviewed."""
    suggested = _(POLARITY_NAMES.get(review.suggested, review.suggested))
    if review.source == "title":
        if review.suggested == "decrease":
            text = _("Its title asks for less (“{words}”): {polarity}?")
        else:
            text = _("Its title asks for more (“{words}”): {polarity}?")
        return text.format(words=review.words, polarity=suggested)
    if review.suggested == "decrease":
        text = _(
            "Its execution text of {year} calls the fall below plan good (“{words}”): {polarity}?"
        )
    else:
        text = _(
            "Its execution text of {year} calls the rise above plan good (“{words}”): {polarity}?"
        )
    return text.format(year=review.year, words=review.words, polarity=suggested)


def _found(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0) if match else None


def title_asks(title: str) -> str | None:
    """``decrease`` where the title asks for less, ``increase`` where it asks (in words) for
    more, None where it says neither or both."""
    words = fold(title)
    less = _DECREASE.search(words) is not None
    more = _INCREASE.search(words) is not None
    if less == more:
        return None
    return "decrease" if less else "increase"


def review_polarity(
    polarity: str | None,
    title: str | None,
    notes: Iterable[tuple[int | None, str | None, float | None, float | None]] = (),
) -> PolarityReview | None:
    """Whether the indicator's own words contradict ``polarity`` (the one its status uses).

    ``notes``: (year, execution text, plan, fact) of its years, the plan being the year's
    plan or target and the fact the one the status uses. The title first, then the years in
    the order given; None when the words and the polarity agree (or say nothing).
    """
    used = polarity or "increase"
    asked = title_asks(title or "")
    if asked is not None and asked != used and not (asked == "increase" and used == "target"):
        words = _found(_DECREASE if asked == "decrease" else _INCREASE, fold(title or ""))
        return PolarityReview(asked, "title", None, words or "")
    for year, comment, plan, fact in notes:
        if not comment or plan is None or fact is None or fact == plan:
            continue
        text = fold(comment)
        good = _found(_GOOD, text)
        if good is None:
            continue
        if used != "decrease" and fact < plan:
            moved, suggested = _found(_FALL, text), "decrease"
        elif used == "decrease" and fact > plan:
            moved, suggested = _found(_RISE, text), "increase"
        else:
            continue
        if moved is not None:
            return PolarityReview(suggested, "comment", year, f"{moved} … {good}")
    return None
