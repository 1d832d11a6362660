"""Event consumers sharing one subscriber: one fetch loop and one group join per process instead of one per consumer.

Each batch of records goes to each consumer (the records of its topics), all of them even when one fails; a failure
has the batch redelivered and the others skip what they applied, by their own checkpoints (continuity.py). A record's
headers are read once, each consumer's checkpoints of the streams of its own topics' records are read, in one query
for the consumers taking the same topics (`Continuity.of_batch`: one query for most batches), and a record at or below
a consumer's checkpoint is skipped for it by its headers alone. A
batch wholly at or below the subscription's skip floors (per stream, the lowest checkpoint of its topic's consumers, as
last read or written: see `_floors` for why that is safe) is not even looked up: a catch-up over history already
applied, after a broker restart, reads two headers per record and nothing else. An event is decoded once for all of
them (`events.decode`: checked in full), and only if some consumer has not applied it yet and handles its type: a consumer that declares the event types it handles takes a
record of another type (by its `event_type` header) as applied without decoding it, when it is the next version of its
stream (anything else is decoded and checked as usual). Consumer spans per batch and trace, not per event, and none when every span is sampled out (telemetry.spans_recorded). A consumer
declared `atomic` (its apply writes to the store only: no network, no other coroutine's work) applies a batch and advances
its checkpoints in one store transaction: one commit, and nothing applied that its checkpoints do not say.
Once every consumer handled a batch, the group's republish floors follow its records' outbox chain (floors.py): what a
relay need not publish again for this group after a fresh broker; a record a consumer dead-lettered moves none.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, NamedTuple, Sequence

from opentelemetry import trace
from opentelemetry.trace import Link, SpanKind
from pydantic import ValidationError

from schemas.catalog import Event, UnknownEvent
from services.runtime.continuity import Continuity, claim_from, claimed
from services.runtime.events import decode
from services.runtime.floors import GroupFloors
from services.runtime.ports import Ledger
from services.runtime.telemetry import context_from, spans_recorded, tracer
from services.runtime.turns import TURN_RECORDS, Turns

MAX_TRACE_SPANS = 8  # consumer spans per consumer and batch, one per trace its events came from (a request's events share one)
MAX_FLOORS = 500_000  # streams whose skip floor a subscription remembers (≈ 100 bytes each) before it starts again
MAX_LINKS = 32  # traces the batch's last span links to, beyond those

EventBatchHandler = Callable[[list[Event]], Awaitable[None]]
DeadLetter = Callable[[Any, "Exception | str", str], Awaitable[None]]


@dataclass(frozen=True)
class EventConsumer:
    """One consumer of checked events: its topics, its checkpoint name, what it applies."""
    topics: frozenset[str]
    name: str
    apply: EventBatchHandler
    types: frozenset[str] | None = None  # the event types it handles (None: all); others are not decoded for it
    atomic: bool = False  # apply and the checkpoints' advance in one store transaction (apply touches the store only)


class Headers(NamedTuple):
    """What a record's headers say, read once: its event type, (stream id, stream version), traceparent."""
    event_type: str | None
    claim: tuple[str, int] | None
    traceparent: str | None

    @classmethod
    def of(cls, record: Any) -> "Headers":
        """One pass over the record's headers (the first of each name counts, as continuity.claimed reads them): a dict
        made by the C loop, the event type's text taken from the catalogue's few (no decode)."""
        headers = record.headers
        if not headers:
            return cls(None, None, None)
        found = dict(headers)
        if len(found) != len(headers):  # a name given twice: the first counts
            found = dict(reversed(list(headers)))
        get = found.get
        kind, trace = get("event_type"), get("traceparent")
        if isinstance(kind, bytes):
            kind = _TYPE_NAMES.get(kind) or _type_name(kind)
        return cls(kind, claim_from(get("stream_id"), get("stream_version")),
                   trace.decode("utf-8", "replace") if isinstance(trace, bytes) else trace)


_TYPE_NAMES: dict[bytes, str] = {}  # an event_type header's bytes -> its text (the catalogue's few, and what else came)
MAX_TYPE_NAMES = 1000


