"""Consumers follow their topics' epochs: when a relay made its topic anew, they read it again from the start.

A consumer's position is kept by the client across a broker restart, and the bundled broker
answers a fetch beyond a partition's end with nothing rather than an out-of-range error, so a
position kept from before would skip the first records published again. Re-reading from the
beginning costs little: consumers skip what they already applied.
"""
from __future__ import annotations

import asyncio
import logging

from services.runtime.bus import Bus
from services.runtime.topics import epochs

log = logging.getLogger("tiendo.epochs")


class EpochWatch:
    def __init__(self, bus: Bus, interval: float) -> None:
        self.bus, self.interval = bus, interval
        self.seen: dict[str, tuple[str, ...]] | None = None
        self.pending: set[str] = set()
        self.rewinds = 0

    async def check(self) -> None:
        current = epochs(await self.bus.topic_names(max_age=self.interval))  # shared with the relay's periodic look
        watched = {topic: current.get(topic, ()) for topic in self.bus.subscribed_topics()}
        if self.seen is not None:
            self.pending.update(t for t, marks in watched.items() if marks and marks != self.seen.get(t))
        self.seen = watched
        for topic in sorted(self.pending):
            if await self.bus.rewind(topic):
                self.pending.discard(topic)
                self.rewinds += 1
                log.warning("%s has a new epoch %s: its consumers start again from its beginning", topic, watched[topic])

    async def run(self) -> None:
        while True:
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the broker is away: look again at the next tick
                log.info("epoch check failed: %s: %s", type(error).__name__, error)
            await asyncio.sleep(self.interval)
