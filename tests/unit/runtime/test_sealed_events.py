"""Events are serialised once: the JSON `seal` checks for size is the JSON the store keeps and the outbox publishes."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from schemas.directory import UnitLevel, UnitRegistered
from schemas.envelope import MAX_STREAM_VERSION, Envelope
from services.runtime.clock import ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.events import MAX_EVENT_BYTES, Cause, EventTooLarge, seal, uuid4
from services.runtime.memory_store import MemoryStore
from services.runtime.sqlite_store import SqliteStore

NOW = datetime(2026, 11, 29, 20, 0, tzinfo=timezone.utc)


def test_ids_are_random_version_4_uuids():
    ids = [uuid4() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert {(i.version, i.variant) for i in ids} == {(4, uuid.RFC_4122)}
    assert all(uuid.UUID(str(i)) == i and uuid.UUID(bytes=i.bytes) == i for i in ids[:50])
    assert len({i.int >> 100 for i in ids}) > 1000  # the high bits vary too: not a counter


def test_the_stored_text_is_what_pydantic_makes_of_the_envelope():
    payloads = [UnitRegistered(unit_id="u", name="Xã Tế Lợi", level="commune"), UnitRegistered(unit_id="v", name="Tỉnh", level="province")]
    envelopes, bodies = seal("unit-u", 3, payloads, Cause("plans", "c-1", "e-0"), NOW)
    assert bodies == [e.model_dump_json().encode() for e in envelopes]
    assert [e.stream_version for e in envelopes] == [4, 5]
    assert json.loads(bodies[0])["payload"]["name"] == "Xã Tế Lợi" and json.loads(bodies[1])["causation_id"] == "e-0"


def test_the_events_of_one_call_after_the_first_are_what_validating_each_would_give():
    """seal validates the first envelope of a call in full and copies it for the others (they share stream and cause)."""
    payloads = [UnitRegistered(unit_id=f"u{n}", name=f"Xã {n}", level="commune") for n in range(4)]
    envelopes, bodies = seal("unit-u", 7, payloads, Cause("plans", "c-1", "e-0"), NOW)
    assert [Envelope.model_validate_json(b) for b in bodies] == envelopes
    assert [(e.stream_version, e.payload["unit_id"], e.stream_id, e.actor) for e in envelopes] == [(8 + n, f"u{n}", "unit-u", "plans") for n in range(4)]
    assert len({e.event_id for e in envelopes}) == 4
    with pytest.raises(ValidationError):  # what comes from outside is still checked: a stream id over its bound
        seal("unit-" + "u" * 1000, 0, payloads, Cause("plans", "c-1"), NOW)
    with pytest.raises(ValidationError):  # and the last version of a call, as the first
        seal("unit-u", MAX_STREAM_VERSION - 2, payloads, Cause("plans", "c-1"), NOW)


def test_the_size_limit_counts_bytes_not_characters():
    # "ễ" is 3 bytes in UTF-8: a third of the limit in characters is over it in bytes
    over = UnitRegistered.model_construct(unit_id="u", name="ễ" * (MAX_EVENT_BYTES // 3 + 1), level=UnitLevel.province)
    with pytest.raises(EventTooLarge):
        seal("unit-u", 0, [over], Cause("a", "c"), NOW)
    under = UnitRegistered.model_construct(unit_id="u", name="ễ" * (MAX_EVENT_BYTES // 3 - 200), level=UnitLevel.province)
    assert seal("unit-u", 0, [under], Cause("a", "c"), NOW)[0]


@pytest.fixture(params=["memory", "sqlite"])
async def store(request, tmp_path):
    store = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "events.sqlite")
    yield store
    await store.close()


async def test_stores_keep_the_sealed_text_as_given(store):
    """The adapters keeping JSON text store what they are handed instead of serialising again (the text here is
    deliberately spaced differently from pydantic's, which a second serialisation would not reproduce)."""
    envelopes, bodies = seal("unit-u", 0, [UnitRegistered(unit_id="u", name="Tỉnh", level="province")], Cause("a", "c"), NOW)
    spaced = [json.dumps(json.loads(b), ensure_ascii=False, indent=1).encode() for b in bodies]
    await store.append("unit-u", 0, envelopes, None, spaced)
    (stored,) = await store.read_after(0, 10)
    assert stored.body == spaced[0] and stored.envelope == envelopes[0]
    assert await store.load("unit-u") == envelopes


async def test_the_event_log_stores_one_serialisation_per_event(store):
    events = EventLog(store, ManualClock(NOW))
    (first,), (second, third) = await events.append_many([
        ("unit-a", 0, [UnitRegistered(unit_id="a", name="A", level="province")], Cause("a", "c")),
        ("unit-b", 0, [UnitRegistered(unit_id="b", name="B", level="province"), UnitRegistered(unit_id="b", name="B2", level="province")], Cause("a", "c")),
    ])
    (fourth,) = await events.append("unit-a", 1, [UnitRegistered(unit_id="a", name="A2", level="province")], Cause("a", "c"))
    stored = await store.read_after(0, 10)
    assert [s.body for s in stored] == [e.model_dump_json().encode() for e in (first, second, third, fourth)]
