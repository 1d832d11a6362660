"""Outbox relay: publishes a service's stored events to Kafka, in order, at least once.

It remembers the position it reached in the event store. The bundled broker keeps nothing
across a restart, so the relay keeps an epoch marker topic for its events topic (see
topics.py): when its marker is gone the broker is new, and the relay makes its topic anew and
publishes the whole history again from position 0; consumers are idempotent and skip what they
already applied, and go back to the topic's beginning when they see the new epoch.

An event the broker cannot take (too large: the producer's limit is MAX_PUBLISH_BYTES) is parked,
not retried: kept in the `outbox_parked` collection with the reason, together with every later
event of its stream (their order must hold), while other streams go on; /ready reports them.
Events built by this code are far smaller (events.py checks MAX_EVENT_BYTES); parking is for
what was stored before that check or came in some other way.

The marker is checked again after every acknowledged batch: a batch that was pending while the
broker restarted is acknowledged by the new broker into a topic that does not exist there yet,
and such a topic must be deleted before it is used (topics.py says why).
"""
from __future__ import annotations

import asyncio
import logging
import time

from services.runtime.bus import RECORD_ERRORS, Bus, describe_error
from services.runtime.clock import wait_or_timeout
from services.runtime.ports import Store, StoredEvent
from services.runtime.topics import epochs, marker_topic, new_epoch

log = logging.getLogger("tiendo.outbox")
PARKED = "outbox_parked"
MAX_PUBLISH_BYTES = 1024 * 1024 - 4096  # aiokafka's default max_request_size, less room for key and headers
# An idle relay looks at the store less and less often (idle_seconds doubling up to this): appends in this
# process wake it at once (wake()); only events appended by another process sharing the store wait this long.
IDLE_MAX_SECONDS = 1.0


class BrokerReplaced(Exception):
    """The relay's marker vanished: the broker restarted empty."""


class OutboxRelay:
    def __init__(self, store: Store, bus: Bus, topic: str, name: str, *, topics: list[str], partitions: int,
                 batch_size: int = 2000, idle_seconds: float = 0.05, check_seconds: float = 2.0,
                 idle_max_seconds: float = IDLE_MAX_SECONDS) -> None:
        self.store, self.bus, self.topic, self.name = store, bus, topic, name
        self.topics, self.partitions = topics, partitions
        self.batch_size, self.idle_seconds, self.check_seconds = batch_size, idle_seconds, check_seconds
        self.idle_max_seconds = max(idle_seconds, idle_max_seconds)
        self.pause = idle_seconds  # the current wait between looks at the store while nothing comes
        self.epoch: str | None = None  # of the marker this relay made or found on the current broker
        self._wake = asyncio.Event()
        self._last_check = 0.0
        self.published = 0
        self.republished_histories = 0
        self.parked_streams: dict[str, int] | None = None  # stream -> parked events, loaded on first use

    def wake(self) -> None:
        """Called after an append so new events go out without waiting for the next poll."""
        self._wake.set()

    async def check_broker(self) -> None:
        """Find our marker on the broker; without it the broker is new: make the topic anew, publish all again."""
        self._last_check = time.monotonic()
        present = epochs(await self.bus.topic_names()).get(self.topic, ())
        if self.epoch is None and present:
            self.epoch = present[-1]  # this process starts on a broker that already has our topic
        if self.epoch in present:
            return
        await self._start_on_new_broker()

    async def _start_on_new_broker(self) -> None:
        lost = self.epoch is not None  # we published on a broker that is gone: our topic may hold orphans
        await self.bus.admin.ensure(self.topics, self.partitions)
        if lost:
            await self.bus.admin.recreate(self.topic, self.partitions)
        if lost or await self.store.get_position(self.name):
            log.warning("relay %s: the broker has no marker for %s (it is new): publishing the stored history again", self.name, self.topic)
            await self.store.set_position(self.name, 0)
            self.republished_histories += 1
        epoch = new_epoch()
        await self.bus.admin.ensure([marker_topic(self.topic, epoch)], 1)
        self.epoch = epoch

    async def publish_pending(self) -> int:
        """Publish one batch after the stored position; returns how many events it went through."""
        if self.parked_streams is None:
            self.parked_streams = {}
            for doc in await self.store.find(PARKED):
                self.parked_streams[doc["stream_id"]] = self.parked_streams.get(doc["stream_id"], 0) + 1
        position = await self.store.get_position(self.name)
        batch = await self.store.read_after(position, self.batch_size)
        if not batch:
            return 0
        sendable = []
        for item in batch:
            if item.stream_id in self.parked_streams:
                await self._park(item, "held behind an earlier parked event of its stream")
            elif len(item.body) > MAX_PUBLISH_BYTES:
                await self._park(item, f"{len(item.body):,} bytes: larger than the {MAX_PUBLISH_BYTES:,} the producer may send")
            else:
                sendable.append(item)
        outcomes = await self.bus.publish_stored(self.topic, sendable) if sendable else []
        if self.epoch is None or marker_topic(self.topic, self.epoch) not in await self.bus.topic_names():
            raise BrokerReplaced(f"the marker of {self.topic} vanished while a batch was published")
        reached, failure = batch[-1].position, None
        for item, outcome in zip(sendable, outcomes):
            if isinstance(outcome, RECORD_ERRORS):
                await self._park(item, describe_error(outcome))
            elif outcome is not None:  # the broker went away: publish from this event again later
                index = batch.index(item)
                reached, failure = (batch[index - 1].position if index else position), outcome
                break
        await self.store.set_position(self.name, max(reached, position))
        self.published += sum(1 for o in outcomes if o is None)
        if failure is not None:
            raise failure
        return len(batch)

    async def _park(self, item: StoredEvent, reason: str) -> None:
        log.error("relay %s: parking event %s v%d (%s) at position %d: %s",
                  self.name, item.stream_id, item.stream_version, item.event_type, item.position, reason)
        await self.store.put(PARKED, str(item.position), {
            "position": item.position, "stream_id": item.stream_id, "stream_version": item.stream_version,
            "event_type": item.event_type, "bytes": len(item.body), "reason": reason,
        })
        assert self.parked_streams is not None
        self.parked_streams[item.stream_id] = self.parked_streams.get(item.stream_id, 0) + 1

    @property
    def parked(self) -> int:
        return sum((self.parked_streams or {}).values())

    async def run(self) -> None:
        while True:
            try:
                if self.epoch is None or time.monotonic() - self._last_check >= self.check_seconds:
                    await self.check_broker()
                self._wake.clear()  # before reading: an append while this batch goes out wakes the wait below at once
                if await self.publish_pending():
                    self.pause = self.idle_seconds
                    continue
                woken = await wait_or_timeout(self._wake, min(self.pause, self.check_seconds))
                self.pause = self.idle_seconds if woken else min(self.pause * 2, self.idle_max_seconds)
            except asyncio.CancelledError:
                raise
            except BrokerReplaced as error:
                log.warning("relay %s: %s", self.name, error)
                self._last_check = 0.0
            except Exception as error:  # the broker is away: keep the position, try again
                log.warning("relay %s: %s: %s; retrying", self.name, type(error).__name__, error)
                await asyncio.sleep(0.5)
