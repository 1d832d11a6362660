"""Deadlines as a schedule: the scanner reads only the tasks whose day of attention has come."""
from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone

import pytest

from services.runtime.clock import ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.memory_store import MemoryStore
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import INDEXES
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.repository import TASKS, stream_of
from services.tasks.handlers.scan import ATTENTION, index_attention_of_old_snapshots, next_attention_moment, scan_deadlines
from tests.unit.reporting.events import assignment

MARCH_31 = date(2026, 3, 31)


@pytest.fixture(params=["memory", "sqlite"])
async def store(request, tmp_path):
    store = MemoryStore(INDEXES) if request.param == "memory" else SqliteStore(tmp_path / "tasks.sqlite", INDEXES)
    yield store
    await store.close()


def at_local(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone(timedelta(hours=7)))


async def assign(store, clock, dues: dict[str, date | None]) -> EventLog:
    events = EventLog(store, clock)
    await accept_assignments([assignment(task_id, "xa", due) for task_id, due in dues.items()], store, events)
    return events


async def missed_streams(store, events, task_ids) -> dict[str, list[str]]:
    return {t: [e.event_type for e in await events.load(stream_of(t)) if e.event_type == "DeadlineMissed"] for t in task_ids}


async def test_only_tasks_whose_day_has_come_are_decided_each_once(store):
    clock = ManualClock(at_local(MARCH_31))
    dues = {"a": MARCH_31, "b": MARCH_31, "c": MARCH_31 + timedelta(days=1), "d": None}
    events = await assign(store, clock, dues)
    assert await scan_deadlines(store, events, clock) == 0
    clock.set(at_local(MARCH_31 + timedelta(days=1), 0))
    assert await scan_deadlines(store, events, clock, batch=1) == 2
    assert await scan_deadlines(store, events, clock) == 0
    assert await missed_streams(store, events, dues) == {"a": ["DeadlineMissed"], "b": ["DeadlineMissed"], "c": [], "d": []}
    assert (await store.get(TASKS, "a"))[ATTENTION] is None and (await store.get(TASKS, "c"))[ATTENTION] == "2026-04-02"


async def test_the_scanner_wakes_at_local_midnight_after_the_earliest_due_date(store):
    clock = ManualClock(at_local(MARCH_31))
    await assign(store, clock, {"late": date(2026, 6, 30), "early": MARCH_31, "never": None})
    assert await next_attention_moment(store) == datetime(2026, 3, 31, 17, tzinfo=timezone.utc)


async def test_a_snapshot_behind_its_stream_is_decided_from_its_events(store):
    clock = ManualClock(at_local(MARCH_31))
    events = await assign(store, clock, {"a": MARCH_31})
    stale = await store.get(TASKS, "a")
    clock.set(at_local(date(2026, 4, 2)))
    assert await scan_deadlines(store, events, clock) == 1
    await store.put(TASKS, "a", stale)  # the snapshot from before the miss: version 1, attention 1 April
    assert await scan_deadlines(store, events, clock) == 0
    assert await missed_streams(store, events, ["a"]) == {"a": ["DeadlineMissed"]}
    assert (await store.get(TASKS, "a"))[ATTENTION] is None


async def test_snapshots_written_before_the_schedule_are_scheduled_once(store):
    clock = ManualClock(at_local(date(2026, 4, 2)))
    events = await assign(store, clock, {"a": MARCH_31})
    old = {k: v for k, v in (await store.get(TASKS, "a")).items() if k != ATTENTION}
    await store.put(TASKS, "a", old)
    assert await scan_deadlines(store, events, clock) == 0  # invisible to the schedule
    assert await index_attention_of_old_snapshots(store) == 1
    assert await index_attention_of_old_snapshots(store) == 0
    assert await scan_deadlines(store, events, clock) == 1


async def test_a_long_scan_gives_the_event_loop_a_turn_between_batches(store):
    """A quarter end decides for a minute: the service's requests and consumers' heartbeats must run meanwhile."""
    clock = ManualClock(at_local(MARCH_31))
    events = await assign(store, clock, {f"t{n}": MARCH_31 for n in range(6)})
    clock.set(at_local(MARCH_31 + timedelta(days=1), 0))
    decided_when_others_ran = []

    async def other_work() -> None:
        for _ in range(3):
            await asyncio.sleep(0)
            decided_when_others_ran.append(sum(len(v) for v in (await missed_streams(store, events, [f"t{n}" for n in range(6)])).values()))

    scan, other = asyncio.ensure_future(scan_deadlines(store, events, clock, batch=2)), asyncio.ensure_future(other_work())
    assert await scan == 6
    await other
    assert any(0 < decided < 6 for decided in decided_when_others_ran), decided_when_others_ran
