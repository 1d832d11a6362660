"""What the importer read, as the facts a plan carries: issue date or month, reporting schedules, targets.

Takes the draft's parts by their attributes (the importer's models), so it does not depend on where the importer lives.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable

from schemas.plans import Comparator, Frequency, ReportingSchedule, Rollup, Target
from schemas.text import fold

_HOUR = re.compile(r"\b(\d{1,2})\s?(?:h\b|h\d{2}|gio\b)")
_COMPARATORS = [("tren", Comparator.above), ("hon", Comparator.above), ("it nhat", Comparator.at_least),
                ("toi thieu", Comparator.at_least), ("khoang", Comparator.about), ("khong qua", Comparator.at_most),
                ("duoi", Comparator.at_most), ("100%", Comparator.equal)]


def issued_on(value: str | None) -> tuple[date | None, str | None]:
    """A full date, or the month (or year) when the day is blank: it stays a month."""
    if not value:
        return None, None
    return (date.fromisoformat(value), None) if len(value) == 10 else (None, value)


def schedules(reporting: Iterable[Any]) -> list[ReportingSchedule]:
    out = []
    for n, r in enumerate((r for r in reporting if r.cycle in Frequency.__members__), start=1):
        weekly = r.cycle == Frequency.weekly.value
        hour = _HOUR.search(fold(r.due or ""))
        out.append(ReportingSchedule(
            schedule_id=f"r{n}", frequency=Frequency(r.cycle), weekday=r.due_day if weekly and r.due_day and r.due_day <= 7 else None,
            day_of_month=None if weekly else r.due_day, hour=int(hour.group(1)) if hour and int(hour.group(1)) < 24 else None,
            recipient=(r.to or None) and r.to[:500], raw=(r.due or None) and r.due[:2000]))
    return out


def targets(found: Iterable[Any]) -> list[Target]:
    out = []
    for n, t in enumerate(found, start=1):
        folded = fold(t.text)
        comparator = next((c for word, c in _COMPARATORS if word in folded), Comparator.at_least)
        by = t.by if t.by and re.fullmatch(r"20\d\d", t.by) else None
        out.append(Target(indicator_id=f"t{n:03d}", name=t.text[:1000], unit_of_measure=(t.unit or None) and t.unit[:100],
                          value=t.value, comparator=comparator, year=int(by) if by else None, period=by,
                          rollup=Rollup.average if t.unit == "percent" else Rollup.sum))
    return out
