"""Working days: national holidays (from a data file the composition root loads) and, where a policy says so, weekends.

A send that falls on a day off is deferred to the next working day, never dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: Mapping[date, str] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Mapping) -> "WorkingCalendar":
        return cls({date.fromisoformat(day): name for day, name in data["holidays"].items()})

    def holiday(self, day: date) -> str | None:
        return self.holidays.get(day)

    def is_day_off(self, day: date, weekends: bool) -> bool:
        return day in self.holidays or (weekends and day.weekday() >= 5)

    def next_working_day(self, day: date, weekends: bool = True) -> date:
        while self.is_day_off(day, weekends):
            day += timedelta(days=1)
        return day
