"""Consumers apply each stream once and in order; a forged future version or an unknown schema is refused."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from schemas.catalog import parse_event
from schemas.envelope import Envelope
from services.runtime.continuity import Continuity
from services.runtime.memory_store import MemoryStore

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


@dataclass
class Record:
    value: bytes
    headers: list = field(default_factory=list)


def completed(version: int, schema_version: int = 1, stream: str = "task-t1") -> Envelope:
    return Envelope(event_id=uuid.uuid4(), event_type="TaskCompleted", schema_version=schema_version, stream_id=stream,
                    stream_version=version, occurred_at=NOW, recorded_at=NOW, correlation_id="c", actor="a",
                    payload={"task_id": "t1", "agency_id": "ca", "completed_on": "2026-11-01", "on_time": True})


def record(envelope: Envelope, with_headers: bool = True) -> Record:
    headers = [("stream_id", envelope.stream_id.encode()), ("stream_version", str(envelope.stream_version).encode())]
    return Record(envelope.model_dump_json().encode(), headers if with_headers else [])


async def admit(continuity: Continuity, records: list[Record]):
    fresh = await continuity.unapplied(records)
    accepted, refused = await continuity.admit([(r, parse_event(r.value)) for r in fresh])
    await continuity.commit()
    return accepted, refused


async def test_a_forged_future_version_is_refused_and_the_real_next_event_still_applies():
    store = MemoryStore()
    await store.advance("reporting", {"task-t1": 2})
    forged, real = record(completed(999), with_headers=False), record(completed(3))
    accepted, refused = await admit(Continuity(store, "reporting"), [forged, real])
    assert [e.envelope.stream_version for e in accepted] == [3]
    assert refused[0][0] is forged and "version 999 would skip 996 event(s)" in refused[0][1]
    assert await store.checkpoints("reporting", ["task-t1"]) == {"task-t1": 3}


async def test_an_unknown_schema_version_is_never_applied_as_an_older_one():
    accepted, refused = await admit(Continuity(MemoryStore(), "notify"), [record(completed(1, schema_version=99))])
    assert accepted == [] and "schema_version 99 is newer than this consumer knows (1)" in refused[0][1]


async def test_applied_events_are_skipped_by_their_headers_without_decoding():
    store = MemoryStore()
    await store.advance("reporting", {"task-t1": 5})
    undecodable = Record(b"not json at all", [("stream_id", b"task-t1"), ("stream_version", b"4")])
    continuity = Continuity(store, "reporting")
    assert await continuity.unapplied([undecodable]) == [] and continuity.skipped == 1


async def test_headers_that_disagree_with_the_envelope_are_refused():
    lying = record(completed(1))
    lying.headers = [("stream_id", b"task-t1"), ("stream_version", b"7")]
    accepted, refused = await admit(Continuity(MemoryStore(), "reporting"), [lying])
    assert accepted == [] and "headers say task-t1 v7" in refused[0][1]


async def test_a_redelivery_without_headers_is_skipped_and_a_stream_starts_at_version_one():
    store = MemoryStore()
    first, second = completed(1), completed(2)
    accepted, _ = await admit(Continuity(store, "reporting"), [record(first), record(second)])
    assert len(accepted) == 2
    accepted, refused = await admit(Continuity(store, "reporting"), [record(first, with_headers=False)])
    assert accepted == [] and refused == []
