"""Deliver every escalation step not yet delivered: resolve the head's contact, render, send, then record.

Never twice: the stream is checked for the step's NotificationDelivered before sending, and the
delivery is appended after. A mail server that is down leaves the step pending for the next pass;
a head with no contact leaves it undeliverable, with the reason, until one is registered.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schemas.notify import EscalationRaised, Responsibility
from services.notify.domain import escalation
from services.notify.domain.mail import Mail, Mailer, MailNotSent
from services.notify.domain.message import Message, OverdueTask, Recipient, render
from services.notify.handlers.repository import (
    AGENCIES, DELIVERED, LADDERS, MESSAGES, NOTIFICATIONS, PENDING, PLANS, UNDELIVERABLE, UNITS, contact_for, load_ladder,
)
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause, new_correlation_id
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store


@dataclass
class DeliveryPass:
    delivered: int = 0
    undeliverable: int = 0
    waiting: int = 0
    failed: int = 0


async def deliver_pending(store: Store, events: EventLog, mailer: Mailer, clock: Clock) -> DeliveryPass:
    outcome = DeliveryPass()
    for doc in await store.find(NOTIFICATIONS, status=[PENDING, UNDELIVERABLE]):
        result = await deliver_one(doc, store, events, mailer, clock)
        setattr(outcome, result, getattr(outcome, result) + 1)
        if result == "failed":
            break  # the mail server is not answering: the rest wait for the next pass
    return outcome


async def deliver_one(doc: dict, store: Store, events: EventLog, mailer: Mailer, clock: Clock) -> str:
    escalation_id = doc["escalation_id"]
    responsibility = Responsibility(doc["responsibility"])
    contact = await contact_for(store, responsibility, doc["agency_id"], doc["unit_id"])
    if contact is None:  # checked first: an undeliverable step costs one lookup per pass
        reason = _no_contact(responsibility, doc["agency_id"], doc["unit_id"])
        if (doc["status"], doc["reason"]) != (UNDELIVERABLE, reason):
            await store.put(NOTIFICATIONS, escalation_id, {**doc, "status": UNDELIVERABLE, "reason": reason})
        return "undeliverable"
    ladder = await load_ladder(events, doc["stream_id"])
    if escalation_id in ladder.delivered:
        await store.put(NOTIFICATIONS, escalation_id, {**doc, "status": DELIVERED, "reason": None})  # the view lagged
        return "delivered"
    step = ladder.step(escalation_id)
    now = clock.now()
    message = await _compose(store, doc, step, contact, local_today(now))
    if isinstance(message, str):
        if (doc["status"], doc["reason"]) != (PENDING, message):
            await store.put(NOTIFICATIONS, escalation_id, {**doc, "status": PENDING, "reason": message})
        return "waiting"
    mail = Mail(to=contact["email"], subject=message.subject, body=message.body, message_id=f"<{escalation_id}@tiendo>", sent_at=now)
    try:
        await mailer.send(mail)
    except MailNotSent as error:
        await store.put(NOTIFICATIONS, escalation_id, {**doc, "status": PENDING, "reason": "the mail server did not accept it; retrying",
                                                        "attempts": doc["attempts"] + 1, "last_error": str(error)[:500]})
        return "failed"
    await _record(store, events, ladder, doc, contact, mail, now.isoformat())
    return "delivered"


async def _record(store: Store, events: EventLog, ladder, doc: dict, contact: dict, mail: Mail, delivered_at: str) -> None:
    escalation_id = doc["escalation_id"]
    cause = Cause("notify.delivery", new_correlation_id(), ladder.first.cause_event_id)
    view = {**doc, "status": DELIVERED, "reason": None, "subject": mail.subject, "to": mail.to, "contact_id": contact["contact_id"],
            "delivered_at": delivered_at, "attempts": doc["attempts"] + 1, "last_error": None}
    for _ in range(3):
        try:
            async with store.transaction():
                await events.append(ladder.stream_id, ladder.version,
                                    escalation.record_delivery(ladder, escalation_id, contact["contact_id"], mail.subject), cause)
                await store.put(NOTIFICATIONS, escalation_id, view)
                await store.put(MESSAGES, escalation_id, {"escalation_id": escalation_id, "to": mail.to, "subject": mail.subject,
                                                          "body": mail.body, "message_id": mail.message_id, "delivered_at": delivered_at})
            return
        except ConcurrencyError:
            ladder = await load_ladder(events, ladder.stream_id)  # the ladder climbed meanwhile: record after it
    raise RuntimeError(f"could not record the delivery of {escalation_id!r}")


def _no_contact(responsibility: Responsibility, agency_id: str, unit_id: str) -> str:
    if responsibility == Responsibility.agency_head:
        return f"no contact registered for the head of agency {agency_id!r}"
    return f"no contact registered for the chairman of unit {unit_id!r}"


async def _compose(store: Store, doc: dict, step: EscalationRaised, contact: dict, today: date) -> Message | str:
    """The message, or why it cannot be written yet (notify's copy of the directory has not caught up)."""
    facts = await store.get(LADDERS, doc["stream_id"])
    agency = await store.get(AGENCIES, step.agency_id)
    if agency is None:
        return f"waiting for agency {step.agency_id!r} in notify's directory"
    unit = await store.get(UNITS, step.unit_id)
    plan = await store.get(PLANS, facts["plan_id"]) or {}
    if step.responsibility == Responsibility.unit_head:
        if unit is None:
            return f"waiting for unit {step.unit_id!r} in notify's directory"
        to = Recipient(title=unit["head_title"], name=contact["name"] or unit["head_name"], of=unit["name"])
    else:
        to = Recipient(title=agency["head_title"], name=contact["name"] or agency["head_name"], of=agency["name"])
    task = OverdueTask(
        task_id=step.task_id, code=facts["code"], content=facts["content"], due=date.fromisoformat(step.due),
        plan_id=facts["plan_id"], plan_number=plan.get("number"), plan_title=plan.get("title"),
        agency_name=agency["name"], unit_name=unit["name"] if unit else None,
    )
    return render(task, to, step.responsibility, today)
