"""Keep each task's timeline (`timelines`, one document per task) from the tasks and notify topics.

Idempotent by stream version (domain/timeline.py). The batch's timelines are read in one query (by the indexed
`task_id`) and each touched one is written once, in one transaction.
"""
from __future__ import annotations

from schemas.catalog import Event
from services.reporting.domain.timeline import TIMELINES, Doc, evolve_timeline, task_of
from services.runtime.ports import Store


async def record_timelines(batch: list[Event], store: Store) -> int:
    """Apply the batch's task and escalation events; returns how many timelines changed."""
    placed = [(task_id, e) for e in batch if (task_id := task_of(e)) is not None]
    if not placed:
        return 0
    async with store.transaction():
        docs: dict[str, Doc] = {d["task_id"]: d for d in await store.find(TIMELINES, task_id=sorted({t for t, _ in placed}))}
        changed: dict[str, Doc] = {}
        for task_id, event in placed:
            before = docs.get(task_id)
            after = evolve_timeline(before, task_id, event)
            if after is not before:
                docs[task_id] = changed[task_id] = after
        if changed:
            await store.bulk_put(TIMELINES, changed)
    return len(changed)
