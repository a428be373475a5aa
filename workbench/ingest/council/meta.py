"""The resolution and the title page: the plan's city, period, approval and narrative."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from workbench.dataset.text import clean
from workbench.errors import DocumentError
from workbench.i18n import _
from workbench.ingest.council.layout import (
    _LETTER_AFTER,
    _PRIORITY,
    _UP,
    _is_caps_heading,
    _Para,
)
from workbench.ingest.document import PlanMeta
from workbench.ingest.places import latin_city

_KAZAKH_ONLY = re.compile("[әғқұһіӘҒҚҰҺІ]")

_RESOLUTION = re.compile(
    r"(\d{4})\s*-\s*жылдын\s+(\d{1,2})\s*-\s*[^\s№]+\s*№\s*([\w/-]+)\s+токтому", re.IGNORECASE
)
_COUNCIL = re.compile(
    r"([" + _UP + r"][^\s,.;:]*(?:\s*[-–]\s*[" + _UP + r"][^\s,.;:]*)?)\s+"
    r"(шаардык|айылдык|райондук|облустук)\s+кеңешинин"
)
_TITLE = re.compile(r"^(.{10,300}?\bпрограммасы)\b", re.IGNORECASE)
_PERIOD = re.compile(r"(20\d\d)\s*[-–—]\s*(20\d\d)")
_CITY = re.compile(r"([" + _UP + r"][^\s,.;:]*)\s+шаар(?:ын|ынын|ы|дык)" + _LETTER_AFTER)
_MAYORALTY = re.compile(r"^\S.{0,60}\bмэриясы$", re.IGNORECASE)


def _narrative(paras: Sequence[_Para], slogan: str | None) -> str | None:
    parts: list[str] = [slogan] if slogan else []
    folded = [para.folded for para in paras]
    for heading in ("көрүнүш", "стратегиялык максат"):
        for i in _indexes(folded, heading):
            para = paras[i]
            body: list[str] = []
            for following in paras[i + 1 :]:
                if _is_caps_heading(following.text) or _PRIORITY.match(following.text):
                    break
                body.append(following.text)
            if body:
                parts.append(para.text + "\n" + "\n".join(body))
                break
    return "\n\n".join(parts) or None


def _indexes(texts: list[str], text: str) -> Iterator[int]:
    """Where ``text`` is in ``texts``, in order (the list is searched, not looped over)."""
    at = -1
    while True:
        try:
            at = texts.index(text, at + 1)
        except ValueError:
            return
        yield at


def _meta(paras: Sequence[_Para], path: str) -> PlanMeta:
    head = paras[:120]
    title = None
    for para in head:
        match = _TITLE.match(para.text)
        if match and _PERIOD.search(match.group(1)):
            title = clean(match.group(1))
            break
    if title is None:
        raise DocumentError(path, _("expected the programme's title (…-жылдарга … программасы)"))
    period = _PERIOD.search(title)
    assert period is not None
    start, end = int(period.group(1)), int(period.group(2))
    city_match = _CITY.search(title)
    if city_match is None:
        raise DocumentError(path, _("expected the city in the programme's title (… шаарын …)"))
    city_native = city_match.group(1)
    city = latin_city(city_native)
    approved = None
    for para in head:
        match = _RESOLUTION.search(para.text)
        if match:
            approved = clean(para.text[match.start() : match.start(3) + len(match.group(3))])
            break
    if approved:
        council = next(
            (m for p in head if "кеңешинин" in p.text and (m := _COUNCIL.search(p.text))), None
        )  # (a council's name needs its word: most paragraphs are passed over at once)
        prefix = clean(council.group(0)) if council else ""
        approved = f"{prefix} {approved} токтому".strip()
    # a mayoralty's name ends with its word, in any case (the folded text ends with it folded)
    responsible = next(
        (clean(p.text) for p in head if p.folded.endswith("мэриясы") and _MAYORALTY.match(p.text)),
        None,
    )
    slogan = next((p.text for p in head if p.text.startswith("«") and p.text.endswith("»")), None)
    text = "".join(p.text for p in head)
    kazakh = len(_KAZAKH_ONLY.findall(text))
    country, language, currency = ("KZ", "kk", "KZT") if kazakh > 20 else ("KG", "ky", "KGS")
    return PlanMeta(
        city=city,
        city_native=city_native,
        country=country,
        language=language,
        kind="programme",
        title=title,
        period_start=start,
        period_end=end,
        currency=currency,
        approved=approved,
        responsible=responsible,
        narrative=_narrative(paras, slogan),
    )
