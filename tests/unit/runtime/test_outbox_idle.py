"""An idle relay looks at its store less and less often, and an append still goes out at once."""
from __future__ import annotations

import asyncio
import time

from services.runtime.memory_store import MemoryStore
from services.runtime.outbox import OutboxRelay
from tests.unit.runtime.test_outbox_parking import AcceptingBus, event


async def _until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


async def test_an_idle_relay_backs_off_and_an_append_wakes_it_at_once():
    store, bus = MemoryStore(), AcceptingBus()
    relay = OutboxRelay(store, bus, "events", "test", topics=["events"], partitions=1,
                        idle_seconds=1.0, idle_max_seconds=8.0, check_seconds=60)
    relay.epoch, relay._last_check = "e1", time.monotonic()
    running = asyncio.create_task(relay.run())
    try:
        assert await _until(lambda: relay.pause >= 4.0, 15), "the pause did not grow while nothing came"
        # a wait of 4 s has just begun: only wake() can end it sooner
        await store.append("unit-a", 0, [event("unit-a", 1)])
        woken_at = time.monotonic()
        relay.wake()
        assert await _until(lambda: bus.sent, 10)
        assert time.monotonic() - woken_at < 2.0
        assert bus.sent == [("unit-a", 1)] and relay.pause == 1.0  # back to the short pause once events came
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
