"""Releasing a parked stream: its events go out first and in order, newer ones wait behind them; a refusal parks the rest again."""
from __future__ import annotations

import pytest

from services.runtime.memory_store import MemoryStore
from services.runtime.outbox import MAX_PUBLISH_BYTES, PARKED, RELEASED, OutboxRelay, StillTooLarge, release_stream
from tests.unit.runtime.test_outbox_parking import AcceptingBus, event


def relay_on(store, bus, max_bytes: int) -> OutboxRelay:
    relay = OutboxRelay(store, bus, "events", "test", topics=["events"], partitions=1, check_seconds=0, max_bytes=max_bytes)
    relay.epoch = "e1"
    return relay


async def parked_stream(store, bus) -> None:
    await store.append("unit-big", 0, [event("unit-big", 1, size=5000)])
    await store.append("unit-big", 1, [event("unit-big", 2)])
    await store.append("unit-a", 0, [event("unit-a", 1)])
    await relay_on(store, bus, 3000).publish_pending()
    assert bus.sent == [("unit-a", 1)]


async def test_a_released_stream_goes_out_in_order_before_its_newer_events():
    store, bus = MemoryStore(), AcceptingBus()
    await parked_stream(store, bus)
    assert [e["stream_version"] for e in await release_stream(store, "unit-big")] == [1, 2]
    await store.append("unit-big", 2, [event("unit-big", 3)])
    relay = relay_on(store, bus, MAX_PUBLISH_BYTES)  # the fix: a limit the event fits under
    await relay.publish_pending()
    await relay.publish_pending()
    assert bus.sent == [("unit-a", 1), ("unit-big", 1), ("unit-big", 2), ("unit-big", 3)]
    assert await store.find(PARKED) == [] and await store.find(RELEASED) == [] and relay.parked == 0


async def test_a_release_refused_again_parks_the_rest_of_its_stream_again_with_the_reason():
    store, bus = MemoryStore(), AcceptingBus()
    await parked_stream(store, bus)
    await release_stream(store, "unit-big")
    relay = relay_on(store, bus, 3000)  # nothing was fixed
    await relay.publish_pending()
    assert bus.sent == [("unit-a", 1)] and relay.parked == 2 and await store.find(RELEASED) == []
    reasons = [p["reason"] for p in sorted(await store.find(PARKED), key=lambda p: p["position"])]
    assert "larger than the 3,000" in reasons[0] and "held behind" in reasons[1]


async def test_a_stream_no_producer_can_send_is_not_released():
    store = MemoryStore()
    await store.put(PARKED, "1", {"position": 1, "stream_id": "s", "stream_version": 1, "event_type": "TaskAssigned",
                                  "bytes": MAX_PUBLISH_BYTES + 1, "reason": "too large"})
    with pytest.raises(StillTooLarge, match="over the"):
        await release_stream(store, "s")
    assert len(await store.find(PARKED)) == 1 and await store.find(RELEASED) == []
