"""An idle subscriber waits in the fetch: it asks the broker about once a second, and still takes a new record."""
from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timezone

from schemas.directory import UnitRegistered
from services.runtime.bus import IDLE_FETCH_MS, Bus
from services.runtime.events import Cause, envelop
from services.runtime.ports import StoredEvent
from tests.support.polling import eventually


async def test_an_idle_subscriber_asks_rarely_and_takes_a_new_record_at_once(broker):
    topic = f"test.idle.{uuid.uuid4().hex[:8]}"
    bus = Bus(broker, client_id="idle-test")
    await bus.ensure_topics([topic], 1)
    applied: list[float] = []

    async def apply(events) -> None:
        applied.extend(time.monotonic() for _ in events)

    bus.subscribe_events([topic], f"idle-{uuid.uuid4().hex[:6]}", "idle.test", apply)
    await bus.start()
    try:
        (_, consumer), = bus.consumers()

        async def joined():
            return bool(consumer.assignment())

        await eventually(joined, timeout=60, what="the subscriber to join its group")
        asks, getmany = [], consumer.getmany

        async def counted(*args, **kwargs):
            asks.append(time.monotonic())
            return await getmany(*args, **kwargs)

        consumer.getmany = counted
        window = 3.0
        await asyncio.sleep(window)  # an observation window, not a synchronisation: nothing is published in it
        assert len(asks) <= window / (IDLE_FETCH_MS / 1000) + 2, f"{len(asks)} asks in {window} s while idle"
        now = datetime.now(timezone.utc)
        stored = [StoredEvent.of(1, envelop("unit-x", 0, [UnitRegistered(unit_id="x", name="x", level="province")], Cause("t", "c"), now)[0])]
        published = time.monotonic()
        await bus.publish_stored(topic, stored)

        async def taken():
            return bool(applied)

        await eventually(taken, timeout=30, what="the record to be applied")
        assert applied[0] - published < 10
    finally:
        await bus.stop()


async def test_an_empty_fetch_is_not_followed_by_a_sleep():
    bus = Bus("127.0.0.1:9", client_id="no-sleep-test")  # never started: only the subscriber's fetch step is run

    async def handle(records) -> None:
        return None

    bus.subscribe_records(["t"], "g", handle)
    (_, subscriber), = bus._subscribers

    class EmptyConsumer:
        async def getmany(self, timeout_ms: int, max_records: int) -> dict:
            self.waited_ms = timeout_ms
            return {}

    empty = EmptyConsumer()
    started = time.monotonic()
    assert await subscriber.get_msg(empty) == ()
    assert empty.waited_ms == IDLE_FETCH_MS and time.monotonic() - started < IDLE_FETCH_MS / 1000 / 2
