"""The ladder climbs: a task still not done some days after its due date is escalated to the chairman of the agency's unit."""
from __future__ import annotations

from datetime import date

from services.notify.domain import escalation
from services.notify.handlers.repository import AGENCIES, COMPLETED, LADDERS, NOTIFICATIONS, load_ladder, pending_view
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause, new_correlation_id
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store


async def climb_ladders(store: Store, events: EventLog, clock: Clock, after_days: int) -> list[str]:
    """Raise the next step of every open ladder that is due for it; close ladders whose task was done."""
    today = local_today(clock.now())
    raised: list[str] = []
    for doc in await store.find(LADDERS, open=True):
        done = await store.get(COMPLETED, doc["task_id"]) is not None
        if not done and escalation.days_overdue(date.fromisoformat(doc["due"]), today) < after_days:
            continue  # not yet: nothing to load
        ladder = await load_ladder(events, doc["stream_id"])
        agency = await store.get(AGENCIES, ladder.first.agency_id)
        steps = escalation.climb(ladder, today, after_days, done, agency["unit_id"] if agency else None)
        cause = Cause("notify.ladder", new_correlation_id(), ladder.first.cause_event_id)
        try:
            async with store.transaction():
                appended = await events.append(ladder.stream_id, ladder.version, steps, cause)
                for step, envelope in zip(steps, appended):
                    await store.put(NOTIFICATIONS, step.escalation_id, pending_view(step, ladder.stream_id, envelope.recorded_at.isoformat()))
                    raised.append(step.escalation_id)
                await store.put(LADDERS, ladder.stream_id, {**doc, "open": False})  # top of the ladder, or task done
        except ConcurrencyError:
            continue  # another writer moved the ladder on; the next pass looks again
    return raised
