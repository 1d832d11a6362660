"""Stopping a service never hangs, even on a loop that lost a cancellation (asyncio.wait_for on 3.11 can)."""
from __future__ import annotations

import asyncio

from services.runtime.clock import SystemClock, wait_or_timeout
from services.runtime.memory_store import MemoryStore
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings


class StoppedBus:
    """Unit-test stand-in for the Kafka bus: only stop() is used here."""

    stopped = False

    def use_checkpoints(self, ledger) -> None:
        pass

    def subscribed_topics(self) -> set[str]:
        return set()

    def on_join(self, hook) -> None:
        pass

    async def stop(self) -> None:
        self.stopped = True


async def test_a_loop_that_swallows_the_first_cancellation_still_stops():
    bus = StoppedBus()
    runtime = ServiceRuntime("test", ServiceSettings(environment="test"), MemoryStore(), SystemClock(), bus=bus)
    swallowed = []

    async def stubborn() -> None:
        while True:
            try:
                await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                if not swallowed:
                    swallowed.append(True)  # what a library converting CancelledError into its own error does
                    continue
                raise

    runtime._tasks = [asyncio.create_task(stubborn())]
    await asyncio.sleep(0)
    await asyncio.wait_for(runtime.stop(), timeout=20)
    assert swallowed and runtime._tasks[0].cancelled() and bus.stopped


async def test_wait_or_timeout_says_whether_the_event_came():
    event = asyncio.Event()
    assert await wait_or_timeout(event, 0.01) is False
    event.set()
    assert await wait_or_timeout(event, 1) is True
