"""Events of notify: escalation items with their frozen policy, the rungs they reach, acknowledgements, resolution and delivery.

No field of any of these events carries an address or a phone number: contacts live in notify's own store.
"""
from __future__ import annotations

from datetime import date
from enum import Enum
from typing import ClassVar

from pydantic import Field

from schemas.bounds import MAX_ITEMS, Id, ItemKey, Key, Line, Period, Remark, Word
from schemas.envelope import Payload

MAX_TARGETS = 6  # who one rung reaches (and copies)
MAX_RUNGS = 8


class Responsibility(str, Enum):
    """Whose contact a record is: the head of an agency, or the chairman of a unit's People's Committee."""

    agency_head = "agency_head"
    unit_head = "unit_head"


class Role(str, Enum):
    """A target of a rung, resolved from the directory when the message is sent (never a name typed into a policy)."""

    lead_agency_head = "lead_agency_head"  # the head of the task's lead agency
    standing_body = "standing_body"  # the head of the standing body (police) of the unit `up` levels above the task's unit
    chairman = "chairman"  # the chairman of the People's Committee of the unit `up` levels above


class Target(Payload):
    role: Role
    up: int = Field(default=0, ge=0, le=4, description="levels above the lead agency's unit (0: that unit, 1: its parent …)")


class Rung(Payload):
    after_days: int = Field(ge=0, le=3650, description="days overdue (paused days not counted) at which this rung is reached")
    to: list[Target] = Field(min_length=1, max_length=MAX_TARGETS)
    cc: list[Target] = Field(default=[], max_length=MAX_TARGETS)


class EscalationPolicy(Payload):
    """An escalation ladder as data; the one in force when an item starts escalating is frozen into that item."""

    policy_id: str = Field(min_length=1, max_length=150)
    version: int = Field(default=1, ge=1)
    rungs: list[Rung] = Field(min_length=1, max_length=MAX_RUNGS)
    repeat_every_days: int = Field(default=7, ge=1, le=90, description="overdue recurrence on the rung reached")
    reminder_days: list[int] = Field(default=[7, 3, 1, 0], max_length=10, description="reminders this many days before due")
    defer_on_weekends: bool = True


class EscalationStarted(Payload):
    """An item starts escalating: an overdue task, or one missed reporting period of a recurring task."""

    shared_parts: ClassVar[frozenset[str]] = frozenset({"policy"})  # the items of a quarter end share a few policies
    item_id: ItemKey = Field(description="<task_id>@<due date or period>")
    task_id: Id
    plan_id: Key
    unit_id: Id
    agency_id: Id
    due: date
    original_due: date | None = None
    period: Period | None = Field(default=None, description="the missed reporting period of a recurring task")
    cause_event_id: Key
    policy: EscalationPolicy


class EscalationRaised(Payload):
    """An item reached a rung of its frozen policy."""

    escalation_id: ItemKey = Field(description="<item_id>#<rung>")
    item_id: ItemKey
    task_id: Id
    agency_id: Id
    unit_id: Id
    rung: int = Field(ge=1, le=MAX_RUNGS)
    to: list[Target] = Field(max_length=MAX_TARGETS)
    cc: list[Target] = Field(default=[], max_length=MAX_TARGETS)
    rule: Line = Field(description="why: the policy, its version and the rung's threshold")
    cause_event_id: Key
    due: date


class EscalationAcknowledged(Payload):
    item_id: ItemKey
    by: Line = Field(description="contact id or actor; never an address")
    note: Remark
    expected_on: date
    via: Word = Field(description="http or link")


class EscalationResolved(Payload):
    item_id: ItemKey
    reason: Word = Field(description="completed, period_reported")
    resolved_on: date


class NotificationDelivered(Payload):
    """One message (a digest) reached a recipient on a channel."""

    escalation_id: ItemKey = Field(description="the digest id")
    channel: Word = Field(description="email, webhook or inbox")
    contact_id: Id = Field(description="id of the contact in notify's own store; no address in the log")
    subject: Line
    items: list[ItemKey] = Field(default=[], max_length=MAX_ITEMS)
    attempt: int = Field(default=1, ge=1)
