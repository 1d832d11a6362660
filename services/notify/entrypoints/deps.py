"""FastAPI dependencies of the notify API: the escalation loop and who may do what, on the roles of services.runtime.auth.

- contacts, policies, silences, audit, alerts: an administrator, or a unit's standing body (scope.py narrows personal
  data to its unit and below);
- an inbox and HTTP acknowledgement: the recipient (an agency's credential speaks for its head, a unit's viewer or
  standing body credential for its chairman) or an administrator;
- the acknowledgement link: its own signature (handled by the link, no credential).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from schemas.rejections import Forbidden
from services.notify.entrypoints.loop import EscalationLoop
from services.runtime.auth import Principal, Role, allow


def escalation_loop(request: Request) -> EscalationLoop:
    return request.app.state.escalation_loop


Loop = Annotated[EscalationLoop, Depends(escalation_loop)]
Manager = allow("administrator", "standing_body")
Recipient = allow("administrator", "agency", "viewer", "standing_body")


def administrator(principal: Manager) -> str:
    """The actor recorded for a change made by an administrator or a standing body."""
    return principal.actor


def contact_of_caller(principal: Recipient) -> str | None:
    """The contact id the caller speaks for (None: an administrator, who may act for anyone)."""
    if principal.role is Role.administrator:
        return None
    if principal.role is Role.agency:
        return f"{principal.subject}.agency_head"
    return f"{principal.subject}.unit_head"


Administrator = Annotated[str, Depends(administrator)]
CallerContact = Annotated[str | None, Depends(contact_of_caller)]


def require_recipient(caller: str | None, contact_id: str) -> None:
    if caller is not None and caller != contact_id:
        raise Forbidden(f"this inbox belongs to {contact_id!r}, not to the caller", field="contact_id")


__all__ = ["Loop", "Administrator", "CallerContact", "Principal", "require_recipient"]
