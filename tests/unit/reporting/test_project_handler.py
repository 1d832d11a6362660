"""The projection handler applies each event once, and rollups see late units."""
from __future__ import annotations

from datetime import date

from services.reporting.handlers.project import CONSUMER, ProjectionProgress, project
from services.reporting.views import unit_summary, unit_tasks
from services.runtime.memory_store import MemoryStore
from tests.unit.reporting.events import assignment, completion, status, unit

TODAY = date(2023, 3, 20)


async def test_a_redelivered_batch_is_skipped_by_the_ledger():
    store, progress = MemoryStore(), ProjectionProgress()
    batch = [unit("xa"), assignment("t1", "xa", date(2023, 3, 31)), status("t1", 2, "blocked", 10)]
    assert await project(batch, store, progress) == 3
    before = await store.get("tasks", "t1")
    assert await project(batch, store, progress) == 0
    assert await store.get("tasks", "t1") == before
    assert progress.as_dict() == {"received": 6, "applied": 3, "skipped": 3}


async def test_the_plans_copy_of_an_assignment_makes_no_task_view():
    store = MemoryStore()
    await project([unit("xa"), assignment("t1", "xa", stream="plan-kh-1", version=2)], store)
    assert await store.get("tasks", "t1") is None


async def test_tasks_of_a_unit_registered_late_count_once_it_arrives_at_every_level():
    store = MemoryStore()
    await project([unit("tinh", level="province"), assignment("t1", "xa", date(2023, 3, 31)),
                   assignment("t2", "xa", date(2023, 3, 10)),
                   completion("t2", 2, date(2023, 3, 12), date(2023, 3, 10), on_time=False)], store)
    assert (await unit_summary(store, "tinh", TODAY, "vi"))["total"]["all"] == 0
    await project([unit("huyen", "tinh", "district"), unit("xa", "huyen")], store)
    summary = await unit_summary(store, "tinh", TODAY, "en")
    assert summary["total"]["all"] == 2 and summary["total"]["done_late"] == 1 and summary["total"]["due_soon"] == 0
    assert summary["own"]["all"] == 0
    assert [(c["unit"], c["total"]) for c in summary["children"]] == [(await store.get("units", "huyen"), summary["total"])]
    assert summary["labels"]["done_late"]["text"] == "Done late"
    late = await unit_tasks(store, "tinh", TODAY, "vi", "done_late")
    assert [t["task_id"] for t in late["tasks"]] == ["t2"] and late["tasks"][0]["label"] == "Hoàn thành quá hạn"


async def test_a_checkpointed_projection_writes_its_views_and_no_per_event_marks():
    store = MemoryStore()
    batch = [unit("xa"), assignment("t1", "xa", date(2023, 3, 31)), status("t1", 2, "blocked", 10)]
    assert await project(batch, store, checkpointed=True) == 3
    assert (await store.get("tasks", "t1"))["progress"] == 10
    ids = [str(e.envelope.event_id) for e in batch]
    assert await store.unseen(CONSUMER, ids) == set(ids)  # the bus's checkpoints guard it, in its transaction
