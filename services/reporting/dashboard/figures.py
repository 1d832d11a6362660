"""Figures a leader reads, from task documents: counts per status, rates on tasks fallen due, aging.

Reporting serves these per unit and per utility group from its counters (reported.py); the dashboard
keeps here only what a task row needs (its bucket and days overdue) and the Figures shape pages print. The
definitions follow that issue: completion rate = done ÷ tasks fallen due (done on time, done late,
overdue); on-time rate = done on time ÷ tasks fallen due; aging of overdue tasks in 1–7, 8–30,
31–120 and over 120 days.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from schemas import deadlines
from services.reporting.domain.categories import Category, categorize, empty_counts
from services.reporting.domain.projection import Doc, facts_of

AGING = ((1, 7), (8, 30), (31, 120), (121, None))
FALLEN_DUE = (Category.done_on_time.value, Category.done_late.value, Category.overdue.value)
DONE = (Category.done_on_time.value, Category.done_late.value)


@dataclass
class Figures:
    counts: dict[str, int] = field(default_factory=empty_counts)
    aging: list[int] = field(default_factory=lambda: [0] * len(AGING))
    overdue_days: int = 0  # summed over the overdue tasks

    @property
    def fallen_due(self) -> int:
        return sum(self.counts[c] for c in FALLEN_DUE)

    @property
    def completion_rate(self) -> float | None:
        return sum(self.counts[c] for c in DONE) / self.fallen_due if self.fallen_due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.counts[Category.done_on_time.value] / self.fallen_due if self.fallen_due else None

    def add(self, other: "Figures") -> None:
        for key, value in other.counts.items():
            self.counts[key] += value
        self.aging = [a + b for a, b in zip(self.aging, other.aging)]
        self.overdue_days += other.overdue_days


def days_overdue(doc: Doc, day: date) -> int:
    """Whole days past the (earliest missed or current) due date; 0 when not overdue."""
    dues = [*doc.get("missed", []), *([doc["due"]] if doc.get("due") else [])]
    return deadlines.days_overdue(date.fromisoformat(min(dues)), day) if dues else 0


def category_of(doc: Doc, day: date) -> str:
    return categorize(facts_of(doc), day).value
