"""A plan's own rule for its weeks ("Tuần được tính từ thứ Hai đến Chủ nhật; tuần 1 của tháng bắt đầu từ thứ Hai
đầu tiên của tháng") and the week of a month read by it ("Tuần 2 tháng 3/2026": 9 to 15 March 2026).

Two cues compete for "Tuần 2 tháng 3/2026": the corpus's convention for a week of the month (days 8-14, due the
14th, no start) and the plan's own definition of its weeks. The plan's rule wins when the plan states one: the plan
defines the terms it assigns work in, and its agencies count their weeks by it. Without such a sentence nothing
changes. Pure: the lines are given, no clock.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..draft.model import Timing
from ..read.lines import Line
from ..read.text import fold

_DAYS = {"hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2, "nam": 3, "5": 3, "sau": 4, "6": 4, "bay": 5, "7": 5}
_WEEKDAY = r"(?:thu\s*(hai|ba|tu|nam|sau|bay|[2-7])|(chu nhat|cn))"
# "Tuần được tính từ thứ Hai đến Chủ nhật", "mỗi tuần tính từ thứ 2 đến chủ nhật"
_SPAN = re.compile(r"\btuan\s+(?:duoc\s+)?tinh\s+tu\s+" + _WEEKDAY + r"\s+den\s+" + _WEEKDAY)
# "tuần 1 (của tháng) bắt đầu từ thứ Hai đầu tiên của tháng" / "tuần 1 là tuần có ngày 01 của tháng"
_FIRST_WEEKDAY = re.compile(r"\btuan\s*(?:1|thu nhat|dau tien)\b[^.;]{0,40}?\btu\s+" + _WEEKDAY + r"\s+dau tien\s+cua\s+thang")
_HOLDING_FIRST = re.compile(r"\btuan\s*(?:1|thu nhat|dau tien)\b[^.;]{0,40}?\b(?:co|chua)\s+ngay\s+(?:mung\s+)?0?1\b")
_NTH = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5}
# the whole time written as one week of a month: "Tuần 2 tháng 3/2026", "Trong tuần thứ hai của tháng 4"
_WEEK_OF_MONTH = re.compile(r"^(?:(?:trong|hoan thanh trong|thuc hien trong)\s+)?tuan\s*(?:thu\s*)?([1-5]|nhat|hai|ba|tu|nam)"
                            r"\s*(?:cua\s*)?thang\s*(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\s*$")


@dataclass(frozen=True)
class WeekRule:
    first_weekday: int  # Monday = 0
    anchor: str  # "first": week 1 opens on the month's first such weekday; "holding": week 1 holds the 1st


def week_rule(lines: list[Line]) -> WeekRule | None:
    """The plan's rule for its weeks, when one of its lines states it; None otherwise."""
    for line in lines:
        folded = fold(line.text)
        span = _SPAN.search(folded)
        if span is None:
            continue
        weekday = _weekday(span.group(1), span.group(2))
        first = _FIRST_WEEKDAY.search(folded)
        if first is not None and _weekday(first.group(1), first.group(2)) == weekday:
            return WeekRule(weekday, "first")
        if _HOLDING_FIRST.search(folded):
            return WeekRule(weekday, "holding")
    return None


def _weekday(day: str | None, sunday: str | None) -> int:
    return 6 if sunday else _DAYS[day]


def by_week_rule(timing: Timing, rule: WeekRule | None) -> Timing:
    """A timing written as one week of a month, its start and due counted by the plan's rule; any other unchanged."""
    if rule is None or not timing.raw or timing.recurring or timing.condition:
        return timing
    m = _WEEK_OF_MONTH.match(fold(timing.raw).strip(" .;"))
    year = int(m.group(3)) if m and m.group(3) else int(timing.due[:4]) if m and timing.due else None
    if m is None or year is None or not 1 <= int(m.group(2)) <= 12:
        return timing
    nth = int(m.group(1)) if m.group(1).isdigit() else _NTH[m.group(1)]
    first_of_month = date(year, int(m.group(2)), 1)
    shift = (rule.first_weekday - first_of_month.weekday()) % 7
    if rule.anchor == "holding" and shift:
        shift -= 7  # the week holding the 1st opened in the month before
    start = first_of_month + timedelta(days=shift + 7 * (nth - 1))
    return timing.model_copy(update=dict(start=start.isoformat(), due=(start + timedelta(days=6)).isoformat()))
