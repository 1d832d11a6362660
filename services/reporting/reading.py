"""Reading counters: the current counts of some owners, or their counts as of a past day."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from services.reporting.domain.counters import add
from services.reporting.handlers.counting import COUNTERS, DAYS
from services.runtime.ports import DocumentStore


async def counts_of(store: DocumentStore, owners: Iterable[str], as_of: date | None = None) -> dict[str, dict[str, int]]:
    """Counts per owner (empty for an owner never counted). With `as_of`: the sum of its day deltas up to that day."""
    wanted = list(dict.fromkeys(owners))
    found: dict[str, dict[str, int]] = {owner: {} for owner in wanted}
    if not wanted:
        return found
    if as_of is None:
        for doc in await store.find(COUNTERS, owner=wanted):
            found[doc["owner"]] = doc["counts"]
        return found
    last = as_of.isoformat()
    for doc in await store.find(DAYS, owner=wanted):
        if doc["day"] <= last:
            add(found[doc["owner"]], doc["counts"])
    return found
