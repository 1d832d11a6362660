"""Escalation ladders: who answers for an overdue task, step by step. Decide functions return events.

One ladder per DeadlineMissed, in the stream `escalation-<DeadlineMissed event_id>`:
  1. EscalationRaised to the head of the lead agency (agency_head) as soon as the deadline is missed;
  2. EscalationRaised to the chairman of the agency's unit (unit_head) when the task is still not
     done `after_days` days after its due date;
and a NotificationDelivered after each step once its head was told. The ladder starts at version 0,
so a redelivered DeadlineMissed meets a taken version and raises nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable

from schemas.catalog import parse_event
from schemas.envelope import Envelope
from schemas.notify import EscalationRaised, NotificationDelivered, Responsibility
from schemas.tasks import DeadlineMissed

LADDER = (Responsibility.agency_head, Responsibility.unit_head)


def stream_of(deadline_missed_event_id: str) -> str:
    return f"escalation-{deadline_missed_event_id}"


def escalation_id_of(deadline_missed_event_id: str, responsibility: Responsibility) -> str:
    return f"{deadline_missed_event_id}.{responsibility.value}"


@dataclass(frozen=True)
class Ladder:
    stream_id: str
    version: int
    raised: tuple[EscalationRaised, ...]
    delivered: frozenset[str] = frozenset()

    @property
    def first(self) -> EscalationRaised:
        return self.raised[0]

    def step(self, escalation_id: str) -> EscalationRaised | None:
        return next((e for e in self.raised if e.escalation_id == escalation_id), None)

    def reached(self, responsibility: Responsibility) -> bool:
        return any(e.responsibility == responsibility for e in self.raised)


def evolve(ladder: Ladder | None, envelope: Envelope) -> Ladder:
    event = parse_event(envelope.model_dump(mode="json")).payload
    if ladder is None:
        assert isinstance(event, EscalationRaised), "a ladder starts with EscalationRaised"
        return Ladder(envelope.stream_id, envelope.stream_version, (event,))
    ladder = replace(ladder, version=envelope.stream_version)
    if isinstance(event, EscalationRaised):
        return replace(ladder, raised=(*ladder.raised, event))
    if isinstance(event, NotificationDelivered):
        return replace(ladder, delivered=ladder.delivered | {event.escalation_id})
    return ladder


def rebuild(history: Iterable[Envelope]) -> Ladder | None:
    ladder = None
    for envelope in history:
        ladder = evolve(ladder, envelope)
    return ladder


def escalate_missed_deadline(missed: DeadlineMissed, deadline_missed_event_id: str) -> list[EscalationRaised]:
    """The first step: the head of the lead agency answers for the missed deadline."""
    step = Responsibility.agency_head
    return [EscalationRaised(
        escalation_id=escalation_id_of(deadline_missed_event_id, step), task_id=missed.task_id, agency_id=missed.lead,
        unit_id=missed.unit_id, responsibility=step, cause_event_id=deadline_missed_event_id, due=missed.due.isoformat(),
    )]


def days_overdue(due: date, today: date) -> int:
    return (today - due).days


def climb(ladder: Ladder, today: date, after_days: int, task_done: bool, agency_unit_id: str | None) -> list[EscalationRaised]:
    """The chairman of the agency's unit answers when the task is still not done `after_days` days after its due date."""
    first = ladder.first
    step = Responsibility.unit_head
    if task_done or ladder.reached(step) or days_overdue(date.fromisoformat(first.due), today) < after_days:
        return []
    return [EscalationRaised(
        escalation_id=escalation_id_of(first.cause_event_id, step), task_id=first.task_id, agency_id=first.agency_id,
        unit_id=agency_unit_id or first.unit_id, responsibility=step, cause_event_id=first.cause_event_id, due=first.due,
    )]


def record_delivery(ladder: Ladder, escalation_id: str, contact_id: str, subject: str, channel: str = "email") -> list[NotificationDelivered]:
    """A step is delivered once: a second delivery of the same step records nothing."""
    if ladder.step(escalation_id) is None:
        raise ValueError(f"ladder {ladder.stream_id!r} has no step {escalation_id!r}")
    if escalation_id in ladder.delivered:
        return []
    return [NotificationDelivered(escalation_id=escalation_id, channel=channel, contact_id=contact_id, subject=subject)]
