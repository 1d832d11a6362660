"""Periods a plan names once and cites by name afterwards: "Thời gian cao điểm: từ ngày 15/3/2026 đến ngày
12/6/2026", then a task's time "Trong thời gian cao điểm" or "Suốt đợt cao điểm".

A definition is "Thời gian / Đợt / Giai đoạn <name>" followed by a colon or a bracket and a span ("từ … đến …");
a citation is a time that is nothing but "trong / suốt (thời gian | đợt | giai đoạn) <name>". The name is compared
folded; the cited name may say more than the defined one ("cao điểm 90 ngày" cites "cao điểm"). The words of a time
field ("Thời gian thực hiện: từ … đến …", a task's as often as the plan's) name no period.
"""

from __future__ import annotations

import re

from ..draft.model import Timing
from ..read.lines import Line, prose
from ..read.text import fold
from .timing import parse_timing

_KIND = r"(?:thoi gian|thoi ky|dot|giai doan)"
_DEFINED = re.compile(rf"\b{_KIND}\s+(?P<name>[a-z][a-z ]{{2,40}}?)\s*[:(]\s*(?P<span>tu\b[^\n)]*?\bden\b[^\n);]*)")
_CITED = re.compile(rf"^(?:trong|suot|trong suot)\s+(?:ca\s+)?{_KIND}\s+(?P<name>[a-z0-9 ]{{3,50}})$")
MAX_NAME_WORDS = 5
# "Thời gian thực hiện: từ … đến …" is a task's time field as often as the plan's: only a named span is cited by name
_FIELD_WORDS = re.compile(r"^(?:thuc hien|hoan thanh|trien khai|bat dau|ket thuc|du kien)\b")


def named_periods(lines: list[Line], year: int | None) -> dict[str, Timing]:
    """{folded name: the span's timing} for each period the plan's prose names and dates."""
    text = fold(prose(lines))
    found: dict[str, Timing] = {}
    for m in _DEFINED.finditer(text):
        name = m.group("name").strip()
        if len(name.split()) > MAX_NAME_WORDS or _FIELD_WORDS.match(name):
            continue
        timing, _ = parse_timing(m.group("span"), year)
        if timing.start and timing.due:
            found.setdefault(name, Timing(start=timing.start, due=timing.due))
    return found


def cited_period(raw: str | None, periods: dict[str, Timing]) -> Timing | None:
    """The span of the named period a time cites ("Trong thời gian cao điểm"), or None."""
    m = _CITED.match(fold(raw or "").strip(" .;:"))
    if not m or not periods:
        return None
    cited = m.group("name").strip()
    for name, timing in periods.items():
        if cited == name or cited.startswith(name + " "):
            return Timing(raw=raw, start=timing.start, due=timing.due)
    return None
