"""The shared subscription reads each record's headers once, decodes each event once and in full (as parse_event
would), passes over in-order records of types a consumer does not handle without decoding them, and makes one
consumer span per consumer and batch."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pytest
from opentelemetry import trace
from pydantic import ValidationError

from schemas.catalog import UnknownEvent, parse_event
from schemas.tasks import StatusReported, TaskCompleted
from services.runtime.events import Cause, decode, envelop
from services.runtime.memory_store import MemoryStore
from services.runtime.subscriptions import MAX_TRACE_SPANS, EventConsumer, SharedSubscription
from tests.support.tracing import finished_spans  # noqa: F401  (a fixture)

NOW = datetime(2026, 11, 29, 3, tzinfo=timezone.utc)
TOPIC = "tiendo.tasks.events"
TRACE = "00-{:032x}-{:016x}-01"


@dataclass
class Record:
    value: bytes
    headers: list = field(default_factory=list)
    topic: str = TOPIC
    partition: int = 0
    offset: int = 0
    key: bytes | None = None


def reported(progress: int = 40, task: str = "t1") -> StatusReported:
    return StatusReported(task_id=task, agency_id="ca-xa", status="in_progress", progress=progress, summary="Đã triển khai", role="lead")


def completed(task: str = "t1") -> TaskCompleted:
    return TaskCompleted(task_id=task, agency_id="ca-xa", completed_on="2026-11-29", on_time=True)


def record(payload, version: int, stream: str = "task-t1", traceparent: str | None = None, body: bytes | None = None) -> Record:
    envelope = envelop(stream, version - 1, [payload], Cause("agency:ca-xa", "c"), NOW)[0]
    headers = [("event_type", type(payload).__name__.encode()), ("schema_version", b"1"), ("stream_id", stream.encode()),
               ("stream_version", str(version).encode())]
    return Record(body if body is not None else envelope.model_dump_json().encode(), headers + ([("traceparent", traceparent.encode())] if traceparent else []))


class Collected:
    def __init__(self) -> None:
        self.events, self.dead = [], []

    async def apply(self, batch) -> None:
        self.events.extend(batch)

    async def dead_letter(self, record, error, consumer) -> None:
        self.dead.append((record, str(error), consumer))


def subscription(ledger, consumers: dict[str, frozenset[str] | None], sink: Collected) -> SharedSubscription:
    made = [EventConsumer(frozenset([TOPIC]), name, sink.apply, types) for name, types in consumers.items()]
    stats = {name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for name in consumers}
    return SharedSubscription("g", made, ledger, stats, sink.dead_letter)


def test_decode_gives_the_event_parse_event_gives_and_refuses_what_it_refuses():
    good = record(reported(), 3).value
    fast, checked = decode(good, "StatusReported"), parse_event(good)
    assert fast.payload == checked.payload and fast.envelope.model_dump_json() == checked.envelope.model_dump_json()
    data = json.loads(good)
    bad = {
        "progress-101": {**data, "payload": {**data["payload"], "progress": 101}},
        "payload-extra": {**data, "payload": {**data["payload"], "admin": True}},
        "naive-time": {**data, "occurred_at": "2026-11-29T09:00:00"},
        "no-event-id": {k: v for k, v in data.items() if k != "event_id"},
        "unknown-type": {**data, "event_type": "TaskDeleted"},
    }
    for case, body in bad.items():
        raw = json.dumps(body).encode()
        with pytest.raises((ValidationError, UnknownEvent)) as fast_error:
            decode(raw, "StatusReported")
        with pytest.raises((ValidationError, UnknownEvent)) as slow_error:
            parse_event(raw)
        assert str(fast_error.value) == str(slow_error.value), case
    # a header that lies about the type: the body is checked as what it says it is
    done = record(completed(), 4).value
    assert isinstance(decode(done, "StatusReported").payload, TaskCompleted)
    with pytest.raises(UnicodeDecodeError):
        decode(b"\xff\xfe not json", "StatusReported")


async def test_records_of_types_a_consumer_does_not_handle_are_passed_over_in_order_without_decoding():
    ledger, sink = MemoryStore(), Collected()
    await ledger.advance("notify", {"task-t1": 1})
    shared = subscription(ledger, {"notify": frozenset({"TaskCompleted"})}, sink)
    undecodable = record(reported(), 2, body=b"not json: never read")  # StatusReported by its headers, the next version
    await shared([undecodable, record(completed(), 3)])
    assert [e.type for e in sink.events] == ["TaskCompleted"] and sink.dead == []
    assert await ledger.checkpoints("notify", ["task-t1"]) == {"task-t1": 3}
    assert shared.stats["notify"]["skipped"] == 1 and shared.stats["notify"]["applied"] == 1
    # out of order (a version missing before it): decoded and checked as any other, so refused
    await shared([record(reported(), 9, body=record(reported(), 9).value)])
    assert len(sink.dead) == 1 and "version 9 would skip 5" in sink.dead[0][1]
    assert await ledger.checkpoints("notify", ["task-t1"]) == {"task-t1": 3}


async def test_a_consumer_of_every_type_still_gets_every_event_decoded_once():
    ledger, sink = MemoryStore(), Collected()
    shared = subscription(ledger, {"reporting": None, "notify": frozenset({"TaskCompleted"})}, sink)
    await shared([record(reported(), 1), record(completed(), 2)])
    assert [(e.type, e.envelope.stream_version) for e in sink.events] == [("StatusReported", 1), ("TaskCompleted", 2), ("TaskCompleted", 2)]
    assert sink.events[1] is sink.events[2]  # one decode for both consumers


async def test_consumer_spans_are_one_per_batch_and_trace_not_per_event(finished_spans):
    ledger, sink = MemoryStore(), Collected()
    shared = subscription(ledger, {"reporting": None}, sink)
    one = TRACE.format(0xABC, 0x1)
    await shared([record(reported(task=f"t{n}"), 1, stream=f"task-t{n}", traceparent=one) for n in range(50)] +
                 [record(completed(task="t0"), 2, stream="task-t0")])  # an event of no trace (the deadline scanner's)
    made = sorted((s for s in finished_spans.get_finished_spans() if s.name.startswith("reporting handle")), key=lambda s: s.name)
    assert [s.name for s in made] == ["reporting handle StatusReported", "reporting handle TaskCompleted"]
    assert made[0].context.trace_id == 0xABC and made[0].parent.span_id == 0x1 and made[0].attributes["messaging.batch.message_count"] == 50
    assert made[1].parent is None
    finished_spans.clear()
    many = [record(reported(task=f"u{n}"), 1, stream=f"task-u{n}", traceparent=TRACE.format(0x100 + n % 12, 0x2)) for n in range(60)]
    await shared(many)
    made = [s for s in finished_spans.get_finished_spans() if s.name.startswith("reporting handle")]
    assert len(made) == MAX_TRACE_SPANS + 1
    assert sorted(s.context.trace_id for s in made[:MAX_TRACE_SPANS]) == list(range(0x100, 0x100 + MAX_TRACE_SPANS))
    assert sorted(link.context.trace_id for link in made[-1].links) == list(range(0x100 + MAX_TRACE_SPANS, 0x10C))
    assert made[-1].attributes["messaging.batch.message_count"] == 60 - 5 * MAX_TRACE_SPANS
