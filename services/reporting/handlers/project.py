"""Apply a batch of events to reporting's read model: units, agencies, plans and task views.

Idempotent twice over: events already in the processed-event ledger are skipped, and a task
view ignores any event at or below the version it has reached. The ledger check, the view
updates and the ledger marks share one transaction.

No rollup is stored: totals are computed at query time from unit and task documents (see
views.py), so a task whose unit is registered later counts as soon as the unit exists, and a
unit that moves or arrives late never leaves stale totals behind.
"""
from __future__ import annotations

from dataclasses import dataclass

from schemas.catalog import Event
from services.reporting.domain.projection import TASKS, Doc, directory_view, evolve_task, is_task_stream
from services.runtime.ports import Store

CONSUMER = "reporting.projection"


@dataclass
class ProjectionProgress:
    """What this process's projection consumer has seen: observable on GET /projection."""

    received: int = 0
    applied: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"received": self.received, "applied": self.applied, "skipped": self.skipped}


async def project(batch: list[Event], store: Store, progress: ProjectionProgress | None = None) -> int:
    """Apply the events not yet applied; returns how many were new."""
    ids = [str(e.envelope.event_id) for e in batch]
    async with store.transaction():
        unseen = await store.unseen(CONSUMER, ids)
        fresh = [e for e in batch if str(e.envelope.event_id) in unseen]
        await _apply_directory(fresh, store)
        await _apply_tasks(fresh, store)
        await store.mark(CONSUMER, unseen)
    if progress is not None:
        progress.received += len(batch)
        progress.applied += len(fresh)
        progress.skipped += len(batch) - len(fresh)
    return len(fresh)


async def _apply_directory(events: list[Event], store: Store) -> None:
    for event in events:
        view = directory_view(event)
        if view is not None:
            collection, doc_id, doc = view
            await store.put(collection, doc_id, doc)


async def _apply_tasks(events: list[Event], store: Store) -> None:
    """Fold each task's events over its view, in batch order (the tasks topic keeps per-task order)."""
    task_events = [e for e in events if is_task_stream(e)]
    if not task_events:
        return
    task_ids = sorted({e.payload.task_id for e in task_events})
    views: dict[str, Doc | None] = {d["task_id"]: d for d in await store.find(TASKS, task_id=task_ids)}
    changed: dict[str, Doc] = {}
    for event in task_events:
        task_id = event.payload.task_id
        before = views.get(task_id)
        after = evolve_task(before, event)
        if after is not None and after is not before:
            views[task_id] = changed[task_id] = after
    if changed:
        await store.bulk_put(TASKS, changed)
