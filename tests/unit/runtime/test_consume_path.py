"""The shared consume path's per-record trims keep its guarantees: a consumer's checkpoints are read only for the streams
of its own topics' records (and every consumer with records still gets them), headers are read as before (the first
of a name counts, a version that is not ASCII digits claims nothing), the skip floors of a stream on two topics are the
lowest of both topics' consumers, a checked event is the Event a constructor makes, and batch spans are left out only
when every span is sampled out."""
from __future__ import annotations

from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from schemas.catalog import Event, checked_event
from services.runtime.memory_store import MemoryStore
from services.runtime.subscriptions import EventConsumer, Headers, SharedSubscription
from services.runtime.telemetry import spans_recorded, tracer_provider
from tests.unit.runtime.test_shared_decoding import Collected, Record, completed, record, reported

TASKS, PLANS = "tiendo.tasks.events", "tiendo.plans.events"


class CountingLedger(MemoryStore):
    """A memory ledger that keeps each checkpoint read: (consumers, streams)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[tuple[frozenset[str], frozenset[str]]] = []

    async def checkpoints_of(self, consumers, stream_ids):
        consumers, stream_ids = list(consumers), list(stream_ids)
        self.reads.append((frozenset(consumers), frozenset(stream_ids)))
        return await super().checkpoints_of(consumers, stream_ids)


def on(topic: str, made: Record) -> Record:
    made.topic = topic
    return made


def shared(ledger, sink: Collected, consumers: list[tuple[str, frozenset[str], frozenset[str] | None]]) -> SharedSubscription:
    made = [EventConsumer(topics, name, sink.apply, types) for name, topics, types in consumers]
    return SharedSubscription("g", made, ledger, {c.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for c in made},
                              sink.dead_letter)


async def test_a_consumer_of_plans_reads_no_checkpoint_for_a_batch_of_task_events_and_each_applies_its_own():
    ledger, sink = CountingLedger(), Collected()
    await ledger.advance("views", {"task-t1": 1})
    subscription = shared(ledger, sink, [("views", frozenset({TASKS, PLANS}), None),
                                         ("credentials", frozenset({PLANS}), frozenset({"CredentialRevoked"}))])
    await subscription([on(TASKS, record(reported(), 2)), on(TASKS, record(completed(), 3))])
    assert ledger.reads == [(frozenset({"views"}), frozenset({"task-t1"}))]  # not the credentials consumer's
    assert [e.envelope.stream_version for e in sink.events] == [2, 3] and sink.dead == []
    assert subscription.stats["credentials"]["received"] == 0
    # a batch of both topics: each consumer reads the streams of its own topics (two reads here, none doubled)
    ledger.reads.clear()
    await subscription([on(TASKS, record(reported(), 4)), on(PLANS, record(reported(task="p1"), 1, stream="plan-p1"))])
    assert len(ledger.reads) == 2 and set(ledger.reads) == {
        (frozenset({"views"}), frozenset({"task-t1", "plan-p1"})), (frozenset({"credentials"}), frozenset({"plan-p1"}))}
    assert subscription.stats["credentials"] == {"received": 1, "applied": 0, "skipped": 1, "refused": 0}  # passed over, in order
    assert await ledger.checkpoints("credentials", ["plan-p1", "task-t1"]) == {"plan-p1": 1}
    assert await ledger.checkpoints("views", ["plan-p1", "task-t1"]) == {"plan-p1": 1, "task-t1": 4}


async def test_a_record_applied_before_is_still_skipped_and_a_gap_still_refused_by_the_checkpoints_read():
    ledger, sink = CountingLedger(), Collected()
    await ledger.advance("views", {"task-t1": 5})
    subscription = shared(ledger, sink, [("views", frozenset({TASKS}), None)])
    await subscription([on(TASKS, record(reported(), 5)), on(TASKS, record(reported(), 6)), on(TASKS, record(reported(), 8))])
    assert [e.envelope.stream_version for e in sink.events] == [6]
    assert len(sink.dead) == 1 and "version 8 would skip 1" in sink.dead[0][1]
    assert subscription.stats["views"] == {"received": 3, "applied": 1, "skipped": 1, "refused": 1}


async def test_the_skip_floor_of_a_stream_on_two_topics_is_the_lowest_of_both_topics_consumers():
    ledger, sink = MemoryStore(), Collected()
    await ledger.advance("of-tasks", {"s": 1})
    await ledger.advance("of-plans", {"s": 4})
    subscription = shared(ledger, sink, [("of-tasks", frozenset({TASKS}), None), ("of-plans", frozenset({PLANS}), None)])
    await subscription([on(PLANS, record(reported(), 3, stream="s")), on(TASKS, record(reported(), 1, stream="s"))])
    assert subscription.floors["s"] == 1  # not 4: version 2 on tasks' topic is not applied by its consumer yet
    await subscription([on(TASKS, record(reported(), 2, stream="s"))])
    assert [(e.envelope.stream_id, e.envelope.stream_version) for e in sink.events] == [("s", 2)]


def test_headers_are_read_as_before_the_first_of_a_name_counts_and_a_version_of_other_digits_claims_nothing():
    made = record(reported(), 7)
    head = Headers.of(made)
    assert head == Headers("StatusReported", ("task-t1", 7), None)
    twice = Record(made.value, [("stream_id", b"task-a"), ("event_type", b"TaskCompleted"), ("stream_id", b"task-b"),
                                ("stream_version", b"2"), ("stream_version", b"3"), ("traceparent", b"00-x")])
    assert Headers.of(twice) == Headers("TaskCompleted", ("task-a", 2), "00-x")
    for version in ("²".encode(), b"-1", b"+1", b" 1", b""):
        assert Headers.of(Record(made.value, [("stream_id", b"task-a"), ("stream_version", version)])).claim is None
    assert Headers.of(Record(made.value, [])) == Headers(None, None, None)


def test_a_checked_event_is_the_event_the_constructor_makes_and_as_frozen():
    event = Event(object(), completed())
    quick = checked_event(event.envelope, event.payload)
    assert quick == event and hash(quick) == hash(event) and quick.payload is event.payload
    try:
        quick.payload = None  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("a checked event must stay frozen")


def test_batch_spans_are_left_out_only_when_every_span_is_sampled_out(monkeypatch):
    from opentelemetry import trace

    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: tracer_provider("tests"))
    assert not spans_recorded()
    receiving = tracer_provider("tests", processors=[SimpleSpanProcessor(InMemorySpanExporter())])
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: receiving)
    assert spans_recorded()


async def test_a_record_without_stream_headers_is_checked_against_each_consumers_own_checkpoint():
    ledger, sink = MemoryStore(), Collected()
    await ledger.advance("behind", {"task-t1": 2})
    await ledger.advance("ahead", {"task-t1": 3})
    subscription = shared(ledger, sink, [("behind", frozenset({TASKS}), None), ("ahead", frozenset({TASKS}), None)])
    unclaimed = on(TASKS, record(reported(), 3))
    unclaimed.headers = [h for h in unclaimed.headers if h[0] not in ("stream_id", "stream_version")]
    await subscription([unclaimed])
    assert [e.envelope.stream_version for e in sink.events] == [3] and sink.dead == []  # applied by "behind" only
    assert subscription.stats["ahead"] == {"received": 1, "applied": 0, "skipped": 1, "refused": 0}
