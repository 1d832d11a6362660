"""An event the broker cannot take is parked with its stream's later events; other streams go on, nothing loops."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone

from schemas.envelope import Envelope
from services.runtime.bus import Stages
from services.runtime.memory_store import MemoryStore
from services.runtime.outbox import MAX_PUBLISH_BYTES, PARKED, OutboxRelay
from services.runtime.topics import marker_topic

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


class AcceptingBus:
    """Unit-test stand-in for the bus: acknowledges every send and keeps what it was given."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, int]] = []
        self.topics = {marker_topic("events", "e1")}
        self.stages = Stages()

    async def publish_stored(self, topic, stored, extra=None, partitions=None):
        self.sent.extend((s.stream_id, s.stream_version) for s in stored)
        self.headers = getattr(self, "headers", []) + list(extra or [])
        return [None] * len(stored)

    async def hand_over_stored(self, topic, stored, extra=None, partitions=None):
        return asyncio.ensure_future(self.publish_stored(topic, stored, extra, partitions))  # acknowledged on the next turns, in order

    async def partitions_for(self, topic, fresh=False):
        return [0, 1, 2]

    async def topic_names(self, max_age: float = 0.0):
        return self.topics


def event(stream: str, version: int, size: int = 10) -> Envelope:
    return Envelope(event_id=uuid.uuid4(), event_type="UnitRegistered", stream_id=stream, stream_version=version, occurred_at=NOW,
                    recorded_at=NOW, correlation_id="c", actor="a", payload={"unit_id": stream, "name": "x" * size, "level": "province"})


async def test_a_record_too_large_is_parked_with_the_rest_of_its_stream_and_others_are_published():
    store, bus = MemoryStore(), AcceptingBus()
    await store.append("unit-a", 0, [event("unit-a", 1)])
    await store.append("unit-big", 0, [event("unit-big", 1, size=MAX_PUBLISH_BYTES + 1)])
    await store.append("unit-b", 0, [event("unit-b", 1)])
    await store.append("unit-big", 1, [event("unit-big", 2)])
    relay = OutboxRelay(store, bus, "events", "test", topics=["events"], partitions=1)
    relay.epoch = "e1"
    assert await relay.publish_pending() == 4
    assert bus.sent == [("unit-a", 1), ("unit-b", 1)]
    parked = await store.find(PARKED)
    assert [(p["stream_id"], p["stream_version"]) for p in parked] == [("unit-big", 1), ("unit-big", 2)]
    assert "larger than" in parked[0]["reason"] and "held behind" in parked[1]["reason"]
    assert relay.parked == 2 and await store.get_position("test") == 4
    assert await relay.publish_pending() == 0 and len(bus.sent) == 2  # nothing is sent again


async def test_a_relay_restarted_keeps_holding_a_parked_stream():
    store, bus = MemoryStore(), AcceptingBus()
    await store.append("unit-big", 0, [event("unit-big", 1, size=MAX_PUBLISH_BYTES + 1)])
    first = OutboxRelay(store, bus, "events", "test", topics=["events"], partitions=1)
    first.epoch = "e1"
    await first.publish_pending()
    await store.append("unit-big", 1, [event("unit-big", 2)])
    again = OutboxRelay(store, bus, "events", "test", topics=["events"], partitions=1)
    again.epoch = "e1"
    await again.publish_pending()
    assert bus.sent == [] and again.parked == 2
