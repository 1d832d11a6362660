"""The time a plan gives after a condition is met, read from how the plan words it."""
from __future__ import annotations

import re
from functools import lru_cache

from schemas.plans import ConditionRule
from schemas.text import fold

_WITHIN = re.compile(r"\b(?:trong vong|trong thoi han|trong|sau|cham nhat)\s+(\d{1,4})\s+ngay\b")
_IMMEDIATELY = re.compile(r"\bngay\s+(?:sau\s+)?khi\b|\bngay sau\b")


@lru_cache(maxsize=1024)  # a roll-out repeats the same few wordings on thousands of tasks; folding each was half of issuing them
def condition_rule(text: str) -> ConditionRule:
    """ "trong vòng 15 ngày kể từ …" gives 15 days; "ngay sau khi …" the configured number; otherwise none is stated."""
    folded = fold(text)
    raw = text[:1000]
    within = _WITHIN.search(folded)
    if within:
        return ConditionRule(raw=raw, days_after=int(within.group(1)))
    return ConditionRule(raw=raw, immediately=bool(_IMMEDIATELY.search(folded)))
