"""Indicators (chỉ tiêu): how values of the units below add up, and progress against a target.

Each target says how its indicator rolls up:
- sum: the values add up (accounts opened, records cleaned);
- average: weighted by a named base indicator ("tỷ lệ … trên tổng số công dân": the rate weighted by
  each unit's population); without a base value an entry weighs 1;
- min: the weakest unit's value ("100% các xã …");
- latest: the most recently received value.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class Entry:
    value: float
    base: float | None = None
    received: str = ""  # ISO date, for `latest`


def combine(rule: str, entries: Iterable[Entry]) -> Entry | None:
    """One entry standing for many under the indicator's rule; None for no entries."""
    items = list(entries)
    if not items:
        return None
    last = max(items, key=lambda e: e.received)
    if rule == "sum":
        return Entry(sum(e.value for e in items), _sum_bases(items), last.received)
    if rule == "min":
        return Entry(min(e.value for e in items), _sum_bases(items), last.received)
    if rule == "latest":
        return last
    weights = [e.base if e.base is not None else 1.0 for e in items]
    total = sum(weights)
    value = sum(e.value * w for e, w in zip(items, weights)) / total if total else sum(e.value for e in items) / len(items)
    return Entry(round(value, 6), total, last.received)


def progress(value: float | None, target: Mapping[str, Any] | None) -> dict[str, Any]:
    """{progress: value ÷ target value, met: whether the comparator holds}; None where not computable."""
    if value is None or not target or target.get("value") is None:
        return {"progress": None, "met": None}
    goal, comparator = float(target["value"]), target.get("comparator", "at_least")
    met = {"above": value > goal, "at_least": value >= goal, "equal": value >= goal, "about": value >= 0.95 * goal,
           "at_most": value <= goal}.get(comparator, value >= goal)
    return {"progress": round(value / goal, 4) if goal else None, "met": met}


def _sum_bases(items: list[Entry]) -> float | None:
    bases = [e.base for e in items if e.base is not None]
    return sum(bases) if bases else None
