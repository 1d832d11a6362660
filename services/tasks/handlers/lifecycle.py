"""Extensions of deadlines, and the lead's waits on coordinating agencies."""
from __future__ import annotations

import uuid
from datetime import date

from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store
from services.tasks.domain import extensions, parts
from services.tasks.domain.roles import Decider, must_decide_for
from services.tasks.handlers.repository import decide_and_save, load


async def request_extension(task_id: str, agency_id: str, reason: str, proposed_due: date, request_id: str | None,
                            store: Store, events: EventLog, clock: Clock, cause: Cause) -> list:
    today, request_id = local_today(clock.now()), request_id or str(uuid.uuid4())
    return await decide_and_save(store, events, task_id, lambda t: extensions.request_extension(
        t, agency_id, request_id, reason, proposed_due, today), cause)


async def decide_extension(task_id: str, request_id: str, approve: bool, reason: str, decider: Decider,
                           store: Store, events: EventLog, clock: Clock, cause: Cause) -> list:
    must_decide_for(decider, await load(store, events, task_id), "decide on a request for more time")
    today = local_today(clock.now())
    return await decide_and_save(store, events, task_id, lambda t: extensions.decide_extension(
        t, request_id, approve, decider.name, reason, today), cause)


async def wait_on_agency(task_id: str, lead: str, agency_id: str, reason: str, store: Store, events: EventLog, clock: Clock,
                         cause: Cause) -> list:
    today = local_today(clock.now())
    return await decide_and_save(store, events, task_id, lambda t: parts.wait_on_agency(t, lead, agency_id, reason, today), cause)


async def stop_waiting(task_id: str, lead: str, agency_id: str, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list:
    today = local_today(clock.now())
    return await decide_and_save(store, events, task_id, lambda t: parts.stop_waiting_on_agency(t, lead, agency_id, today), cause)
