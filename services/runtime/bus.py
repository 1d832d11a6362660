"""The Kafka bus: a faststream KafkaBroker plus the few things every service does with it.

- publish stored events (key = stream id; headers event_type, schema_version, traceparent),
- consume events in batches (one commit per batch; malformed or unknown records go to the
  dead-letter topic with the error and the consumer keeps going),
- make sure topics exist, and notice when the broker came back empty (the bundled broker keeps
  nothing across a restart).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Iterable, Sequence

from aiokafka import AIOKafkaProducer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from opentelemetry.trace import SpanKind
from pydantic import ValidationError

from schemas.catalog import DEAD_LETTER, Event, UnknownEvent, parse_event
from services.runtime.ports import StoredEvent
from services.runtime.telemetry import PROPAGATOR, context_from, tracer
from services.runtime.topics import TopicAdmin, topic_names

log = logging.getLogger("tiendo.bus")

EventBatchHandler = Callable[[list[Event]], Awaitable[None]]
POISON_ATTEMPTS = 3


def header(record: Any, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return None


class Bus:
    def __init__(self, bootstrap: str, client_id: str) -> None:
        self.bootstrap = bootstrap
        self.admin = TopicAdmin(bootstrap)
        self._subscribers: list[tuple[tuple[str, ...], Any]] = []
        self.broker = KafkaBroker(bootstrap, client_id=client_id, log_level=logging.DEBUG)
        # The outbox relay's own producer: events go out in large batches without faststream's
        # per-message publish overhead (about a fifth of a busy tasks process when it went through it).
        self._events_producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap, client_id=f"{client_id}-relay", acks="all", linger_ms=2, max_batch_size=256 * 1024
        )

    async def start(self) -> None:
        await self.broker.start()
        await self._events_producer.start()

    async def stop(self) -> None:
        await self._events_producer.stop()
        await self.broker.stop()

    # -- topics ---------------------------------------------------------
    async def ensure_topics(self, topics: Iterable[str], partitions: int) -> None:
        await self.admin.ensure(topics, partitions)

    async def topic_names(self) -> set[str]:
        """The broker's topics, over the relay producer's connection (cheap enough for every batch)."""
        return await topic_names(self._events_producer.client)

    def subscribed_topics(self) -> set[str]:
        return {topic for topics, _ in self._subscribers for topic in topics}

    async def rewind(self, topic: str) -> bool:
        """Send every consumer of `topic` back to its beginning; False while one has no assignment to seek."""
        done = True
        for topics, subscriber in self._subscribers:
            if topic not in topics:
                continue
            consumer = subscriber.consumer
            partitions = [tp for tp in (consumer.assignment() if consumer else ()) if tp.topic == topic]
            if not partitions:
                done = False
                continue
            await consumer.seek_to_beginning(*partitions)
            await consumer.commit({tp: 0 for tp in partitions})
        return done

    # -- publishing -----------------------------------------------------
    async def publish_stored(self, topic: str, stored: Sequence[StoredEvent]) -> None:
        """Publish in order and wait for every ack (fire all, then gather).

        Every send settles before this returns, failed or not: a send left pending could be
        retried by the producer against a broker that came back empty (see topics.py).
        """
        pending = []
        for item in stored:
            envelope = item.envelope
            with tracer().start_as_current_span(
                f"publish {envelope.event_type}", context=context_from(item.traceparent), kind=SpanKind.PRODUCER
            ):
                headers = {"event_type": envelope.event_type, "schema_version": str(envelope.schema_version)}
                PROPAGATOR.inject(headers)
            pending.append(
                await self._events_producer.send(
                    topic, envelope.model_dump_json().encode(), key=envelope.stream_id.encode(),
                    headers=[(k, v.encode()) for k, v in headers.items()],
                )
            )
        errors = [r for r in await asyncio.gather(*pending, return_exceptions=True) if isinstance(r, BaseException)]
        if errors:
            raise errors[0]

    async def publish(self, topic: str, value: bytes, key: str | None, headers: dict[str, str]) -> None:
        await self.broker.publish(value, topic, key=key.encode() if key else None, headers=headers)

    async def dead_letter(self, record: Any, error: Exception | str, consumer: str) -> None:
        reason = error if isinstance(error, str) else describe_error(error)
        log.warning("dead-lettering %s[%s]@%s for %s: %s", record.topic, record.partition, record.offset, consumer, reason)
        headers = {
            "error": reason[:2000],
            "consumer": consumer,
            "source_topic": record.topic,
            "source_partition": str(record.partition),
            "source_offset": str(record.offset),
        }
        key = record.key.decode("utf-8", "replace") if record.key else None
        await self.publish(DEAD_LETTER, record.value or b"", key, headers)

    # -- consuming ------------------------------------------------------
    def subscribe_records(self, topics: Sequence[str], group: str, handle: Callable[[Sequence[Any]], Awaitable[None]],
                          max_records: int = 500, consumer: str | None = None) -> None:
        """Register a batch subscriber that gets raw records; committed after each batch is handled.

        A batch whose handling fails is redelivered (a database that was briefly away); after
        POISON_ATTEMPTS failures its records are handled one by one and those that still fail go
        to the dead-letter topic with the error, so one bad record cannot stall the partition.
        """
        failures: dict[tuple[str, int, int], int] = {}

        subscriber = self.broker.subscriber(
            *topics,
            batch=True,
            group_id=group,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            max_records=max_records,
            batch_timeout_ms=50,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=1_000,
            decoder=_raw_records,
        )
        self._subscribers.append((tuple(topics), subscriber))

        @subscriber
        async def _records(body: list, msg: KafkaMessage) -> None:
            records = msg.raw_message
            first = (records[0].topic, records[0].partition, records[0].offset)
            try:
                await handle(records)
                failures.pop(first, None)
            except Exception:
                failures[first] = failures.get(first, 0) + 1
                if failures[first] < POISON_ATTEMPTS:
                    log.exception("%s: batch at %s failed (attempt %d); it will be redelivered", consumer or group, first, failures[first])
                    raise
                del failures[first]
                await self._isolate_poison(records, handle, consumer or group)

    async def _isolate_poison(self, records: Sequence[Any], handle: Callable[[Sequence[Any]], Awaitable[None]], consumer: str) -> None:
        for record in records:
            try:
                await handle([record])
            except Exception as error:
                await self.dead_letter(record, error, consumer)

    def subscribe_events(self, topics: Sequence[str], group: str, consumer: str, apply: EventBatchHandler, max_records: int = 500) -> None:
        """Register a batch consumer of checked events; bad records are dead-lettered, not retried."""

        async def handle(records: Sequence[Any]) -> None:
            events, spans = [], []
            for record in records:
                try:
                    event = parse_event(record.value)
                except (ValidationError, UnknownEvent, ValueError, TypeError) as error:
                    await self.dead_letter(record, error, consumer)
                    continue
                spans.append(
                    tracer().start_span(
                        f"{consumer} handle {event.type}", context=context_from(header(record, "traceparent")), kind=SpanKind.CONSUMER
                    )
                )
                events.append(event)
            try:
                if events:
                    await apply(events)
            finally:
                for span in spans:
                    span.end()

        self.subscribe_records(topics, group, handle, max_records, consumer)


async def _raw_records(message: Any) -> list:
    """Skip faststream's decoding of the bodies: handlers parse the raw records themselves."""
    return []


def describe_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return f"{type(error).__name__}: {where}: {first['msg']}"
    return f"{type(error).__name__}: {error}"