def _type_name(raw: bytes) -> str:
    if len(_TYPE_NAMES) >= MAX_TYPE_NAMES:
        _TYPE_NAMES.clear()  # bounded memory: forged types cannot grow it
    name = _TYPE_NAMES[raw] = raw.decode("utf-8", "replace")
    return name


class ConsumerFailed(Exception):
    """A consumer of a shared subscription failed on a batch (the others handled it)."""

    def __init__(self, consumer: str, error: Exception) -> None:
        super().__init__(f"{consumer}: {describe_error(error)}")
        self.consumer, self.error = consumer, error


def group_id(group: str, consumers: Sequence[EventConsumer]) -> str:
    """The broker's group for these consumers: a consumer added or renamed gets a new group (it reads from the start
    and skips by its checkpoints) rather than inheriting committed offsets past history it never applied."""
    digest = hashlib.sha1(",".join(sorted(c.name for c in consumers)).encode()).hexdigest()[:8]
    return f"{group}.{digest}"


class SharedSubscription:
    def __init__(self, group: str, consumers: list[EventConsumer], ledger: Ledger | None,
                 stats: dict[str, dict[str, int]], dead_letter: DeadLetter) -> None:
        self.consumers, self.ledger, self.stats, self._dead_letter = consumers, ledger, stats, dead_letter
        atomic = [c.name for c in consumers if c.atomic]
        if atomic and ledger is not None and not hasattr(ledger, "transaction"):
            raise RuntimeError(f"{', '.join(atomic)}: applying with the checkpoints in one transaction needs a store's ledger")
        self.group_id = group_id(group, consumers)
        self.topics = sorted({topic for c in consumers for topic in c.topics})
        self.takers = {topic: [c.name for c in consumers if topic in c.topics] for topic in self.topics}
        self.floors: dict[str, int] = {}  # stream -> a version every consumer of its topic has applied (see _floors)
        # per topic and partition, the outbox position up to which every consumer applied everything (floors.py): kept
        # where the checkpoints are a store's (not a rebuild's held ones)
        self.republish_floors = GroupFloors(ledger, group, self.group_id, self.topics) if hasattr(ledger, "put") and hasattr(ledger, "get") else None
        self._refused: set[int] = set()  # records of the batch a consumer dead-lettered (they move no floor)

    async def __call__(self, records: Sequence[Any]) -> None:
        self._refused = set()
        if self.ledger is not None and self._all_below_floors(records):
            for each in self.consumers:  # a catch-up over applied history: no store read, nothing decoded
                mine = len(records) if len(self.consumers) == 1 else sum(1 for r in records if r.topic in each.topics)
                self.stats[each.name]["received"] += mine
                self.stats[each.name]["skipped"] += mine
            await self._republish_floors(records)
            return
        turns = Turns()  # the loop gets a turn every TURN_SECONDS of this batch's work outside the stores' transactions
        heads: dict[int, Headers] = {}  # every header read once
        claims: dict[int, tuple[str, int] | None] = {}
        streams_of: dict[str, set[str]] = {}  # topic -> the streams its records claim (every topic of the batch)
        for record in records:
            head = heads[id(record)] = Headers.of(record)
            claim = claims[id(record)] = head.claim
            streams = streams_of.get(record.topic)
            if streams is None:
                streams = streams_of[record.topic] = set()
            if claim is not None:
                streams.add(claim[0])
        parsed: dict[int, Event | Exception] = {}  # an event is decoded once for all the consumers
        continuities = await self._continuities(streams_of, turns) if self.ledger is not None else {}
        failures = []
        for each in self.consumers:
            if each.topics.issuperset(streams_of):
                mine = records
            elif each.topics.isdisjoint(streams_of):
                continue
            else:
                mine = [r for r in records if r.topic in each.topics]
            try:
                if mine:
                    await turns.take()
                    await self._handle(each, mine, parsed, heads, claims, continuities.get(each.name), turns)
            except Exception as error:
                failures.append(ConsumerFailed(each.name, error))
        if failures:
            raise failures[0]
        if continuities:
            await turns.take()
            self._floors(streams_of, continuities)
        await self._republish_floors(records)

    async def _continuities(self, streams_of: dict[str, set[str]], turns: Turns) -> dict[str, Continuity]:
        """A Continuity for each consumer with records in the batch, holding its checkpoints of the streams of ITS
        topics' records only (a consumer of plans' topic reads none for a batch of tasks' events); the consumers that
        take the same topics of the batch share one read (`Continuity.of_batch`): one query for most batches."""
        readers: dict[frozenset[str], list[str]] = {}
        for each in self.consumers:
            topics = frozenset(t for t in streams_of if t in each.topics)
            if topics:
                readers.setdefault(topics, []).append(each.name)
        found: dict[str, Continuity] = {}
        for topics, names in readers.items():
            streams = streams_of[next(iter(topics))] if len(topics) == 1 else set().union(*(streams_of[t] for t in topics))
            found.update(await Continuity.of_batch(self.ledger, names, streams, turns))  # type: ignore[arg-type]
        return found

    async def dead_letter(self, record: Any, error: "Exception | str", consumer: str) -> None:
        self._refused.add(id(record))
        await self._dead_letter(record, error, consumer)

    async def _republish_floors(self, records: Sequence[Any]) -> None:
        """Every consumer handled the batch: the group's floors follow it (floors.py), saved now and then."""
        if self.republish_floors is not None:
            await self.republish_floors.load()
            if self.republish_floors.advance(records, self._refused):
                await self.republish_floors.save()

    def _all_below_floors(self, records: Sequence[Any]) -> bool:
        """Every record at or below its stream's floor, by its stream headers alone (the first one above ends the look:
        a live batch costs one record's headers here, a catch-up's two headers per record and nothing else)."""
        floors = self.floors
        if not floors:
            return False
        for record in records:
            claim = claimed(record)
            if claim is None or claim[1] > floors.get(claim[0], 0):
                return False
        return True

    def _floors(self, streams_of: dict[str, set[str]], continuities: dict[str, Continuity]) -> None:
        """Remember, per stream of the batch, the lowest checkpoint of the consumers of its topics (of every topic its
        records came on), once every consumer handled the batch (their checkpoints read from the ledger this batch, or
        written to it by their commit).

        Why a record at or below its stream's floor may be skipped with no store read: a checkpoint never moves back
        (every Ledger adapter keeps the maximum), and a floor is a value each of those consumers' checkpoints held in
        this ledger at some moment, so it stays at or below each of them; a record at or below it is at or below
        every consumer's checkpoint, which is exactly when the store-read path skips it (continuity.py). Nothing else
        is assumed: not the records' order, not how many relays publish to a topic, not partitions. The floors belong
        to this subscription and its ledger (a process's bus keeps one ledger); a failed batch updates none."""
        if len(self.floors) > MAX_FLOORS:
            self.floors.clear()  # bounded memory: the next batches read the store again
        lowest: dict[str, int] = {}
        for topic, streams in streams_of.items():
            takers = self.takers.get(topic)
            if not takers:
                continue
            knowns = [continuities[name].known for name in takers]
            for stream in streams:
                floor = knowns[0].get(stream, 0) if len(knowns) == 1 else min(known.get(stream, 0) for known in knowns)
                if stream in lowest and lowest[stream] < floor:
                    floor = lowest[stream]
                lowest[stream] = floor
        floors = self.floors
        for stream, floor in lowest.items():
            if floor > floors.get(stream, 0):
                floors[stream] = floor

    async def _handle(self, each: EventConsumer, records: Sequence[Any], parsed: dict[int, Event | Exception],
                      heads: dict[int, Headers], claims: dict[int, tuple[str, int] | None], continuity: Continuity | None,
                      turns: Turns) -> None:
        stats = self.stats[each.name]
        fresh = await continuity.unapplied(records, claims) if continuity else list(records)  # by the headers: nothing decoded
        if not fresh:  # all applied already (a catch-up): nothing decoded, nothing written, no span
            stats["received"] += len(records)
            stats["skipped"] += len(records)
            return
        checked: list[tuple[Any, Event]] = []
        passed = 0
        wants = getattr(each.apply, "wants", None)  # an apply may also decline, by its headers, a record of a type it handles
        types = each.types
        for index, record in enumerate(fresh):
            if not index & TURN_RECORDS:
                await turns.take()  # decoding 2,000 events takes ≈ 0.1 s: no store transaction is open here
            key = id(record)
            if types is not None:
                head = heads[key]
                if head.event_type is not None and head.claim and (
                        head.event_type not in types or (wants is not None and not wants(head))):
                    if continuity is None or continuity.passed_over(head.claim):  # not its type (or declined), its stream's next version
                        passed += 1
                        continue
            event = parsed.get(key)
            if event is None:
                event = parsed[key] = decoded(record, heads[key].event_type)
            if isinstance(event, Exception):
                await self.dead_letter(record, event, each.name)
            else:
                checked.append((record, event))
        if continuity:
            accepted, refused = await continuity.admit(checked, claims)
            for record, reason in refused:
                await self.dead_letter(record, reason, each.name)
        else:
            accepted = [event for _, event in checked]
        await turns.take()  # before the store transaction: inside it no other coroutine may use the store
        taken = {id(event) for event in accepted}
        spans = _batch_spans(each.name, [(heads[id(record)].traceparent, event.type) for record, event in checked
                                         if id(event) in taken]) if spans_recorded() else []
        try:
            if continuity and each.atomic:  # one commit: no moment where the batch is applied but not checkpointed
                async with self.ledger.transaction():  # type: ignore[union-attr]
                    if accepted:
                        await each.apply(accepted)
                    await continuity.commit()
            else:
                if accepted:
                    await each.apply(accepted)
                if continuity:
                    await continuity.commit()
            skipped = continuity.skipped if continuity else passed
            stats["received"] += len(records)
            stats["applied"] += len(accepted)
            stats["refused"] += len(records) - len(accepted) - skipped
            stats["skipped"] += skipped
        finally:
            for span in spans:
                span.end()


