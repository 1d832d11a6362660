"""Outbox relay: publishes a service's stored events to Kafka, in order, at least once.

It remembers the position it reached in the event store. The bundled broker keeps nothing
across a restart, so the relay keeps a marker topic of its own: when the marker is gone the
broker is new, and the relay publishes the whole history again from position 0; consumers are
idempotent and skip what they already applied.
"""
from __future__ import annotations

import asyncio
import logging
import time

from services.runtime.bus import Bus
from services.runtime.clock import wait_or_timeout
from services.runtime.ports import EventStore

log = logging.getLogger("tiendo.outbox")


class OutboxRelay:
    def __init__(self, store: EventStore, bus: Bus, topic: str, name: str, *, topics: list[str], partitions: int,
                 batch_size: int = 2000, idle_seconds: float = 0.05, check_seconds: float = 2.0) -> None:
        self.store, self.bus, self.topic, self.name = store, bus, topic, name
        self.topics, self.partitions = topics, partitions
        self.batch_size, self.idle_seconds, self.check_seconds = batch_size, idle_seconds, check_seconds
        self.marker = f"tiendo.relay-marker.{name}"
        self._wake = asyncio.Event()
        self._last_check = 0.0
        self.published = 0

    def wake(self) -> None:
        """Called after an append so new events go out without waiting for the next poll."""
        self._wake.set()

    async def check_broker(self) -> None:
        """If the broker lost our marker topic, it is a new broker: recreate topics and republish all."""
        self._last_check = time.monotonic()
        if await self.bus.topic_exists(self.marker):
            return
        await self.bus.ensure_topics(self.topics, self.partitions)
        if await self.store.get_position(self.name):
            log.warning("relay %s: broker has no marker topic, publishing the stored history again", self.name)
            await self.store.set_position(self.name, 0)
        await self.bus.ensure_topics([self.marker], 1)

    async def publish_pending(self) -> int:
        """Publish one batch after the stored position; returns how many were published."""
        position = await self.store.get_position(self.name)
        batch = await self.store.read_after(position, self.batch_size)
        if not batch:
            return 0
        await self.bus.publish_stored(self.topic, batch)
        await self.store.set_position(self.name, batch[-1].position)
        self.published += len(batch)
        return len(batch)

    async def run(self) -> None:
        while True:
            try:
                if time.monotonic() - self._last_check >= self.check_seconds:
                    await self.check_broker()
                if await self.publish_pending():
                    continue
                self._wake.clear()
                await wait_or_timeout(self._wake, self.idle_seconds)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the broker is away: keep the position, try again
                log.warning("relay %s: %s: %s; retrying", self.name, type(error).__name__, error)
                await asyncio.sleep(0.5)
