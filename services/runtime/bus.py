"""The Kafka bus: a faststream KafkaBroker plus the few things every service does with it.

- publish stored events (key = stream id; headers event_type, schema_version, traceparent),
- consume events in batches (each batch's offsets committed once it is handled, in the background while the next
  batch is fetched and applied: offset_commits.py; malformed or unknown records go to the
  dead-letter topic with the error and the consumer keeps going); the event consumers registered
  under one group share ONE subscriber (one fetch loop, one group join), which hands each batch to
  each of them: each keeps its own checkpoints and stats, so what it applied is skipped by it alone,
- make sure topics exist, and notice when the broker came back empty (the bundled broker keeps
  nothing across a restart).
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable, Iterable, Sequence

from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.errors import MessageSizeTooLargeError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from opentelemetry.trace import SpanKind

from schemas.catalog import DEAD_LETTER
from services.runtime.continuity import header  # noqa: F401  (re-exported: consumers read headers through the bus)
from services.runtime.epochs import Joins
from services.runtime.offset_commits import OffsetCommits
from services.runtime.precedence import Precedence
from services.runtime.ports import Ledger, StoredEvent
from services.runtime.record_batches import hand_over_in_record_batches
from services.runtime.redaction import redact, redact_headers
from services.runtime.settings import ConsumerTuning
from services.runtime.subscriptions import ConsumerFailed, EventBatchHandler, EventConsumer, SharedSubscription, describe_error
from services.runtime.telemetry import PROPAGATOR, context_from, tracer
from services.runtime.topics import TopicAdmin, topic_names

log = logging.getLogger("tiendo.bus")

POISON_ATTEMPTS = 3
IDLE_FETCH_MS = 1000  # an idle subscriber wakes once a second (records end the wait at once)
FETCHER_STEPS = 4  # event-loop turns aiokafka's fetcher needs to send its next request (wake, plan, send)
MAX_BATCH = 2000  # records an event subscriber takes at once when that many are waiting: under load batches grow to what arrived
RECORD_ERRORS = (MessageSizeTooLargeError,)  # refused for what the event is: retrying cannot help


class Stages:
    """What each stage of a process's pipeline did and how long it took, summed since the start (/ready shows them):
    counts, wall seconds (`*_s`) and, where a stage holds the event loop, the thread's CPU seconds (`*_cpu_s`). A stage
    whose wall seconds exceed its CPU seconds was waiting (on the broker, on the store, or for the loop). Two clock reads
    per batch: nothing per record."""

    def __init__(self) -> None:
        self.figures: dict[str, dict[str, float]] = {}

    def add(self, stage: str, **amounts: float) -> None:
        figures = self.figures.setdefault(stage, {})
        for name, amount in amounts.items():
            figures[name] = figures.get(name, 0) + amount

    def most(self, stage: str, name: str, value: float) -> None:
        figures = self.figures.setdefault(stage, {})
        figures[name] = max(figures.get(name, 0), value)


class Bus:
    def __init__(self, bootstrap: str, client_id: str, tuning: ConsumerTuning | None = None) -> None:
        self.bootstrap = bootstrap
        self.tuning = tuning or ConsumerTuning()
        self.admin = TopicAdmin(bootstrap)
        self._subscribers: list[tuple[tuple[str, ...], Any]] = []
        self._commits: list[tuple[Any, OffsetCommits]] = []  # (subscriber, its offset commits)
        self._event_groups: dict[str, list[EventConsumer]] = {}
        self._group_sizes: dict[str, int] = {}
        self._group_later: dict[str, set[str]] = {}  # group -> topics its subscriber puts off while behind on the others
        self.precedences: dict[str, Precedence] = {}  # broker group -> its subscriber's precedence, where it has later topics
        self.group_members: dict[str, list[str]] = {}  # broker group -> the consumers it feeds (for /ready)
        self.joins: dict[str, Joins] = {}  # broker group -> its subscriber's group joins (rebalance listener)
        self.shared: dict[str, SharedSubscription] = {}  # broker group -> its event consumers' shared subscription
        self._join_hook: Callable[[Joins, set[TopicPartition]], Awaitable[None]] | None = None
        self._topics_asked: tuple[float, asyncio.Future] | None = None  # the last metadata request: when, its answer
        self._ledger: Ledger | None = None
        self.consumer_stats: dict[str, dict[str, int]] = {}
        self.stages = Stages()
        self.broker = KafkaBroker(bootstrap, client_id=client_id, log_level=logging.DEBUG)
        # The outbox relay's own producer: events go out in large batches without faststream's
        # per-message publish overhead (about a fifth of a busy tasks process when it went through it).
        self._events_producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap, client_id=f"{client_id}-relay", acks="all", linger_ms=2, max_batch_size=256 * 1024
        )

    async def start(self) -> None:
        """Start the subscribers side by side: each waits for its group join (about 5 s on the bundled broker)."""
        for group, consumers in self._event_groups.items():
            self._subscribe_shared(group, consumers, self._group_sizes[group], frozenset(self._group_later.get(group, ())))
        self._event_groups.clear()
        await self.broker.connect()
        await asyncio.gather(*(subscriber.start() for subscriber in self.broker.subscribers))
        for publisher in self.broker.publishers:
            await publisher.start()
        self.broker.running = True
        await self._events_producer.start()

    async def stop(self) -> None:
        await self._events_producer.stop()
        for _, commits in self._commits:  # what was applied is committed before the consumers leave (else: redelivered, skipped)
            await commits.settled()
        await self.broker.stop()
        for shared in self.shared.values():  # no batch comes any more: the floors the last ones moved, kept (floors.py)
            if shared.republish_floors is not None:
                await shared.republish_floors.flush()

    # -- topics ---------------------------------------------------------
    async def ensure_topics(self, topics: Iterable[str], partitions: int) -> None:
        await self.admin.ensure(topics, partitions)

    async def topic_names(self, max_age: float = 0.0) -> set[str]:
        """The broker's topics, over the relay producer's connection (cheap enough for every batch).

        With `max_age`, an answer that recent (or one on its way) is shared: the relay's and the epoch watch's
        periodic looks make one metadata request between them rather than one each."""
        now = time.monotonic()
        if self._topics_asked is None or now - self._topics_asked[0] > max_age:
            self._topics_asked = (now, asyncio.ensure_future(topic_names(self._events_producer.client)))
        asked = self._topics_asked[1]
        try:
            return set(await asyncio.shield(asked))
        except BaseException:
            if self._topics_asked is not None and self._topics_asked[1] is asked:
                self._topics_asked = None  # a failed look is never shared
            raise

    def consumers(self) -> list[tuple[tuple[str, ...], Any]]:
        """(topics, aiokafka consumer or None before it starts) of every subscriber."""
        return [(topics, subscriber.consumer) for topics, subscriber in self._subscribers]

    def subscriptions(self) -> list[tuple[str, list[str], tuple[str, ...], Any]]:
        """(broker group, the consumers it feeds, topics, aiokafka consumer or None before it starts) of every subscriber."""
        return [(s.group_id, self.group_members.get(s.group_id, []), topics, s.consumer) for topics, s in self._subscribers]

    def subscribed_topics(self) -> set[str]:
        pending = {topic for consumers in self._event_groups.values() for c in consumers for topic in c.topics}
        return pending | {topic for topics, _ in self._subscribers for topic in topics}

    def on_join(self, hook: Callable[[Joins, set[TopicPartition]], Awaitable[None]]) -> None:
        """Call `hook` (awaited inside the join) each time a subscriber completes a group join, with its new assignment."""
        self._join_hook = hook
        for joins in self.joins.values():
            joins.on_join = hook

    # -- publishing -----------------------------------------------------
    async def publish_stored(self, topic: str, stored: Sequence[StoredEvent], extra: Sequence[list[tuple[str, bytes]]] | None = None,
                             partitions: Sequence[int] | None = None) -> list[BaseException | None]:
        """Publish the stored bytes as they are, in order; per event, None once acknowledged or the error.

        Every send settles before this returns, failed or not: a send left pending could be
        retried by the producer against a broker that came back empty (see topics.py). An event
        the producer refuses outright (too large) gets its error; other errors end the batch."""
        return await (await self.hand_over_stored(topic, stored, extra, partitions))

    async def hand_over_stored(self, topic: str, stored: Sequence[StoredEvent], extra: Sequence[list[tuple[str, bytes]]] | None = None,
                               partitions: Sequence[int] | None = None) -> "asyncio.Future[list[BaseException | None]]":
        """Hand the stored bytes as they are to the producer, in order, and return once they are handed over: the
        returned future settles with the outcomes (per event, None once acknowledged, or the error), after every send
        settled. Events handed over by a later call go after these on each partition (the outbox relay hands over its
        next batch while this one's acknowledgements travel).

        The events go out as whole record batches (record_batches.py): no per-event `send()`, no decode.

        One producer span for the hand-over: when its events come from one trace (one request's), the span is in that
        trace and the records carry it; otherwise (a republished history) each record carries its own event's
        traceparent as stored, so its consumers still join the trace it came from. `extra`: more headers for each event (the
        relay's outbox position and chain, which its consumers' floors follow: floors.py), and `partitions` the ones its chain
        spread the keys over (the records go exactly there).
        """
        traces = {item.traceparent for item in stored}
        one_trace = traces.pop() if len(traces) == 1 else None
        kinds = {item.event_type for item in stored}
        name = f"publish {kinds.pop()}" if len(kinds) == 1 else f"publish {len(stored)} events"
        with tracer().start_as_current_span(name, context=context_from(one_trace), kind=SpanKind.PRODUCER) as span:
            span.set_attribute("messaging.batch.message_count", len(stored))
            carrier: dict[str, str] = {}
            PROPAGATOR.inject(carrier)
            batch_trace = carrier.get("traceparent", "").encode() if one_trace else None
            records = []
            for index, item in enumerate(stored):
                key = item.stream_id.encode()
                headers = _headers(item, key, batch_trace)
                if extra is not None:
                    headers += extra[index]
                records.append((key, item.body, headers))
            return await hand_over_in_record_batches(self._events_producer, topic, records, RECORD_ERRORS, partitions)

    async def partitions_for(self, topic: str, fresh: bool = False) -> list[int]:
        """The topic's partitions as the relay's producer sees them (its records go to them: record_batches.py); `fresh`:
        after asking the broker again (a new broker may have made the topic with another count than the one known)."""
        if fresh:
            await self._events_producer.client.force_metadata_update()
        return sorted(await self._events_producer.partitions_for(topic))

    async def publish(self, topic: str, value: bytes, key: str | None, headers: dict[str, str]) -> None:
        await self.broker.publish(value, topic, key=key.encode() if key else None, headers=headers)

    async def publish_many(self, topic: str, messages: Sequence[tuple[bytes, str | None, dict[str, str]]]) -> None:
        """Send many (value, key, headers) records at once and wait for them together (one produce batch, on the relay's
        producer), not one acknowledged `publish` after another; raises the first error once every send has settled."""
        await (await self.send_many(topic, messages))

    async def send_many(self, topic: str, messages: Sequence[tuple[bytes, str | None, dict[str, str]]]) -> Awaitable[None]:
        """Hand many (value, key, headers) records to the producer in record batches and return at once: the returned
        awaitable is done when every record has settled and raises the first error (a consumer returns it as its batch's
        tail: Bus.subscribe_records). Keys are taken as ones that do not repeat (command ids): hashed, not remembered."""
        records = [(key.encode() if key else None, value, [(k, v.encode()) for k, v in headers.items()]) for value, key, headers in messages]
        handed = await hand_over_in_record_batches(self._events_producer, topic, records, RECORD_ERRORS, keys_repeat=False)
        return asyncio.ensure_future(_first_error(handed))

    async def dead_letter(self, record: Any, error: Exception | str, consumer: str) -> None:
        """Keep a refused record on the dead-letter topic with the reason; credentials in it are redacted."""
        reason = error if isinstance(error, str) else describe_error(error)
        log.warning("dead-lettering %s[%s]@%s for %s: %s", record.topic, record.partition, record.offset, consumer, reason)
        original = {k: v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for k, v in record.headers or ()}
        headers = {
            **redact_headers({k: v for k, v in original.items() if k not in {"error", "consumer"} and not k.startswith("source_")}),
            "error": reason[:2000],
            "consumer": consumer,
            "source_topic": record.topic,
            "source_partition": str(record.partition),
            "source_offset": str(record.offset),
        }
        key = record.key.decode("utf-8", "replace") if record.key else None
        await self.publish(DEAD_LETTER, redact(record.value or b""), key, headers)

    # -- consuming ------------------------------------------------------
    def subscribe_records(self, topics: Sequence[str], group: str, handle: Callable[[Sequence[Any]], Awaitable[Awaitable[Any] | None]],
                          max_records: int = 500, consumer: str | None = None, later: frozenset[str] = frozenset()) -> None:
        """Register a batch subscriber that gets raw records; each batch's offsets are committed once it is handled.
        `later`: topics whose records wait while the subscriber is behind on its other topics (precedence.py).

        The fetch → handle → commit cycle does not wait on itself: aiokafka fetches the next records while a batch is
        handled, a batch holds every record already fetched (up to `max_records`: batches grow with the load, each
        handled in one go), and the offsets are committed in the background (offset_commits.py), after the batch's
        store transaction as ever. `handle` may return a tail (an awaitable: e.g. its replies' acknowledgements): the
        next batch is handled while it settles, and the offsets are committed only once it has (OffsetCommits.handled_after).

        A batch whose handling fails is delivered again (its partitions are sent back to its first records: a database
        that was briefly away); after POISON_ATTEMPTS failures its records are handled one by one and those that still
        fail go to the dead-letter topic with the error, so one bad record cannot stall the partition.
        """
        failures: dict[tuple[str, int, int], int] = {}
        commits = OffsetCommits(lambda: subscriber.consumer, consumer or group)
        joins = self.joins[group] = Joins(group, tuple(topics), lambda: subscriber.consumer, commits)
        joins.on_join = self._join_hook

        subscriber = self.broker.subscriber(
            *topics,
            batch=True,
            group_id=group,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.MANUAL,
            max_records=max_records,
            batch_timeout_ms=IDLE_FETCH_MS,
            session_timeout_ms=self.tuning.session_timeout_ms,
            heartbeat_interval_ms=self.tuning.heartbeat_interval_ms,
            max_poll_interval_ms=self.tuning.max_poll_interval_ms,
            fetch_max_wait_ms=self.tuning.fetch_max_wait_ms,
            consumer_timeout_ms=self.tuning.consumer_timeout_ms,
            group_instance_id=self.tuning.instance_id,
            decoder=_raw_records,
            listener=joins,
        )
        stage = consumer or group
        precedence = Precedence(later, max_records) if later else None
        if precedence is not None:
            self.precedences[group] = precedence
        _wait_in_fetch(subscriber, max_records, self.tuning, self.stages, stage, precedence)
        self._subscribers.append((tuple(topics), subscriber))
        self._commits.append((subscriber, commits))
        self.group_members[group] = [consumer or group]

        @subscriber
        async def _records(records: list) -> None:  # the batch's records (_raw_records): no context field, whose sync
            # lookup faststream's dependency injection runs in a worker thread, a thread hop per batch
            first = (records[0].topic, records[0].partition, records[0].offset)
            wall, cpu = time.monotonic(), time.thread_time()
            try:
                tail = await handle(records)
                failures.pop(first, None)
                self.stages.add(stage, batches=1, handled=len(records), handle_s=time.monotonic() - wall, handle_cpu_s=time.thread_time() - cpu)
                self.stages.most(stage, "largest_batch", len(records))
            except Exception:
                failures[first] = failures.get(first, 0) + 1
                if failures[first] < POISON_ATTEMPTS:
                    log.exception("%s: batch at %s failed (attempt %d); it will be redelivered", consumer or group, first, failures[first])
                    _deliver_again(subscriber.consumer, records)
                    return
                del failures[first]
                try:
                    await self._isolate_poison(records, handle, consumer or group)
                except Exception:  # a dead letter could not be sent (the broker is away): the batch comes again
                    log.exception("%s: batch at %s could not be set aside; it will be redelivered", consumer or group, first)
                    _deliver_again(subscriber.consumer, records)
                    return
                tail = None
            if tail is not None or commits.tails:  # its replies are on their way: the offsets go once they (and those before) are acknowledged
                await commits.handled_after(records, tail, lambda again: _deliver_again(subscriber.consumer, again))
            else:
                commits.handled(records)

    async def _isolate_poison(self, records: Sequence[Any], handle: Callable[[Sequence[Any]], Awaitable[None]], consumer: str) -> None:
        for record in records:
            try:
                tail = await handle([record])
                if tail is not None:
                    await tail
            except ConsumerFailed as failed:
                await self.dead_letter(record, failed.error, failed.consumer)
            except Exception as error:
                await self.dead_letter(record, error, consumer)

    def use_checkpoints(self, ledger: Ledger) -> None:
        """Event consumers check stream continuity against this ledger's checkpoints (see Continuity)."""
        self._ledger = ledger

    def subscribe_events(self, topics: Sequence[str], group: str, consumer: str, apply: EventBatchHandler, max_records: int = MAX_BATCH,
                         types: Iterable[str] | None = None, atomic: bool = False, later: Iterable[str] = ()) -> None:
        """Register a batch consumer of checked events; bad records are dead-lettered, not retried.

        Consumers registered under the same `group` before the bus starts share one subscriber (see group_id). With
        `types`, the consumer gets only events of those types that are in order: a record whose `event_type` header
        names another is not decoded for it (see subscriptions.py). `atomic`: `apply` writes to the store only, and a batch is
        applied with its checkpoints' advance in one store transaction. `later`: topics of it whose records the group's
        subscriber puts off while it is behind on its other topics (precedence.py)."""
        if self.broker.running:
            raise RuntimeError(f"{consumer}: event consumers subscribe before the bus starts")
        self.consumer_stats.setdefault(consumer, {"received": 0, "applied": 0, "skipped": 0, "refused": 0})
        self._event_groups.setdefault(group, []).append(EventConsumer(frozenset(topics), consumer, apply, frozenset(types) if types is not None else None, atomic))
        self._group_sizes[group] = max(self._group_sizes.get(group, 0), max_records)
        self._group_later.setdefault(group, set()).update(later)

    def _subscribe_shared(self, group: str, consumers: list[EventConsumer], max_records: int, later: frozenset[str]) -> None:
        shared = SharedSubscription(group, consumers, self._ledger, self.consumer_stats, self.dead_letter)
        self.subscribe_records(shared.topics, shared.group_id, shared, max_records, consumer=group, later=later)
        self.shared[shared.group_id] = shared
        self.group_members[shared.group_id] = [c.name for c in consumers]


async def _first_error(outcomes: Awaitable[list[BaseException | None]]) -> None:
    for outcome in await outcomes:
        if outcome is not None:
            raise outcome


_KIND_HEADERS: dict[tuple[str, int], tuple[tuple[str, bytes], tuple[str, bytes]]] = {}  # the catalogue's types and versions


def _headers(item: StoredEvent, stream: bytes, batch_trace: bytes | None) -> list[tuple[str, bytes]]:
    """A stored event's record headers (`stream`: its stream id, encoded once for the key too); the event type and schema
    version headers are made once per type and version (a republished history sends tens of thousands of each)."""
    kind = _KIND_HEADERS.get((item.event_type, item.schema_version))
    if kind is None:
        if len(_KIND_HEADERS) > 1000:
            _KIND_HEADERS.clear()
        kind = _KIND_HEADERS[item.event_type, item.schema_version] = (
            ("event_type", item.event_type.encode()), ("schema_version", str(item.schema_version).encode()))
    headers = [kind[0], kind[1], ("stream_id", stream), ("stream_version", b"%d" % item.stream_version)]
    trace = batch_trace or (item.traceparent or "").encode()
    if trace:
        headers.append(("traceparent", trace))
    return headers


def _deliver_again(consumer: Any, records: Sequence[Any]) -> None:
    """Send each partition of the batch back to its first record: the batch comes again with the next fetch."""
    earliest: dict[TopicPartition, int] = {}
    for record in records:
        partition = TopicPartition(record.topic, record.partition)
        earliest[partition] = min(record.offset, earliest.get(partition, record.offset))
    for partition, offset in earliest.items():
        consumer.seek(partition, offset)


def _wait_in_fetch(subscriber: Any, max_records: int, tuning: ConsumerTuning, stages: Stages, stage: str,
                   precedence: Precedence | None = None) -> None:
    """faststream's batch loop asks for records for batch_timeout_ms and, when none came, sleeps as long again before
    asking anew: short, it wakes an idle subscriber 20 times a second (≈ 1% of a core each on this machine, most of an
    idle national system); long, a record arriving during the sleep waits. Here the wait is in the fetch itself
    (aiokafka's getmany returns as soon as records arrive), with no sleep after an empty answer. A batch fetched, the
    fetcher gets the loop for a moment to ask for the next one, so it travels while this one is handled.

    After `tuning.idle_after_seconds` with no record the broker is let hold each fetch longer (idle_fetch_max_wait_ms
    instead of fetch_max_wait_ms; the first record answered puts it back): aiokafka's fetcher asks again as soon as a
    fetch is answered, so the broker answers an idle consumer's empty fetches five times a second at 200 ms (bench/history/national-scale.md,
    "Idle and restart catch-up, 2026-11-30"). With a `precedence`, after each fetch: whether its later topics wait
    (precedence.py)."""
    last_record = time.monotonic()

    async def get_msg(consumer: Any) -> tuple:
        nonlocal last_record
        asked = time.monotonic()
        fetched = await consumer.getmany(timeout_ms=IDLE_FETCH_MS, max_records=max_records)
        records = tuple(record for records in fetched.values() for record in records)
        now = time.monotonic()
        if records:
            stages.add(stage, fetches=1, fetch_wait_s=now - asked, fetched=len(records))
            last_record = now
            _set_fetch_wait(consumer, tuning.fetch_max_wait_ms)
            # let aiokafka's fetcher send the next fetch now: handling a batch holds the event loop (SQLite is
            for _ in range(FETCHER_STEPS):  # synchronous), and a fetch not sent before would go out only after it
                await asyncio.sleep(0)
        elif now - last_record >= tuning.idle_after_seconds:
            _set_fetch_wait(consumer, tuning.idle_fetch_max_wait_ms)
        if precedence is not None:
            await precedence.after_fetch(consumer, records, now)
            stages.most(stage, "later_pauses", precedence.pauses)  # /ready shows how often and how long the later topics waited
            stages.most(stage, "later_held_s", precedence.held_s)
        return records

    subscriber.get_msg = get_msg


def _set_fetch_wait(consumer: Any, wait_ms: int) -> None:
    """The fetch wait of the consumer's next fetch requests (aiokafka reads it from its fetcher each time it builds
    one; there is no public setter, so a client without that attribute keeps its configured wait)."""
    fetcher = getattr(consumer, "_fetcher", None)
    if fetcher is not None and getattr(fetcher, "_fetch_max_wait_ms", wait_ms) != wait_ms:
        fetcher._fetch_max_wait_ms = wait_ms


async def _raw_records(message: KafkaMessage) -> Any:
    """Skip faststream's decoding of the bodies: the handler gets the batch's raw records and parses them itself."""
    return message.raw_message
