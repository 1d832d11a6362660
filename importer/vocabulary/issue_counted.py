"""Deadlines counted from the plan's own date: "Trong vòng 30 ngày kể từ ngày ban hành Kế hoạch", "Trong 15 ngày kể
từ ngày Kế hoạch được ban hành", "trong 10 ngày làm việc kể từ ngày ký". The plan's date is in its header, so such a
time is a due date (that date plus the days, calendar days unless it says "làm việc"), not a condition. A count from
any other event ("kể từ ngày nhận được danh sách") stays a condition (timing.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..draft.model import Timing
from ..read.text import fold

_FROM_ISSUE = re.compile(
    r"\b(?:trong vong|trong thoi han|trong|cham nhat|sau)\s+(?P<n>\d{1,3})\s+(?P<unit>ngay|tuan)(?P<work>\s+lam viec)?"
    r"\s+(?:ke tu|tinh tu)\s+ngay\s+(?:ban hanh|ky|(?:ke hoach|quyet dinh|van ban)(?:\s+nay)?\s+(?:duoc\s+)?ban hanh)"
    r"(?:\s+(?:ke hoach|quyet dinh|van ban)(?:\s+nay)?)?\s*[.;,]?$")
MAX_DAYS = 366


def _add_working_days(start: date, days: int) -> date:
    day = start
    while days:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def counted_from_issue(timing: Timing, issued_on: str | None) -> Timing:
    """The timing with its due date when it counts days (or weeks) from the plan's issue; else as it is."""
    m = _FROM_ISSUE.search(fold(timing.raw or "").strip())
    if not m or timing.due or not issued_on or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued_on):
        return timing
    n = int(m.group("n")) * (7 if m.group("unit") == "tuan" else 1)
    if not 0 < n <= MAX_DAYS:
        return timing
    issued = date.fromisoformat(issued_on)
    due = _add_working_days(issued, n) if m.group("work") else issued + timedelta(days=n)
    return timing.model_copy(update={"due": due.isoformat(), "condition": None})
