"""Polarity of an indicator from its own words: does the plan ask for more, for less, or a level?

``decrease`` where the title asks for less (kk төмендеу/азайту/қысқарту, ky азайтуу/төмөндөтүү/
кыскартуу, ru снижение/сокращение/уменьшение and their forms, and things that are bad by nature
such as deaths, unemployment or accidents when the title speaks of them as a level to bring down);
``target`` where the plan is a level to hold (coverage of 100 %, "сақтау", "не менее");
``increase`` otherwise.
"""

from __future__ import annotations

import re

from workbench.dataset.text import fold

_DECREASE = re.compile(
    r"төменде|төмендет|азай|қысқар|кеміт|кему|"  # kk
    r"азайт|төмөндө|кыскарт|кемит|"  # ky
    r"сниж|сокращ|уменьш|понижен|"  # ru
    r"шығындарын азайту|"
    # kk, bad by nature: crime (not its clearance), emergency and three-shift schools,
    # settlements not covered, unemployment, deaths, poverty
    r"қылмыс(?!\w*\s+(?:ашу|ашыл))|апатты\b|үш ауысымды|қамтылмаған|жұмыссыздық|"
    r"\bөлім(?:-жітім)?(?:і|ді|дің|нің)?\b|қайтыс бол|кедейшілік деңгей|"
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
