"""Rolling counts up the hierarchy. The hierarchy is data: any depth, any shape.

A province may hold communes directly (after 1 July 2025) or districts that hold communes that
hold villages; every unit's total is its own counts plus those of every unit below it.
"""
from __future__ import annotations

from typing import Mapping

Parents = Mapping[str, "str | None"]
Counts = Mapping[str, int]


def ancestors(parents: Parents, unit_id: str) -> list[str]:
    """The unit's known ancestors, nearest first. A parent not (yet) registered ends the chain."""
    chain, seen = [], {unit_id}
    parent = parents.get(unit_id)
    while parent is not None and parent in parents and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        parent = parents.get(parent)
    return chain


def subtree_totals(parents: Parents, own: Mapping[str, Counts]) -> dict[str, dict[str, int]]:
    """For every known unit: its own counts plus those of all its descendants.

    Counts of a unit that is not in `parents` (its UnitRegistered has not arrived) are left
    out until it is known; then they count, at every ancestor, like any other.
    """
    keys = {key for counts in own.values() for key in counts}
    totals: dict[str, dict[str, int]] = {unit: dict.fromkeys(keys, 0) for unit in parents}
    for unit, counts in own.items():
        if unit not in parents:
            continue
        for receiver in (unit, *ancestors(parents, unit)):
            target = totals[receiver]
            for key, value in counts.items():
                target[key] += value
    return totals


def children(parents: Parents, unit_id: str) -> list[str]:
    return sorted(unit for unit, parent in parents.items() if parent == unit_id and unit != unit_id)


def subtree(parents: Parents, unit_id: str) -> list[str]:
    """The unit and every unit below it (unit first, then level by level)."""
    below: dict[str, list[str]] = {}
    for unit, parent in sorted(parents.items()):
        if parent is not None and parent != unit:
            below.setdefault(parent, []).append(unit)
    found, seen, frontier = [unit_id], {unit_id}, [unit_id]
    while frontier:
        frontier = [c for u in frontier for c in below.get(u, ()) if c not in seen]
        seen.update(frontier)
        found.extend(frontier)
    return found


def roots(parents: Parents) -> list[str]:
    """Units with no parent, or whose parent is not registered (yet)."""
    return sorted(unit for unit, parent in parents.items() if parent is None or parent not in parents)
