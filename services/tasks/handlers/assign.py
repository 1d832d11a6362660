"""A task's stream begins when plans assigns it: the TaskAssigned from plans is copied into tasks' own log."""
from __future__ import annotations

from schemas.catalog import Event
from schemas.plans import TaskAssigned
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store
from services.tasks.domain.task import evolve
from services.tasks.handlers.repository import TASKS, stream_of


async def accept_assignments(batch: list[Event], store: Store, events: EventLog) -> int:
    """Start a stream per newly assigned task; a redelivered assignment changes nothing."""
    assigned = [e for e in batch if isinstance(e.payload, TaskAssigned)]
    known = {d["task_id"] for d in await store.find(TASKS, task_id=[e.payload.task_id for e in assigned])}
    started_count = 0
    async with store.transaction():
        for event in assigned:
            payload: TaskAssigned = event.payload
            if payload.task_id in known:
                continue
            cause = Cause("tasks", event.envelope.correlation_id, str(event.envelope.event_id))
            appended = await events.append(stream_of(payload.task_id), 0, [payload], cause)
            await store.put(TASKS, payload.task_id, evolve(None, appended[0], payload).to_doc())
            known.add(payload.task_id)
            started_count += 1
    return started_count
