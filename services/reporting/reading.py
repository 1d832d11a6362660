"""Reading counters: the current counts of some owners, or their counts as of a past day.

A unit's count of status reports is kept in documents of its own (`report_counts`, and per day `report_months`:
handlers/repository/counters.py) and added to its counts here, so every reader sees one map per owner.

As of a past day D, `own:U` is the sum of U's daily deltas up to D, and `total:U` the sum of those
of every unit now in U's subtree (the hierarchy as it is now). Agencies keep no history.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from schemas.rejections import Invalid
from services.reporting.domain.counters import add, is_group_key
from services.reporting.domain.projection import UNITS
from services.reporting.handlers.repository.counters import COUNTERS, GROUP_COUNTERS, MONTHS, REPORT_COUNTS, REPORT_MONTHS
from services.runtime.ports import DocumentStore


async def counts_of(store: DocumentStore, owners: Iterable[str], as_of: date | None = None) -> dict[str, dict[str, int]]:
    """Counts per owner (empty for an owner never counted). With `as_of`: as they stood at the end of that day."""
    wanted = list(dict.fromkeys(owners))
    found: dict[str, dict[str, int]] = {owner: {} for owner in wanted}
    if not wanted:
        return found
    if as_of is None:  # one indexed query for all of them, and one for the units' status reports (kept apart)
        for doc in await store.find(COUNTERS, owner=wanted):
            found[doc["owner"]] = doc["counts"]
        units = [o for o in wanted if not o.startswith("agency:")]
        for doc in await store.find(REPORT_COUNTS, owner=units) if units else ():
            add(found[doc["owner"]], doc["counts"])  # a store written before may hold some in the counter document too
        return found
    if any(o.startswith("agency:") for o in wanted):
        raise Invalid("figures per agency are kept for today only; as_of is not available for them", field="as_of")
    members = {o: [o[4:]] if o.startswith("own:") else await subtree(store, o[6:]) for o in wanted}
    own = await _own_as_of(store, {u for units in members.values() for u in units}, as_of)
    for owner, units in members.items():
        for unit in units:
            add(found[owner], own.get(unit, {}))
    return found


async def group_counts_of(store: DocumentStore, owners: Iterable[str], as_of: date | None = None) -> dict[str, dict[str, int]]:
    """The units' counts under their utility groups (`g3|…` keys only), from their own documents; as of a past day from the history."""
    wanted = list(dict.fromkeys(owners))
    if as_of is not None:
        return {o: {k: v for k, v in counts.items() if is_group_key(k)} for o, counts in (await counts_of(store, wanted, as_of)).items()}
    found: dict[str, dict[str, int]] = {owner: {} for owner in wanted}
    if wanted:
        for doc in await store.find(GROUP_COUNTERS, owner=wanted):
            found[doc["owner"]] = doc["counts"]
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
    owners = [f"own:{u}" for u in sorted(units)]
    for doc in [*await store.find(MONTHS, owner=owners), *await store.find(REPORT_MONTHS, owner=owners)]:
        if doc["month"] > month:
            continue
        counts = own.setdefault(doc["owner"][4:], {})
        for day, delta in doc["days"].items():
            if day <= last:
                add(counts, delta)
    return own
