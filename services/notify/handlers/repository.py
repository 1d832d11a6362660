"""notify's collections, and loading a ladder: the escalation stream is the truth, the documents are views."""
from __future__ import annotations

from services.notify.domain.escalation import Ladder, rebuild
from services.runtime.eventlog import EventLog

CONTACTS = "contacts"  # personal data: only here, never in an event
UNITS, AGENCIES, PLANS = "units", "agencies", "plans"  # notify's copy of the directory, from plans' events
COMPLETED = "completed_tasks"
LADDERS = "ladders"  # one per DeadlineMissed: the task's facts and whether the ladder can still climb
NOTIFICATIONS = "notifications"  # one per escalation step: its delivery status
MESSAGES = "messages"  # what was delivered: to, subject, body, delivered_at
COUNTERS = "counters"

PENDING, DELIVERED, UNDELIVERABLE = "pending", "delivered", "undeliverable"
STATUSES = (PENDING, DELIVERED, UNDELIVERABLE)

INDEXES = {
    CONTACTS: ["agency_id", "unit_id", "role"],
    AGENCIES: ["unit_id"],
    LADDERS: ["open", "task_id"],
    NOTIFICATIONS: ["status", "agency_id", "task_id", "stream_id"],
}


async def load_ladder(events: EventLog, stream_id: str) -> Ladder:
    ladder = rebuild(await events.load(stream_id))
    if ladder is None:
        raise LookupError(f"no escalation stream {stream_id!r}")
    return ladder
