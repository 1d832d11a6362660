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

Releasing (`tiendo outbox parked release STREAM`, after a fix such as a raised broker limit) moves
a stream's parked entries to `outbox_released`; the relay notices within `check_seconds` (it reads
both again that often while anything is held, and before it holds a new event back), publishes the released events in position order
before anything newer, and holds newer events of that stream behind them (in `outbox_released`,
not parked) until they are out. An event the producer cannot send at all (over MAX_PUBLISH_BYTES)
is never released: the command refuses. An event refused again is parked again with its reason,
and so is the rest of its stream.

Up to IN_FLIGHT batches are out at once: the relay reads and hands over its next batch while the acknowledgements of
those before it travel (the producer sends one request per partition at a time, so each partition keeps the order of
the hand-overs), and stores its position only over acknowledged batches, in order. A cycle (`publish_pending`) goes on
while the store has more, for at most `check_seconds`, then lets every batch settle and checks the marker once: a batch
that was pending while the broker restarted is acknowledged by the new broker into a topic that does not exist there
yet, and such a topic must be deleted before it is used (topics.py says why); `in_flight` stays set from the first
hand-over of a cycle until that look, so a new broker found meanwhile makes the topic anew. A position stored over
batches the new broker acknowledged does no harm: a new broker sends the relay back to its subscribers' lowest floor
(what every one of them applied; position 0 without their floors). Only then: a relay whose
last publish was confirmed on the old broker (its marker seen after the acknowledgements) had
nothing in flight when that broker went, so no orphan can be in its topic on the new one; it keeps
the topic it finds there (made by the consumers' metadata requests, which they joined on) and says
so in its new epoch, so its consumers join their groups once per broker restart, not again for a
topic deleted and made anew under them (epochs.py).

Republishing a history after a new broker reads the store in the relay's batches (RELAY_BATCH) as
live publishing does, and publishes only what a subscriber has not applied: the relay first waits (up to
`floor_wait` seconds) for the floors of the consumer groups declared to read its topic (`subscribers`), then starts
at the lowest of them and skips every event each group's floors cover (floors.py; a group not heard in time covers
nothing: everything goes out). Every record carries its outbox position and the chain its consumers' floors follow.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import Sequence

from services.runtime.bus import RECORD_ERRORS, Bus, describe_error
from services.runtime.clock import wait_or_timeout
from services.runtime.floors import Chain, Selection, hear, select, verified
from services.runtime.ports import Store, StoredEvent
from services.runtime.topics import epochs, marker_topic, new_epoch
from services.runtime.turns import Turns

log = logging.getLogger("tiendo.outbox")
PARKED = "outbox_parked"
RELEASED = "outbox_released"
MAX_PUBLISH_BYTES = 1024 * 1024 - 4096  # aiokafka's default max_request_size, less room for key and headers
# An idle relay looks at the store less and less often (idle_seconds doubling up to this): appends in this
# process wake it at once (wake()); only events appended by another process sharing the store wait this long.
IDLE_MAX_SECONDS = 1.0
# Events the relay reads and hands over at once. With one batch in flight a batch cost two broker round trips whatever its
# size, so it was 10,000 (bench/history/national-scale.md "P1: where the pipeline waits"); with IN_FLIGHT batches out at once and one marker
# look per cycle a batch costs a store read and a position write, and its read (one synchronous SQLite query) holds the
# event loop: 10,000 events held it 0.2–0.6 s. 2,000 × 5 in flight republish faster than 10,000 × 4 and hold the loop
# less than half as long ("Relay and consumer loop, lean").
RELAY_BATCH = 2_000  # ≈ 2 MB at 1 kB per event
# Batches handed over whose acknowledgements the relay awaits at once (the next is read and handed over meanwhile).
IN_FLIGHT = 5
READ_CHUNK = 500  # events per store read: a batch is read in parts, the loop given a turn between them (turns.py)


@dataclass
class _Flight:
    """A batch handed over: as read, what of it went to the producer, the position before it, its outcomes to come."""
    batch: list[StoredEvent]
    sendable: list[StoredEvent]
    before: int
    outcomes: "asyncio.Future[list[BaseException | None]]"
    handed_at: float


class BrokerReplaced(Exception):
    """The relay's marker vanished: the broker restarted empty."""


class StillTooLarge(Exception):
    """A parked event is larger than the producer can ever send: releasing its stream would only park it again."""


