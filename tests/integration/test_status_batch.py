"""A batch of status reports is decided and appended together, each item answered on its own and in order."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from schemas.tasks import TaskStatusReport
from services.runtime.clock import ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause
from services.runtime.memory_store import MemoryStore
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import INDEXES
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.report import Reported, decide_reports, report_statuses
from services.tasks.handlers.repository import TASKS, stream_of
from tests.unit.reporting.events import assignment
from schemas.tasks import Evidence

CAUSE = Cause("agency:ca-xa", "corr-1")
EVIDENCE = Evidence(document_number="12/BC-UBND", document_date=date(2026, 3, 18), issuer="UBND xã Trường Hà")


@pytest.fixture(params=["memory", "sqlite"])
async def tasks(request, tmp_path):
    store = MemoryStore(INDEXES) if request.param == "memory" else SqliteStore(tmp_path / "tasks.sqlite", INDEXES)
    clock = ManualClock(datetime(2026, 3, 20, 2, tzinfo=timezone.utc))
    events = EventLog(store, clock)
    await accept_assignments([assignment(t, "xa", date(2026, 3, 31)) for t in ("a", "b", "c")] +
                             [assignment(t, "xa", date(2026, 3, 31), lead="tp-xa") for t in ("d", "e")], store, events)
    yield store, events, clock
    await store.close()


def item(task_id: str, status: str = "in_progress", progress: int = 50, **extra) -> TaskStatusReport:
    if status == "done" and progress == 100:
        extra.setdefault("evidence", EVIDENCE)  # a completion carries its evidence (issue 6)
    return TaskStatusReport(task_id=task_id, status=status, progress=progress, **extra)


async def send(tasks, items, agency="ca-xa"):
    store, events, clock = tasks
    async with store.transaction():
        return [(r["task_id"], r["status"]) for r in await report_statuses(items, agency, store, events, clock, CAUSE)]


async def test_accepted_reports_are_appended_and_snapshotted_together(tasks):
    store, events, _ = tasks
    assert await send(tasks, [item("a", progress=40), item("b", "done", 100)]) == [("a", 201), ("b", 201)]
    assert (await store.get(TASKS, "a"))["progress"] == 40 and (await store.get(TASKS, "b"))["open"] is False
    assert [e.event_type for e in await events.load(stream_of("b"))] == ["TaskAssigned", "StatusReported", "TaskCompleted"]


async def test_each_refused_item_is_answered_on_its_own(tasks):
    answers = await send(tasks, [item("nope"), item("a", expected_version=7), item("b"), item("c", "done", 90)])
    assert answers == [("nope", 404), ("a", 409), ("b", 201), ("c", 422)]
    assert await send(tasks, [item("a")], agency="someone-else") == [("a", 403)]


async def test_reports_on_one_task_in_one_batch_are_decided_in_order(tasks):
    store, events, _ = tasks
    assert await send(tasks, [item("a", "done", 100), item("b"), item("a", progress=10)]) == [("a", 201), ("b", 201), ("a", 409)]
    assert (await store.get(TASKS, "a"))["progress"] == 100


async def test_a_snapshot_behind_its_stream_sends_the_batch_the_slow_way(tasks):
    store, events, _ = tasks
    stale = await store.get(TASKS, "a")
    assert await send(tasks, [item("a", progress=20)]) == [("a", 201)]
    await store.put(TASKS, "a", stale)
    assert await send(tasks, [item("a", progress=30), item("b", progress=30)]) == [("a", 201), ("b", 201)]
    assert [e.stream_version for e in await events.load(stream_of("a"))] == [1, 2, 3]
    assert (await store.get(TASKS, "a"))["progress"] == 30


async def test_a_batch_of_several_agencies_is_decided_together_each_item_with_its_own_agency_and_cause(tasks):
    store, events, clock = tasks
    items = [Reported(item("a", progress=10), "ca-xa", Cause("agency:ca-xa", "cmd-1", "cmd-1")),
             Reported(item("d", progress=20), "tp-xa", Cause("agency:tp-xa", "cmd-2", "cmd-2")),
             Reported(item("e", progress=30), "ca-xa", Cause("agency:ca-xa", "cmd-3", "cmd-3"))]  # ca-xa neither leads nor supports e
    async with store.transaction():
        outcomes = await decide_reports(items, store, events, clock)
    assert [type(o).__name__ for o in outcomes] == ["list", "list", "Forbidden"]
    a, d = (await events.load(stream_of("a")))[-1], (await events.load(stream_of("d")))[-1]
    assert (a.actor, a.correlation_id, a.payload["agency_id"]) == ("agency:ca-xa", "cmd-1", "ca-xa")
    assert (d.actor, d.correlation_id, d.payload["agency_id"], d.payload["progress"]) == ("agency:tp-xa", "cmd-2", "tp-xa", 20)
    assert [e.event_id for e in outcomes[1]] == [d.event_id] and (await store.get(TASKS, "d"))["progress"] == 20
    assert len(await events.load(stream_of("e"))) == 1  # the refused item appended nothing
