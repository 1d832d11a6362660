"""tasks' assignments consumer takes a batch at once (one read of the known tasks, one append, one snapshot write), with the
same streams and snapshots as one assignment at a time, and nothing new when a batch is delivered again."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from schemas.catalog import Event
from services.runtime.clock import ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.repository import TASKS
from tests.unit.tasks.given import assigned

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)


def plan_events(plan_id: str, *payloads) -> list[Event]:
    """A plan's stream as tasks receives it from the plans-events topic."""
    return [Event(e, p) for e, p in zip(envelop(f"plan-{plan_id}", 0, payloads, Cause("plans", str(uuid.uuid4())), NOW), payloads)]


def tasks_of(plan_id: str, n: int, **changes) -> list:
    return [assigned(task_id=f"{plan_id}.{k}", plan_id=plan_id, lead=f"ca-{k % 3}", **changes) for k in range(n)]


class Counting(MemoryStore):
    """A store that counts the reads and writes a handler makes."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, int] = {}
        self.inside = False  # MemoryStore.append_many appends stream by stream: those are not the handler's calls

    def _count(self, name: str) -> None:
        if not self.inside:
            self.calls[name] = self.calls.get(name, 0) + 1

    async def find(self, collection, **where):
        self._count("find")
        return await super().find(collection, **where)

    async def get(self, collection, doc_id):
        self._count("get")
        return await super().get(collection, doc_id)

    async def append_many(self, appends, traceparent=None, bodies=None):
        self._count("append_many")
        self.inside = True
        try:
            return await super().append_many(appends, traceparent, bodies)
        finally:
            self.inside = False

    async def append(self, stream_id, expected_version, events, traceparent=None, bodies=None):
        self._count("append")
        return await super().append(stream_id, expected_version, events, traceparent, bodies)

    async def bulk_put(self, collection, docs):
        self._count("bulk_put")
        return await super().bulk_put(collection, docs)

    async def put(self, collection, doc_id, doc):
        self._count("put")
        return await super().put(collection, doc_id, doc)


async def _streams(store: MemoryStore, task_ids: list[str]) -> dict[str, list[tuple[str, dict, str | None]]]:
    return {t: [(e.event_type, e.payload, e.causation_id) for e in await store.load(f"task-{t}")] for t in task_ids}


BATCH = plan_events("kh-a", *tasks_of("kh-a", 5)) + plan_events("kh-b", *tasks_of("kh-b", 4, unit_id="xb", timing={"recurring": True}))
TASK_IDS = [e.payload.task_id for e in BATCH]


async def test_a_batch_gives_the_same_streams_and_snapshots_as_one_assignment_at_a_time():
    together, one_by_one = MemoryStore(), MemoryStore()
    assert await accept_assignments(BATCH, together, EventLog(together, ManualClock(NOW))) == 9
    for event in BATCH:
        assert await accept_assignments([event], one_by_one, EventLog(one_by_one, ManualClock(NOW))) == 1
    assert await _streams(together, TASK_IDS) == await _streams(one_by_one, TASK_IDS)
    assert all(len(events) == 1 and events[0][0] == "TaskAssigned" for events in (await _streams(together, TASK_IDS)).values())
    assert await together.find(TASKS) == await one_by_one.find(TASKS)
    assert {d["task_id"]: (d["plan_id"], d["lead"]) for d in await together.find(TASKS)} == {
        e.payload.task_id: (e.payload.plan_id, e.payload.lead) for e in BATCH}


async def test_one_read_one_append_and_one_snapshot_write_per_batch():
    store = Counting()
    await accept_assignments(BATCH, store, EventLog(store, ManualClock(NOW)))
    assert store.calls == {"find": 1, "append_many": 1, "bulk_put": 1}


async def test_a_batch_delivered_again_appends_nothing_and_a_partly_new_one_only_the_new_tasks():
    store = MemoryStore()
    log = EventLog(store, ManualClock(NOW))
    await accept_assignments(BATCH, store, log)
    snapshots, streams = await store.find(TASKS), await _streams(store, TASK_IDS)
    assert await accept_assignments(BATCH, store, log) == 0
    assert await store.find(TASKS) == snapshots and await _streams(store, TASK_IDS) == streams
    more = plan_events("kh-c", *tasks_of("kh-c", 2))
    assert await accept_assignments(BATCH[3:] + more + BATCH[:3], store, log) == 2
    assert len(await store.find(TASKS)) == 11 and await _streams(store, TASK_IDS) == streams


async def test_a_task_id_assigned_twice_in_a_batch_or_by_another_plan_starts_one_stream():
    store = MemoryStore()
    log = EventLog(store, ManualClock(NOW))
    first = plan_events("kh-a", *tasks_of("kh-a", 2))
    again = plan_events("kh-a", *tasks_of("kh-a", 2))  # the same plan's events, delivered twice in one batch
    other = plan_events("kh-z", assigned(task_id="kh-a.0", plan_id="kh-z", lead="someone-else"))
    assert await accept_assignments(first + again + other, store, log) == 2
    assert len(await store.load("task-kh-a.0")) == 1
    assert (await store.get(TASKS, "kh-a.0"))["plan_id"] == "kh-a" and (await store.get(TASKS, "kh-a.0"))["lead"] == "ca-0"
