"""A replay (a rebuild's reader of whole topics) applies each stream's events once and in order, refuses to the
dead-letter topic what a live consumer refuses (a malformed record, a gap, a schema version too new, headers that name
another event), advances the checkpoints with the batch in one transaction, and ends on a batch it cannot apply,
naming where that batch starts."""
from __future__ import annotations

import json

import pytest

from services.runtime.memory_store import MemoryStore
from services.runtime.replay import Replay, ReplayFailed
from tests.unit.runtime.test_shared_decoding import Collected, Record, completed, record, reported


def replay(store: MemoryStore, sink: Collected) -> Replay:
    return Replay("127.0.0.1:1", ["tiendo.tasks.events"], "views", store, sink.dead_letter)  # never started: handle() only


def at(made: Record, offset: int) -> Record:
    made.offset = offset
    return made


def newer_schema(made: Record) -> Record:
    body = json.loads(made.value)
    made.value = json.dumps({**body, "schema_version": 2}).encode()
    return made


async def test_a_replay_applies_each_stream_once_in_order_and_dead_letters_what_a_live_consumer_refuses():
    store, sink = MemoryStore(), Collected()
    reader = replay(store, sink)
    batch = [at(record(reported(10), 1), 0), at(record(reported(20), 2), 1), at(record(reported(20), 2), 2),  # a second copy
             at(record(reported(30), 3, body=b'{"event_type": "StatusReported"'), 3),  # malformed: v3 never comes
             at(record(completed(), 4), 4),  # then a gap
             at(newer_schema(record(reported(5, task="t2"), 1, stream="task-t2")), 5),
             at(record(reported(7, task="t3"), 1, stream="task-t3"), 6)]
    batch.append(at(record(reported(8, task="t3"), 2, stream="task-t3"), 7))
    batch[-1].headers[3] = ("stream_version", b"9")  # headers that name another version than the body's
    await reader.handle(batch, sink.apply)
    assert [(e.envelope.stream_id, e.envelope.stream_version) for e in sink.events] == [("task-t1", 1), ("task-t1", 2), ("task-t3", 1)]
    refused = {r.offset: reason for r, reason, consumer in sink.dead if consumer == "views"}
    assert sorted(refused) == [3, 4, 5, 7]
    assert "Expecting ',' delimiter" in refused[3]  # the decoder's own words, as a live consumer dead-letters it
    assert "would skip 1 event(s)" in refused[4]
    assert "schema_version 2 is newer" in refused[5]
    assert refused[7] == "headers say task-t3 v9 but the event is task-t3 v2"
    assert await store.checkpoints("views", ["task-t1", "task-t2", "task-t3"]) == {"task-t1": 2, "task-t3": 1}
    assert (reader.received, reader.applied, reader.refused) == (8, 3, 4)
    await reader.handle([at(record(reported(30), 3), 8)], sink.apply)  # the next batch goes on from the checkpoints
    assert sink.events[-1].envelope.stream_version == 3 and await store.checkpoints("views", ["task-t1"]) == {"task-t1": 3}


async def test_a_batch_that_cannot_be_applied_ends_the_replay_naming_where_it_starts_and_advances_nothing():
    store, sink = MemoryStore(), Collected()
    reader = replay(store, sink)

    async def failing(batch) -> None:
        await store.put("views", "half", {"applied": len(batch)})
        raise KeyError("plan-9")

    with pytest.raises(ReplayFailed, match=r"views: the batch of 2 records from tiendo\.tasks\.events\[0\]@40 failed: KeyError: 'plan-9'"):
        await reader.handle([at(record(reported(), 1), 40), at(record(reported(), 2), 41)], failing)
    assert await store.checkpoints("views", ["task-t1"]) == {} and await store.get("views", "half") is None
