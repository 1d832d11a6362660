"""Figures a leader reads, from task documents: counts per status, rates on tasks fallen due, aging.

Reporting serves these per unit (reported.py); the dashboard computes them itself only where
reporting has no cut (per utility group in the heat table, and filtered task lists). The
definitions follow that issue: completion rate = done ÷ tasks fallen due (done on time, done late,
overdue); on-time rate = done on time ÷ tasks fallen due; aging of overdue tasks in 1–7, 8–30,
31–120 and over 120 days.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from schemas import deadlines
from services.reporting.domain.categories import Category, categorize, empty_counts, is_blocked
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


def figures_of(tasks: Iterable[Doc], day: date) -> Figures:
    result = Figures()
    for doc in tasks:
        facts = facts_of(doc)
        category = categorize(facts, day).value
        result.counts[category] += 1
        result.counts["all"] += 1
        result.counts["blocked"] += is_blocked(facts)
        if category == Category.overdue.value:
            late = max(1, days_overdue(doc, day))
            result.overdue_days += late
            result.aging[next(i for i, (low, high) in enumerate(AGING) if high is None or late <= high)] += 1
    return result


def by_key(tasks: Iterable[Doc], day: date, key: str) -> dict:
    """Figures per value of a task field (e.g. the utility group), categorising each task once."""
    found: dict = {}
    for doc in tasks:
        facts = facts_of(doc)
        category = categorize(facts, day).value
        figures = found.setdefault(doc.get(key), Figures())
        figures.counts[category] += 1
        figures.counts["all"] += 1
        figures.counts["blocked"] += is_blocked(facts)
    return found


def per_unit(tasks: Iterable[Doc], day: date) -> dict[str, Figures]:
    by_unit: dict[str, list[Doc]] = {}
    for doc in tasks:
        by_unit.setdefault(doc["unit_id"], []).append(doc)
    return {unit: figures_of(docs, day) for unit, docs in by_unit.items()}


def rolled_up(own: dict[str, Figures], members: dict[str, list[str]]) -> dict[str, Figures]:
    """For each key, the sum of its member units' own figures (members: e.g. a child and its subtree)."""
    totals = {}
    for key, units in members.items():
        total = Figures()
        for unit in units:
            if unit in own:
                total.add(own[unit])
        totals[key] = total
    return totals
