"""/ready's relay lag: exact while small, and "past the bound" exactly when more than LAG_BOUND events wait, without
reading them all (a probe reads at most COUNTED_LAG + 2 events)."""
from __future__ import annotations

from datetime import datetime, timezone

from schemas.directory import UnitRegistered
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from services.runtime.readiness import COUNTED_LAG, LAG_BOUND, relay_lag


class CountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.read = 0

    async def read_after(self, position, limit):
        found = await super().read_after(position, limit)
        self.read += len(found)
        return found


async def stored(n: int) -> CountingStore:
    store, now = CountingStore(), datetime.now(timezone.utc)
    events = envelop("unit-1", 0, [UnitRegistered(unit_id="u1", name=f"v{i}", level="province") for i in range(n)], Cause("t", "c"), now)
    await store.append("unit-1", 0, events)
    return store


async def test_a_small_lag_is_counted_exactly():
    store = await stored(40)
    assert await relay_lag(store, 0) == 40 and await relay_lag(store, 40) == 0 and await relay_lag(store, 15) == 25


async def test_a_lag_past_the_bound_is_told_without_reading_every_waiting_event():
    store = await stored(LAG_BOUND + 5)
    store.read = 0
    assert await relay_lag(store, 0) == LAG_BOUND + 1
    assert await relay_lag(store, 5) == COUNTED_LAG + 1  # exactly LAG_BOUND waiting: within the bound
    assert store.read <= 2 * (COUNTED_LAG + 2)
