"""/ready's relay lag: exact while small, and "past the bound" exactly when more than LAG_BOUND events wait, without
reading them all (a probe reads at most COUNTED_LAG + 2 events)."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from schemas.directory import UnitRegistered
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from services.runtime.outbox import OutboxRelay
from services.runtime.readiness import COUNTED_LAG, LAG_BOUND, _relay, relay_lag
from tests.unit.runtime.test_outbox_parking import AcceptingBus


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


async def test_ready_tells_where_the_last_history_started_what_it_skipped_whose_floors_it_heard_and_refused():
    store = await stored(30)
    relay = OutboxRelay(store, AcceptingBus(), "events", "test", topics=["events"], partitions=3)
    relay.epoch, relay.republished_histories, relay.republished_from = "e1", 1, 20
    relay.skipped_as_applied, relay.heard = 20, ("tiendo-notify", "tiendo-reporting")
    relay.refused_floors = {"tiendo-notify": "its floor of partition 1 names another event than position 12 holds"}
    await store.set_position("test", 30)
    checks = await _relay(SimpleNamespace(relay=relay, store=store))
    assert checks["ok"] and checks["lag"] == 0
    assert checks["last_history"] == {"from_position": 20, "skipped_as_applied": 20,
                                      "floors_heard_from": ["tiendo-notify", "tiendo-reporting"],
                                      "floors_refused": {"tiendo-notify": "its floor of partition 1 names another event than position 12 holds"}}
