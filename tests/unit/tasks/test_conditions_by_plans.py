"""An issued plan meets the condition of every task waiting on it, however many wait on the same few conditions."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from schemas.catalog import Event
from schemas.envelope import Envelope
from schemas.plans import ConditionRule, PlanIssued, TaskAssigned, Timing
from services.runtime.clock import ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.memory_store import MemoryStore
from services.tasks.bootstrap import INDEXES
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.conditions import AWAITED_BACKFILLED, meet_conditions_by_plans
from services.tasks.handlers.repository import TASKS

NOW = datetime(2026, 5, 4, 3, tzinfo=timezone.utc)
NAMED = "Ngay sau khi có Kế hoạch số 12/KH-UBND của UBND tỉnh"
OTHER = "Sau khi có hướng dẫn của Bộ Công an"


def event(payload, stream: str, version: int) -> Event:
    envelope = Envelope(event_id=uuid.uuid4(), event_type=type(payload).__name__, stream_id=stream, stream_version=version, occurred_at=NOW,
                        recorded_at=NOW, correlation_id="c", actor="plans", payload=payload.model_dump(mode="json"))
    return Event(envelope, payload)


async def test_a_plan_meets_every_waiting_task_that_names_it_and_no_other():
    store, clock = MemoryStore(INDEXES), ManualClock(NOW)
    events = EventLog(store, clock)
    assigned = [event(TaskAssigned(task_id=f"t{n}", plan_id=f"kh-{n}", unit_id=f"xa-{n}", content="Triển khai", group=1, lead=f"ca-{n}",
                                   timing=Timing(condition=NAMED if n % 3 else OTHER)), f"plan-kh-{n}", 2) for n in range(30)]
    await accept_assignments(assigned, store, events)
    issued = event(PlanIssued(plan_id="kh-12", unit_id="tinh", number="12/KH-UBND", title="Kế hoạch", issued_on=date(2026, 5, 2)), "plan-kh-12", 1)
    unrelated = event(PlanIssued(plan_id="kh-13", unit_id="tinh", number="13/KH-UBND", title="Kế hoạch", issued_on=date(2026, 5, 2)), "plan-kh-13", 1)
    assert await meet_conditions_by_plans([unrelated, issued], store, events, clock, immediate_days=7) == 20
    docs = {d["task_id"]: d for d in await store.find(TASKS)}
    assert {t for t, d in docs.items() if d["due"] == "2026-05-09"} == {f"t{n}" for n in range(30) if n % 3}
    assert all(docs[f"t{n}"]["waiting_condition"] for n in range(0, 30, 3))
    assert await meet_conditions_by_plans([issued], store, events, clock, immediate_days=7) == 0  # a redelivery meets nothing again


def assignment(n: int, condition: str | None, **timing) -> Event:
    rule = ConditionRule(days_after=10) if condition and "10 ngày" in condition else None
    return event(TaskAssigned(task_id=f"t{n}", plan_id=f"xa-{n}.kh", unit_id=f"xa-{n}", content="Triển khai", group=1, lead=f"ca-{n}",
                              timing=Timing(condition=condition, condition_rule=rule, **timing)), f"plan-xa-{n}.kh", 2)


def issued(number: str, title: str = "Kế hoạch", plan_id: str | None = None) -> Event:
    plan_id = plan_id or f"kh-{number}"
    return event(PlanIssued(plan_id=plan_id, unit_id="tinh", number=number, title=title, issued_on=date(2026, 5, 2)), f"plan-{plan_id}", 1)


class Counting:
    """The store and event log as the handler sees them, counting the writes it makes to tasks."""

    def __init__(self, store, events) -> None:
        self.store, self.events, self.appends, self.snapshot_writes = store, events, 0, 0
        store_bulk_put, append_many = store.bulk_put, events.append_many

        async def bulk_put(collection, docs):
            self.snapshot_writes += collection == TASKS
            await store_bulk_put(collection, docs)

        async def counted_append_many(appends, *args, **kwargs):
            self.appends += 1
            return await append_many(appends, *args, **kwargs)
        store.bulk_put, events.append_many = bulk_put, counted_append_many


async def test_a_batch_of_plans_releases_exactly_the_tasks_waiting_on_them_in_one_append_and_one_write():
    store, clock = MemoryStore(INDEXES), ManualClock(NOW)
    events = EventLog(store, clock)
    by_number, by_title = "Ngay sau khi có Kế hoạch số 45/KH-UBND của UBND tỉnh", "Trong vòng 10 ngày kể từ khi có Kế hoạch chuyển đổi số tỉnh năm 2026"
    waiting = {0: NAMED, 1: by_number, 2: by_title, 3: OTHER, 4: NAMED, 5: "Ngay sau khi có Kế hoạch số 46/KH-UBND"}
    assigned = [assignment(n, c) for n, c in waiting.items()] + [assignment(6, NAMED, due=date(2026, 6, 30))]
    await store.set_position(AWAITED_BACKFILLED, 1)  # a store that has remembered its conditions since its first task
    await accept_assignments(assigned, store, events)
    assert await meet_conditions_by_plans(assigned, store, events, clock, immediate_days=7) == 0  # remembers their conditions
    counting = Counting(store, events)
    plans = [issued("12/KH-UBND"), issued("45/KH-UBND", plan_id="kh-45"), issued("99/KH-UBND", "Kế hoạch chuyển đổi số tỉnh năm 2026", "kh-cds")]
    assert await meet_conditions_by_plans(plans, store, events, clock, immediate_days=7) == 4
    assert (counting.appends, counting.snapshot_writes) == (1, 1)
    docs = {d["task_id"]: d for d in await store.find(TASKS)}
    met = {t: (d["due"], d["condition_met_on"]) for t, d in docs.items() if d["condition_met_on"]}
    assert met == {"t0": ("2026-05-09", "2026-05-02"), "t4": ("2026-05-09", "2026-05-02"), "t1": ("2026-05-09", "2026-05-02"),
                   "t2": ("2026-05-12", "2026-05-02")}  # t2's plan gives 10 days; the others "ngay" = 7
    assert {t for t, d in docs.items() if d["waiting_condition"]} == {"t3", "t5"}
    assert docs["t6"]["due"] == "2026-06-30" and docs["t6"]["version"] == 1  # it has a due date: it waited on nothing
    plan_of = {t: (await events.load(f"task-{t}"))[-1].payload["plan_id"] for t in met}
    assert plan_of == {"t0": "kh-12/KH-UBND", "t4": "kh-12/KH-UBND", "t1": "kh-45", "t2": "kh-cds"}
    assert await meet_conditions_by_plans(plans, store, events, clock, immediate_days=7) == 0  # redelivered: nothing again
    assert await meet_conditions_by_plans([issued("46/KH-UBND")], store, events, clock, immediate_days=7) == 1  # t5, later


async def test_tasks_assigned_before_the_conditions_were_remembered_are_still_met():
    """A store from before the AWAITED documents: its waiting tasks' conditions are read once, then met as any other."""
    store, clock = MemoryStore(INDEXES), ManualClock(NOW)
    events = EventLog(store, clock)
    await accept_assignments([assignment(n, NAMED if n % 2 else OTHER) for n in range(6)], store, events)  # tasks alone, as before
    assert await meet_conditions_by_plans([issued("12/KH-UBND")], store, events, clock, immediate_days=7) == 3
    assert {d["task_id"] for d in await store.find(TASKS, waiting_condition=True)} == {"t0", "t2", "t4"}


