"""Reading counters: the current counts of some owners, or their counts as of a past day.

As of a past day D, `own:U` is the sum of U's daily deltas up to D, and `total:U` the sum of those
of every unit now in U's subtree (the hierarchy as it is now). Agencies keep no history.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from schemas.rejections import Invalid
from services.reporting.domain.counters import add
from services.reporting.domain.projection import UNITS
from services.reporting.handlers.repository.counters import COUNTERS, MONTHS
from services.runtime.ports import DocumentStore


async def counts_of(store: DocumentStore, owners: Iterable[str], as_of: date | None = None) -> dict[str, dict[str, int]]:
    """Counts per owner (empty for an owner never counted). With `as_of`: as they stood at the end of that day."""
    wanted = list(dict.fromkeys(owners))
    found: dict[str, dict[str, int]] = {owner: {} for owner in wanted}
    if not wanted:
        return found
    if as_of is None:  # one indexed query for all of them
        for doc in await store.find(COUNTERS, owner=wanted):
            found[doc["owner"]] = doc["counts"]
        return found
    if any(o.startswith("agency:") for o in wanted):
        raise Invalid("figures per agency are kept for today only; as_of is not available for them", field="as_of")
    members = {o: [o[4:]] if o.startswith("own:") else await subtree(store, o[6:]) for o in wanted}
    own = await _own_as_of(store, {u for units in members.values() for u in units}, as_of)
    for owner, units in members.items():
        for unit in units:
            add(found[owner], own.get(unit, {}))
    return found


async def subtree(store: DocumentStore, unit_id: str) -> list[str]:
    """The unit and every unit now below it, level by level."""
    found, frontier = [unit_id], [unit_id]
    while frontier:
        below = [d["unit_id"] for d in await store.find(UNITS, parent_id=frontier) if d["unit_id"] not in found]
        found.extend(below)
        frontier = below
    return found


async def _own_as_of(store: DocumentStore, units: set[str], as_of: date) -> dict[str, dict[str, int]]:
    last, month = as_of.isoformat(), as_of.isoformat()[:7]
    own: dict[str, dict[str, int]] = {}
    for doc in await store.find(MONTHS, owner=[f"own:{u}" for u in sorted(units)]):
        if doc["month"] > month:
            continue
        counts = own.setdefault(doc["owner"][4:], {})
        for day, delta in doc["days"].items():
            if day <= last:
                add(counts, delta)
    return own
