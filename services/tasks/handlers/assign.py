"""A task's stream begins when plans assigns it: the TaskAssigned from plans is copied into tasks' own log."""
from __future__ import annotations

import logging

from schemas.catalog import Event
from schemas.plans import TaskAssigned
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store
from services.tasks.domain.task import evolve
from services.tasks.handlers.repository import TASKS, snapshot, stream_of

log = logging.getLogger("tiendo.tasks.assignments")


async def accept_assignments(batch: list[Event], store: Store, events: EventLog) -> int:
    """Start a stream per newly assigned task; a redelivered assignment changes nothing."""
    assigned = [e for e in batch if isinstance(e.payload, TaskAssigned)]
    known = {d["task_id"]: d.get("plan_id") for d in await store.find(TASKS, task_id=[e.payload.task_id for e in assigned])}
    new: dict[str, TaskAssigned] = {}
    appends = []
    for event in assigned:
        payload: TaskAssigned = event.payload
        if payload.task_id in known or payload.task_id in new:
            owner = known[payload.task_id] if payload.task_id in known else new[payload.task_id].plan_id
            if owner not in (None, payload.plan_id):  # a task id belongs to one plan forever
                log.error("refusing TaskAssigned %s of plan %s: the task belongs to plan %s (event %s)",
                          payload.task_id, payload.plan_id, owner, event.envelope.event_id)
            continue
        new[payload.task_id] = payload
        appends.append((stream_of(payload.task_id), 0, [payload], Cause("tasks", event.envelope.correlation_id, str(event.envelope.event_id))))
    async with store.transaction():  # one append and one write for the batch
        appended = await events.append_many(appends)
        await store.bulk_put(TASKS, {p.task_id: snapshot(evolve(None, envelopes[0], p)) for p, envelopes in zip(new.values(), appended)})
    return len(new)
