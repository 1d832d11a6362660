"""notify's collections, and loading a ladder: the escalation stream is the truth, the documents are views."""
from __future__ import annotations

from schemas.notify import EscalationRaised, Responsibility
from services.notify.domain.escalation import Ladder, rebuild
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

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


def pending_view(step: EscalationRaised, stream_id: str, raised_at: str) -> dict:
    return {
        "escalation_id": step.escalation_id, "stream_id": stream_id, "task_id": step.task_id, "agency_id": step.agency_id,
        "unit_id": step.unit_id, "responsibility": step.responsibility.value, "due": step.due, "raised_at": raised_at,
        "status": PENDING, "reason": None, "subject": None, "to": None, "contact_id": None, "delivered_at": None,
        "attempts": 0, "last_error": None,
    }


async def contact_for(store: Store, responsibility: Responsibility, agency_id: str, unit_id: str) -> dict | None:
    """The most recently registered contact of the head who answers for this step."""
    if responsibility == Responsibility.agency_head:
        found = await store.find(CONTACTS, agency_id=agency_id, role=responsibility.value)
    else:
        found = await store.find(CONTACTS, unit_id=unit_id, role=responsibility.value)
    return max(found, key=lambda c: c["registered_at"], default=None)