async def parked_entries(store: Store, collection: str = PARKED) -> list[dict]:
    """Parked (or released, not yet published) entries in position order."""
    return sorted(await store.find(collection), key=lambda doc: doc["position"])


async def release_stream(store: Store, stream_id: str) -> list[dict]:
    """Move a stream's parked entries to the released queue the relay publishes first; refuse what is still too large."""
    entries = [doc for doc in await parked_entries(store) if doc["stream_id"] == stream_id]
    for doc in entries:
        if doc["bytes"] > MAX_PUBLISH_BYTES:
            raise StillTooLarge(f"{stream_id} v{doc['stream_version']} ({doc['event_type']}, position {doc['position']}) is "
                                f"{doc['bytes']:,} bytes, over the {MAX_PUBLISH_BYTES:,} the producer can send: replace it first")
    async with store.transaction():
        for doc in entries:
            await store.put(RELEASED, str(doc["position"]), doc)
            await store.delete(PARKED, str(doc["position"]))
    return entries


class OutboxRelay:
    def __init__(self, store: Store, bus: Bus, topic: str, name: str, *, topics: list[str], partitions: int,
                 batch_size: int = RELAY_BATCH, idle_seconds: float = 0.05, check_seconds: float = 2.0,
                 max_bytes: int = MAX_PUBLISH_BYTES, idle_max_seconds: float = IDLE_MAX_SECONDS, in_flight: int = IN_FLIGHT,
                 subscribers: Sequence[str] | None = None, floor_wait: float = 15.0) -> None:
        self.store, self.bus, self.topic, self.name = store, bus, topic, name
        self.max_bytes = max_bytes  # lower only where a broker takes less (tests stand for one)
        self.topics, self.partitions = topics, partitions
        self.batch_size, self.idle_seconds, self.check_seconds = batch_size, idle_seconds, check_seconds
        self.in_flight_batches = max(1, in_flight)
        self.idle_max_seconds = max(idle_seconds, idle_max_seconds)
        self.pause = idle_seconds  # the current wait between looks at the store while nothing comes
        self.epoch: str | None = None  # of the marker this relay made or found on the current broker
        self.in_flight = False  # a publish not yet confirmed on the broker that acknowledged it (its marker seen after it)
        self.recreated_topics = 0  # topics deleted and made anew (a publish was in flight when a broker went)
        self._wake = asyncio.Event()
        self._turns = Turns()  # one clock across a cycle's reads and hand-overs: the loop gets a turn every TURN_SECONDS
        self._last_check = 0.0
        self.published = 0
        self.republished_histories = 0
        self.parked_streams: dict[str, int] | None = None  # stream -> parked events, loaded on first use
        self.released_streams: set[str] = set()  # streams whose released events are not all published yet
        self._held_at = 0.0  # when parked and released entries were last read from the store
        # the broker groups declared to read the topic (None: no floors asked, a history goes out whole) and how long a
        # history waits for their floors; what the last history skipped as applied by every one of them
        self.subscribers, self.floor_wait = (tuple(subscribers) if subscribers else None), floor_wait
        self.chain = Chain()
        self.selection: Selection | None = None
        self.skipped_as_applied = 0
        self.heard: tuple[str, ...] = ()  # the groups whose floors the last history heard
        self.refused_floors: dict[str, str] = {}  # of those, the groups whose floors did not match the outbox, and why
        self.republished_from = 0

    def wake(self) -> None:
        """Called after an append so new events go out without waiting for the next poll."""
        self._wake.set()

    async def check_broker(self) -> None:
        """Find our marker on the broker; without it the broker is new: make the topic anew, publish all again."""
        self._last_check = time.monotonic()
        present = epochs(await self.bus.topic_names(max_age=self.check_seconds)).get(self.topic, ())  # shared with the epoch watch
        if self.epoch is not None and self.epoch not in present:  # "the broker is new" is decided on a fresh answer only
            present = epochs(await self.bus.topic_names()).get(self.topic, ())
        if self.epoch is None and present:
            self.epoch = present[-1]  # this process starts on a broker that already has our topic
        if self.epoch in present:
            return
        await self._start_on_new_broker()

    async def _start_on_new_broker(self) -> None:
        lost = self.epoch is not None  # we published on a broker that is gone
        orphans = lost and self.in_flight  # a publish of ours may have been acknowledged by the new broker before our topic existed
        await self.bus.admin.ensure(self.topics, self.partitions)
        if orphans:
            await self.bus.admin.recreate(self.topic, self.partitions)
            self.recreated_topics += 1
        start = 0
        if lost or await self.store.get_position(self.name):
            self.selection = await self._floors()
            start = self.selection.start if self.selection is not None else 0
            log.warning("relay %s: the broker has no marker for %s (it is new): publishing the stored history again from position %d "
                        "(topic %s)", self.name, self.topic, start, "made anew: a publish was in flight" if orphans else "kept")
            await self.store.set_position(self.name, start)
            self.republished_histories += 1
            self.republished_from = start
        whole = self.selection is None or self.selection.end == 0  # nothing of the history will be skipped as applied
        self.chain.start(await self.bus.partitions_for(self.topic, fresh=True), start, whole)
        epoch = new_epoch(kept=not orphans, from_floors=not whole)
        await self.bus.admin.ensure([marker_topic(self.topic, epoch)], 1)
        self.epoch, self.in_flight = epoch, False

    async def _floors(self) -> Selection | None:
        """What the subscribers applied, by their floors (None: a declared group not heard, or none declared)."""
        if not self.subscribers:
            return None
        began = time.monotonic()
        heard = await hear(self.bus.bootstrap, self.subscribers, self.floor_wait)
        self.heard = tuple(sorted(heard))
        log.warning("relay %s: floors of %d groups heard in %.1f s", self.name, len(heard), time.monotonic() - began)
        floors, self.refused_floors = await verified(self.store, self.topic, heard, self.name)  # each against this outbox
        return select(self.topic, self.subscribers, floors)

    async def publish_pending(self) -> int:
        """One cycle: released events, then batches after the stored position; returns how many events it went through.

        Up to `in_flight` batches are out at once: the next batch is read and handed over while the acknowledgements of
        those before it travel (the producer keeps them in order on each partition). The stored position advances only
        over acknowledged batches, in order (once per round of acknowledgements that came in together). The cycle
        stops reading when the store has nothing more or after `check_seconds`, lets every batch settle, then looks
        for its marker once: every acknowledgement of the cycle came before that look (module docstring). An event the
        broker refuses for its size is parked when its batch settles; later events of its stream in batches already
        handed over have gone out by then (as later events of its own batch always did)."""
        held = bool(self.parked_streams or self.released_streams)
        if self.parked_streams is None or (held and time.monotonic() - self._held_at >= self.check_seconds):
            await self._load_held()  # the release command writes from another process: look again now and then while anything is held
        if self.released_streams:
            await self._publish_released()
        began = time.monotonic()
        stored = position = await self.store.get_position(self.name)
        flights: deque[_Flight] = deque()
        total, failure = 0, None
        try:
            while failure is None:
                reading = len(flights) < self.in_flight_batches and (not total or time.monotonic() - began < self.check_seconds)
                if reading:
                    self._wake.clear()  # before reading: an append while these batches travel is read in this cycle
                    flight = await self._hand_over(position)
                    if flight is not None:
                        flights.append(flight)
                        position, total = flight.batch[-1].position, total + len(flight.batch)
                        self.bus.stages.most(f"relay {self.name}", "most_in_flight", len(flights))
                        await self._turns.take()  # batch after batch goes out without waiting: the loop's turn now and then
                        continue
                if not flights:
                    break
                if reading and not await self._acked_or_woken(flights[0]):
                    continue  # appended meanwhile: read it while the batches out travel
                reached, failure = await self._settle(flights)
                stored = await self._store_position(max(reached, stored))
        finally:
            if flights:  # a failure, or cancelled: every send settles before this returns (a pending one could land on a new broker)
                await asyncio.gather(*(f.outcomes for f in flights), return_exceptions=True)
        if failure is not None:
            self.chain.lose()
            raise failure
        if self.in_flight:
            await self._check_marker()
        self.bus.stages.add(f"relay {self.name}", batch_s=time.monotonic() - began)
        return total

    async def _hand_over(self, position: int) -> "_Flight | None":
        """Read the batch after `position`, park what must be held, hand the rest to the producer; None: nothing to read."""
        began = time.monotonic()
        batch = await self.store.read_after(position, min(READ_CHUNK, self.batch_size))
        while batch and len(batch) < self.batch_size and len(batch) % READ_CHUNK == 0:  # the store may have more
            await self._turns.take()  # a read is one synchronous query: the loop gets a turn between reads of READ_CHUNK
            more = await self.store.read_after(batch[-1].position, min(READ_CHUNK, self.batch_size - len(batch)))
            batch.extend(more)
            if not more:
                break
        if not batch:
            return None
        stages, stage = self.bus.stages, f"relay {self.name}"
        stages.add(stage, batches=1, events=len(batch), read_s=time.monotonic() - began)
        stages.most(stage, "largest_batch", len(batch))
        if any(item.stream_id in self.released_streams or item.stream_id in self.parked_streams for item in batch):
            await self._load_held()  # about to hold an event behind its stream: decide on what the store says now
        sendable, chained = [], []
        selection = self.selection if self.selection is not None and position < self.selection.end else None
        self.selection = selection  # past the highest floor nothing more is skipped
        partitions = await self.bus.partitions_for(self.topic)  # the records go to exactly the partitions their chain counts
        if self.chain.partitions != partitions:  # unknown (a failed publish, a start on a broker that has the topic), or changed
            await self.chain.recover(self.store, position, partitions)
        for item in batch:
            if selection is not None and selection.covers(item):  # applied by every subscriber: not published again, and
                self.skipped_as_applied += 1  # not a link of the chain (a group proves it applied it by its own floors only)
                continue
            if item.stream_id in self.released_streams:
                await self._hold_behind_release(item)
            elif item.stream_id in (self.parked_streams or {}):
                await self._park(item, "held behind an earlier parked event of its stream")
            elif len(item.body) > self.max_bytes:
                await self._park(item, self._too_large(item))
            else:
                sendable.append(item)
                chained.append(self.chain.headers(item, item.stream_id.encode()))
                continue
            self.chain.passed(item)  # held back or parked: the chain runs through it (its consumers' floors stop there)
        if sendable:
            self.in_flight = True  # until the marker is seen after the acknowledgements: they came from the broker that has it
            try:
                outcomes = await self.bus.hand_over_stored(self.topic, sendable, chained, self.chain.partitions)
            except BaseException:
                self.chain.lose()
                raise
        else:
            outcomes = asyncio.get_running_loop().create_future()
            outcomes.set_result([])
        return _Flight(batch, sendable, position, outcomes, time.monotonic())

    async def _acked_or_woken(self, oldest: "_Flight") -> bool:
        """Wait for the oldest batch's acknowledgements or an append; True when the acknowledgements came."""
        if not oldest.outcomes.done():
            waited, woken = time.monotonic(), asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait([oldest.outcomes, woken], return_when=asyncio.FIRST_COMPLETED)
            finally:
                woken.cancel()
                self.bus.stages.add(f"relay {self.name}", publish_acked_s=time.monotonic() - waited)
        return oldest.outcomes.done()

    async def _settle(self, flights: "deque[_Flight]") -> tuple[int, BaseException | None]:
        """Take the oldest batch's outcomes (waiting for them), and those of the batches after it already settled, in
        order: park what the broker refused; the position reached, and the error that stops the cycle, if any."""
        waited = time.monotonic()
        await asyncio.wait([flights[0].outcomes])
        self.bus.stages.add(f"relay {self.name}", publish_acked_s=time.monotonic() - waited)
        reached = flights[0].before
        while flights and flights[0].outcomes.done():
            flight = flights.popleft()
            outcomes = flight.outcomes.result()
            reached = flight.batch[-1].position
            for item, outcome in zip(flight.sendable, outcomes):
                if isinstance(outcome, RECORD_ERRORS):
                    await self._park(item, describe_error(outcome))
                elif outcome is not None:  # the broker went away: publish from this event again later
                    index = flight.batch.index(item)
                    self.published += sum(1 for o in outcomes[: flight.sendable.index(item)] if o is None)
                    return (flight.batch[index - 1].position if index else flight.before), outcome
            self.published += sum(1 for o in outcomes if o is None)
        return reached, None

    async def _store_position(self, position: int) -> int:
        stored = time.monotonic()
        await self.store.set_position(self.name, position)
        self.bus.stages.add(f"relay {self.name}", position_s=time.monotonic() - stored)
        return position

    async def _check_marker(self) -> None:
        """After acknowledgements: our marker still there means they came from the broker that has it."""
        looked = time.monotonic()
        if self.epoch is None or marker_topic(self.topic, self.epoch) not in await self.bus.topic_names():
            raise BrokerReplaced(f"the marker of {self.topic} vanished while a batch was published")
        self.bus.stages.add(f"relay {self.name}", marker_s=time.monotonic() - looked)
        self.in_flight = False

    async def _publish(self, items: list[StoredEvent]) -> list[BaseException | None]:
        """A few events on their own (released ones): handed over, acknowledged, the marker checked."""
        sent = time.monotonic()
        if items:
            self.in_flight = True
        outcomes = await (await self.bus.hand_over_stored(self.topic, items)) if items else []
        self.bus.stages.add(f"relay {self.name}", publish_acked_s=time.monotonic() - sent)
        await self._check_marker()
        return outcomes

    def _too_large(self, item: StoredEvent) -> str:
        return f"{len(item.body):,} bytes: larger than the {self.max_bytes:,} the producer may send"

    async def _load_held(self) -> None:
        if self.parked_streams is None:
            # The SQLite adapter knows the collections it saw when it opened: make the released queue one of them, so a
            # release the command writes from another process is seen here (a write undone at once, never visible).
            async with self.store.transaction():
                await self.store.put(RELEASED, "-", {})
                await self.store.delete(RELEASED, "-")
        self._held_at = time.monotonic()
        self.parked_streams = {}
        for doc in await self.store.find(PARKED):
            self.parked_streams[doc["stream_id"]] = self.parked_streams.get(doc["stream_id"], 0) + 1
        self.released_streams = {doc["stream_id"] for doc in await self.store.find(RELEASED)}

    async def _publish_released(self) -> None:
        """Released events in position order; the first one refused again parks itself and the rest of its stream."""
        items = []
        for doc in await parked_entries(self.store, RELEASED):
            found = await self.store.read_after(doc["position"] - 1, 1)
            if found and found[0].position == doc["position"]:
                items.append(found[0])
            else:
                await self.store.delete(RELEASED, str(doc["position"]))  # not in the store (any more): nothing to publish
        refused: set[str] = set()
        for item in items:  # one at a time (a release is a handful): a refusal must stop the rest of its stream going out
            if item.stream_id in refused:
                await self._repark(item, "held behind an earlier parked event of its stream")
                continue
            outcome = (await self._publish([item]))[0] if len(item.body) <= self.max_bytes else None
            if len(item.body) > self.max_bytes or isinstance(outcome, RECORD_ERRORS):
                refused.add(item.stream_id)
                await self._repark(item, self._too_large(item) if outcome is None else describe_error(outcome))
            elif outcome is not None:
                raise outcome  # the broker went away: what was not acknowledged stays released, and goes out first next time
            else:
                await self.store.delete(RELEASED, str(item.position))
                self.published += 1
                log.warning("relay %s: published released event %s v%d at position %d", self.name, item.stream_id, item.stream_version, item.position)
        await self._load_held()

    async def _repark(self, item: StoredEvent, reason: str) -> None:
        await self.store.delete(RELEASED, str(item.position))
        await self._park(item, reason)

    async def _hold_behind_release(self, item: StoredEvent) -> None:
        await self.store.put(RELEASED, str(item.position), self._entry(item, "held behind its stream's released events"))

    def _entry(self, item: StoredEvent, reason: str) -> dict:
        return {"position": item.position, "stream_id": item.stream_id, "stream_version": item.stream_version,
                "event_type": item.event_type, "bytes": len(item.body), "reason": reason}

    async def _park(self, item: StoredEvent, reason: str) -> None:
        log.error("relay %s: parking event %s v%d (%s) at position %d: %s",
                  self.name, item.stream_id, item.stream_version, item.event_type, item.position, reason)
        await self.store.put(PARKED, str(item.position), self._entry(item, reason))
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
                idle = time.monotonic()
                woken = await wait_or_timeout(self._wake, min(self.pause, self.check_seconds))
                self.bus.stages.add(f"relay {self.name}", idle_s=time.monotonic() - idle, woken=1 if woken else 0)
                self.pause = self.idle_seconds if woken else min(self.pause * 2, self.idle_max_seconds)
            except asyncio.CancelledError:
                raise
            except BrokerReplaced as error:
                log.warning("relay %s: %s", self.name, error)
                self._last_check = 0.0
            except Exception as error:  # the broker is away: keep the position, try again
                log.warning("relay %s: %s: %s; retrying", self.name, type(error).__name__, error)
                await asyncio.sleep(0.5)