def decoded(record: Any, event_type: str | None) -> Event | Exception:
    """The record's event checked in full (events.decode), or why it is not one."""
    try:
        return decode(record.value, event_type)
    except (ValidationError, UnknownEvent, ValueError, TypeError) as error:
        return error


def _batch_spans(consumer: str, events: list[tuple[str | None, str]]) -> list[Any]:
    """The consumer spans for the events a consumer applies from one batch: one per trace they came from (one request's
    events share one), in that trace, for the first MAX_TRACE_SPANS traces; one more for the rest of the batch (events
    that carry no trace, and those of further traces, which it links to: the first MAX_LINKS)."""
    groups: dict[str | None, list[str]] = {}
    for traceparent, kind in events:
        groups.setdefault(traceparent, []).append(kind)
    own = [t for t in groups if t][:MAX_TRACE_SPANS]
    spans = [_span(consumer, groups[t], context_from(t)) for t in own]
    rest = [t for t in groups if t not in own]
    if rest:
        linked = (trace.get_current_span(context_from(t)).get_span_context() for t in rest[:MAX_LINKS] if t)
        spans.append(_span(consumer, [kind for t in rest for kind in groups[t]], context_from(None), [Link(c) for c in linked if c.is_valid]))
    return spans


def _span(consumer: str, kinds: list[str], context: Any, links: list[Link] | None = None) -> Any:
    name = f"{consumer} handle {kinds[0]}" if len(set(kinds)) == 1 else f"{consumer} handle {len(kinds)} events"
    span = tracer().start_span(name, context=context, kind=SpanKind.CONSUMER, links=links)
    span.set_attribute("messaging.batch.message_count", len(kinds))
    return span


def describe_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return f"{type(error).__name__}: {where}: {first['msg']}"
    return f"{type(error).__name__}: {error}"
