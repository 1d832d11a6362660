"""The time a plan gives after a condition is met, read from how the plan words it."""
from __future__ import annotations

import re
import unicodedata

from schemas.plans import ConditionRule

_WITHIN = re.compile(r"\b(?:trong vong|trong thoi han|trong|sau|cham nhat)\s+(\d{1,4})\s+ngay\b")
_IMMEDIATELY = re.compile(r"\bngay\s+(?:sau\s+)?khi\b|\bngay sau\b")


def fold(text: str) -> str:
    """Lower case without tone marks, for matching the words of a plan ("Trong vòng" = "trong vong")."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c)))


def condition_rule(text: str) -> ConditionRule:
    """ "trong vòng 15 ngày kể từ …" gives 15 days; "ngay sau khi …" the configured number; otherwise none is stated."""
    folded = fold(text)
    raw = text[:1000]
    within = _WITHIN.search(folded)
    if within:
        return ConditionRule(raw=raw, days_after=int(within.group(1)))
    return ConditionRule(raw=raw, immediately=bool(_IMMEDIATELY.search(folded)))
