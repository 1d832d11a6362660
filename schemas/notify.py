"""Events of notify: escalations raised to responsible heads and their delivery."""
from __future__ import annotations

from enum import Enum

from pydantic import Field

from schemas.envelope import Payload


class Responsibility(str, Enum):
    agency_head = "agency_head"
    unit_head = "unit_head"


class EscalationRaised(Payload):
    escalation_id: str
    task_id: str
    agency_id: str
    unit_id: str
    responsibility: Responsibility
    cause_event_id: str
    due: str


class NotificationDelivered(Payload):
    escalation_id: str
    channel: str = Field(description="email or webhook")
    contact_id: str = Field(description="id of the contact in notify's own store; no address in the log")
    subject: str
