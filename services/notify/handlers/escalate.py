"""A missed deadline starts an escalation ladder; a completed task stops it from climbing."""
from __future__ import annotations

from schemas.catalog import Event
from schemas.notify import EscalationRaised
from schemas.tasks import DeadlineMissed, TaskCompleted
from services.notify.domain import escalation
from services.notify.handlers.repository import COMPLETED, COUNTERS, LADDERS, NOTIFICATIONS, pending_view
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store


async def escalate_missed_deadlines(batch: list[Event], store: Store, events: EventLog) -> list[str]:
    """EscalationRaised once per DeadlineMissed: a redelivered one meets a taken stream version and raises nothing."""
    raised: list[str] = []
    for event in batch:
        if not isinstance(event.payload, DeadlineMissed):
            continue
        missed: DeadlineMissed = event.payload
        event_id = str(event.envelope.event_id)
        stream_id = escalation.stream_of(event_id)
        cause = Cause("notify", event.envelope.correlation_id, event_id)
        steps = escalation.escalate_missed_deadline(missed, event_id)
        step = steps[0]
        try:
            async with store.transaction():
                appended = await events.append(stream_id, 0, steps, cause)
                await store.put(LADDERS, stream_id, {
                    "stream_id": stream_id, "task_id": missed.task_id, "plan_id": missed.plan_id, "unit_id": missed.unit_id,
                    "agency_id": missed.lead, "code": missed.code, "content": missed.content, "due": missed.due.isoformat(),
                    "open": True,
                })
                await store.put(NOTIFICATIONS, step.escalation_id, pending_view(step, stream_id, appended[0].recorded_at.isoformat()))
                await _count(store, "received")
            raised.append(step.escalation_id)
        except ConcurrencyError:
            await _count(store, "duplicates")
    return raised


async def note_completions(batch: list[Event], store: Store) -> int:
    done = {e.payload.task_id: {"task_id": e.payload.task_id, "completed_on": e.payload.completed_on.isoformat()}
            for e in batch if isinstance(e.payload, TaskCompleted)}
    if done:
        await store.bulk_put(COMPLETED, done)
    return len(done)


async def _count(store: Store, what: str) -> None:
    counters = await store.get(COUNTERS, "deadline_missed") or {"received": 0, "duplicates": 0}
    counters[what] += 1
    await store.put(COUNTERS, "deadline_missed", counters)
