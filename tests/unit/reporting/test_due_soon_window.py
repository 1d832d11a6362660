"""The due-soon bucket uses the window of the task's plan (PlanIssued.due_soon_days), 7 days by default."""
from __future__ import annotations

from datetime import date

from schemas.plans import PlanIssued
from services.reporting.handlers.project import project
from services.reporting.handlers.repository.counters import Memory
from services.reporting.handlers.project import write_memory
from services.reporting.views import unit_summary
from services.runtime.memory_store import MemoryStore
from tests.unit.reporting.events import assignment, event, unit

MARCH_20 = date(2023, 3, 20)
IN_TEN_DAYS = date(2023, 3, 30)


def plan_with_window(days: int):
    return event("plan-kh-1", 1, PlanIssued(plan_id="kh-1", unit_id="tinh", title="Kế hoạch", issued_on=date(2023, 3, 1),
                                            due_soon_days=days))


def hierarchy():
    return [unit("tinh", level="province"), unit("xa", "tinh")]


async def total(events, *, rebuilt: bool = False, batches: int = 1):
    store, memory = MemoryStore(), Memory() if rebuilt else None
    size = max(1, len(events) // batches)
    for start in range(0, len(events), size):
        await project(events[start:start + size], store, memory=memory)
    if memory is not None:
        await write_memory(store, memory)
    return (await unit_summary(store, "tinh", MARCH_20, "vi"))["total"]


async def test_a_task_due_in_ten_days_is_due_soon_under_a_fourteen_day_window_and_not_under_the_default():
    task = assignment("t1", "xa", IN_TEN_DAYS)
    wide = await total([*hierarchy(), plan_with_window(14), task])
    default = await total([*hierarchy(), plan_with_window(7), task])
    assert (wide["due_soon"], wide["not_yet_due"]) == (1, 0)
    assert (default["due_soon"], default["not_yet_due"]) == (0, 1)


async def test_a_plan_arriving_after_its_task_still_gives_the_task_its_window():
    task = assignment("t1", "xa", IN_TEN_DAYS)
    for rebuilt in (False, True):
        late_plan = await total([*hierarchy(), task, plan_with_window(14)], rebuilt=rebuilt, batches=2)
        assert (late_plan["due_soon"], late_plan["not_yet_due"]) == (1, 0), rebuilt


async def test_a_narrow_window_leaves_a_task_due_in_three_days_not_yet_due():
    narrow = await total([*hierarchy(), plan_with_window(2), assignment("t1", "xa", date(2023, 3, 23))])
    assert (narrow["due_soon"], narrow["not_yet_due"]) == (0, 1)
