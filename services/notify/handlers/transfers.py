"""A task transferred in a reorganisation takes its open escalation items along: their unit becomes the successor's.

The ladder already answers from the successor (routing follows a ceased unit to its successor); this makes the items
listed under the unit they sit in now (API filters, a standing body's scope). Applying a transfer twice changes nothing.
"""
from __future__ import annotations

from schemas.catalog import Event
from schemas.tasks import TaskTransferred
from services.notify.handlers.repository import ITEMS, ROUTE_ON, TASKS, with_reminders
from services.runtime.ports import Store


async def follow_transfers(batch: list[Event], store: Store) -> list[str]:
    """The ids of the items that moved."""
    moved: dict[str, dict] = {}
    tasks: dict[str, dict] = {}
    for event in batch:
        p = event.payload
        if not isinstance(p, TaskTransferred):
            continue
        # a task notify has not heard of yet (plans' topic and tasks' are read in no promised order) keeps its transfer
        # in a stub, as a completion or a new deadline does (intake._task_changes); its TaskAssigned keeps `transferred_to`
        task = tasks.get(p.task_id) or await store.get(TASKS, p.task_id) or with_reminders({"task_id": p.task_id})
        if task.get("unit_id") != p.to_unit:
            tasks[p.task_id] = {**task, "unit_id": p.to_unit, "transferred_to": p.to_unit}
        for view in await store.find(ITEMS, task_id=p.task_id, open=True):
            view = moved.get(view["item_id"], view)
            if view["unit_id"] == p.from_unit:
                moved[view["item_id"]] = {**view, "unit_id": p.to_unit, ROUTE_ON: event.envelope.occurred_at.date().isoformat()}
    if moved or tasks:
        async with store.transaction():
            await store.bulk_put(ITEMS, moved)
            await store.bulk_put(TASKS, tasks)
    return sorted(moved)