async def test_a_snapshot_behind_its_stream_is_met_from_its_stream():
    store, clock = MemoryStore(INDEXES), ManualClock(NOW)
    events = EventLog(store, clock)
    await accept_assignments([assignment(n, NAMED) for n in range(3)], store, events)
    stale = await store.get(TASKS, "t1")
    await store.put(TASKS, "t1", {**stale, "version": 0})  # another writer's view: the batch's append meets a moved stream
    assert await meet_conditions_by_plans([issued("12/KH-UBND")], store, events, clock, immediate_days=7) == 3
    assert [d["task_id"] for d in await store.find(TASKS, waiting_condition=True)] == []
    assert [e.stream_version for e in await events.load("task-t1")] == [1, 2]


async def test_sqlite_finds_the_waiting_tasks_of_named_conditions_through_an_index(tmp_path):
    from services.runtime.sqlite_store import SqliteStore
    store = SqliteStore(tmp_path / "tasks.sqlite3", INDEXES)
    await accept_assignments([assignment(n, NAMED if n % 2 else OTHER) for n in range(40)], store, EventLog(store, ManualClock(NOW)))
    plan = store.plan_of_find(TASKS, condition=[NAMED], waiting_condition=True)
    assert "SEARCH" in plan and "ix_tasks_" in plan and "SCAN" not in plan, plan
    await store.close()
