"""Task snapshots as the SQLite store writes them on the status-report path: the indexed values in their columns, the
body alone when they did not change, and a report that changes nothing answered like any other."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from schemas.catalog import Event
from schemas.tasks import TaskStatusReport
from services.runtime.clock import ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause, envelop
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import INDEXES
from services.tasks.domain.task import Task
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.report import report_statuses
from services.tasks.handlers.repository import TASKS
from tests.unit.tasks.given import assigned

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
async def tasks(tmp_path):
    store = SqliteStore(tmp_path / "tasks.sqlite3", INDEXES)
    events = EventLog(store, ManualClock(NOW))
    payloads = [assigned(task_id=f"t{n}", lead="ca", parent_task_id="up") for n in range(3)]
    envelopes = envelop("plans", 0, payloads, Cause("plans", str(uuid.uuid4())), NOW)
    await accept_assignments([Event(e, p) for e, p in zip(envelopes, payloads)], store, events)
    yield store, events
    await store.close()


async def report(store, events, progress: int, *task_ids: str) -> list[dict]:
    items = [TaskStatusReport(task_id=t, status="in_progress", progress=progress) for t in task_ids]
    async with store.transaction():
        return await report_statuses(items, "ca", store, events, ManualClock(NOW), Cause("agency:ca", str(uuid.uuid4())))


async def test_a_report_that_changes_nothing_is_answered_and_its_snapshot_moves_to_the_new_version(tasks):
    store, events = tasks
    assert [a["version"] for a in await report(store, events, 40, "t0", "t1")] == [2, 2]
    assert [a["version"] for a in await report(store, events, 40, "t0", "t1")] == [3, 3]  # the same report again
    assert [e.stream_version for e in await store.load("task-t0")] == [1, 2, 3]
    found = {d["task_id"]: d for d in await store.find(TASKS, lead="ca")}
    assert (found["t0"]["version"], found["t1"]["version"], found["t2"]["version"]) == (3, 3, 1)
    assert [d["task_id"] for d in await store.find(TASKS, parent_task_id="up", task_id=["t0", "t2"])] == ["t0", "t2"]


async def test_a_snapshot_reads_back_as_the_task_it_was_written_from(tasks):
    store, events = tasks
    await report(store, events, 55, "t2")
    doc = await store.get(TASKS, "t2")
    task = Task.from_doc(doc)
    assert (task.version, task.progress, task.parts[0]["progress"]) == (2, 55, 55)
    assert doc == task.to_doc()


async def test_the_indexed_values_of_a_snapshot_are_in_their_columns(tasks):
    store, _ = tasks
    row = store._db.execute("SELECT f_task_id, f_lead, f_parent_task_id, f_waiting_condition, f_attention_on FROM doc_tasks WHERE id = 't1'").fetchone()
    assert row == ("t1", "ca", "up", 0, "2026-12-01")  # due 2026-11-30: attention the day after
