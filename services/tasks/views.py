"""Read queries of tasks: a task as its parts and standing, and a province item's tasks below it, unit by unit."""
from __future__ import annotations

from datetime import date

from schemas.deadlines import standing
from services.runtime.ports import Store
from services.tasks.domain.task import Task
from services.tasks.handlers.repository import TASKS

MAX_DEPTH = 4  # province → district → commune → village


def with_standing(doc: dict, today: date) -> dict:
    task = Task.from_doc(doc)
    blocked = task.status == "blocked" or bool(task.waiting_on)
    return {**doc, "standing": standing(task.due, task.completed_on, today, recurring=task.recurring,
                                        waiting_condition=task.waiting_condition, blocked=blocked).value}


async def below(store: Store, task_id: str, today: date) -> dict:
    """Which units below have done their part of this task and which are late: every task carrying it out, at every level."""
    found, frontier = [], [task_id]
    for depth in range(1, MAX_DEPTH + 1):
        if not frontier:
            break
        children = await store.find(TASKS, parent_task_id=frontier)
        found += [{**with_standing(d, today), "depth": depth} for d in children]
        frontier = [d["task_id"] for d in children]
    rows = [{k: d[k] for k in ("task_id", "plan_id", "unit_id", "lead", "status", "progress", "due", "completed_on", "standing", "depth")}
            for d in found]
    done = sorted({r["unit_id"] for r in rows if r["standing"] in ("done_on_time", "done_late")})
    late = sorted({r["unit_id"] for r in rows if r["standing"] == "overdue"})
    others = sorted({r["unit_id"] for r in rows} - set(done) - set(late))
    return {"task_id": task_id, "tasks": rows, "done_units": done, "late_units": late, "other_units": others}
