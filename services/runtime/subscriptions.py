"""Event consumers sharing one subscriber: one fetch loop and one group join per process instead of one per consumer.

Each batch of records goes to each consumer (the records of its topics), all of them even when one fails; a failure
has the batch redelivered and the others skip what they applied, by their own checkpoints (continuity.py). An event
is decoded once for all of them, and only if some consumer has not applied it yet.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Sequence

from opentelemetry.trace import SpanKind
from pydantic import ValidationError

from schemas.catalog import Event, UnknownEvent, parse_event
from services.runtime.continuity import Continuity, claimed, header
from services.runtime.ports import Ledger
from services.runtime.telemetry import context_from, tracer

EventBatchHandler = Callable[[list[Event]], Awaitable[None]]
DeadLetter = Callable[[Any, "Exception | str", str], Awaitable[None]]


@dataclass(frozen=True)
class EventConsumer:
    """One consumer of checked events: its topics, its checkpoint name, what it applies."""
    topics: frozenset[str]
    name: str
    apply: EventBatchHandler


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
        self.consumers, self.ledger, self.stats, self.dead_letter = consumers, ledger, stats, dead_letter
        self.group_id = group_id(group, consumers)
        self.topics = sorted({topic for c in consumers for topic in c.topics})

    async def __call__(self, records: Sequence[Any]) -> None:
        parsed: dict[int, Event | Exception] = {}  # an event is decoded once for all the consumers
        claims = {id(r): claimed(r) for r in records} if len(self.consumers) > 1 else None  # its headers read once
        failures = []
        for each in self.consumers:
            mine = records if each.topics.issuperset(r.topic for r in records) else [r for r in records if r.topic in each.topics]
            try:
                if mine:
                    await self._handle(each, mine, parsed, claims)
            except Exception as error:
                failures.append(ConsumerFailed(each.name, error))
        if failures:
            raise failures[0]

    def _parse(self, record: Any, parsed: dict[int, Event | Exception]) -> Event | Exception:
        if id(record) not in parsed:
            try:
                parsed[id(record)] = parse_event(record.value)
            except (ValidationError, UnknownEvent, ValueError, TypeError) as error:
                parsed[id(record)] = error
        return parsed[id(record)]

    async def _handle(self, each: EventConsumer, records: Sequence[Any], parsed: dict[int, Event | Exception],
                      claims: dict[int, tuple[str, int] | None] | None) -> None:
        stats = self.stats[each.name]
        continuity = Continuity(self.ledger, each.name) if self.ledger is not None else None
        fresh = await continuity.unapplied(records, claims) if continuity else list(records)  # by the headers: nothing decoded
        checked: list[tuple[Any, Event]] = []
        for record in fresh:
            event = self._parse(record, parsed)
            if isinstance(event, Exception):
                await self.dead_letter(record, event, each.name)
            else:
                checked.append((record, event))
        if continuity:
            accepted, refused = await continuity.admit(checked)
            for record, reason in refused:
                await self.dead_letter(record, reason, each.name)
        else:
            accepted = [event for _, event in checked]
        taken = {id(event) for event in accepted}
        spans = [
            tracer().start_span(f"{each.name} handle {event.type}", context=context_from(header(record, "traceparent")), kind=SpanKind.CONSUMER)
            for record, event in checked if id(event) in taken
        ]
        try:
            if accepted:
                await each.apply(accepted)
            if continuity:
                await continuity.commit()
            skipped = continuity.skipped if continuity else 0
            stats["received"] += len(records)
            stats["applied"] += len(accepted)
            stats["refused"] += len(records) - len(accepted) - skipped
            stats["skipped"] += skipped
        finally:
            for span in spans:
                span.end()


def describe_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return f"{type(error).__name__}: {where}: {first['msg']}"
    return f"{type(error).__name__}: {error}"
