"""FastAPI dependencies of the notify API, including who may do what — small on purpose, so the coming roles
(agency reporter, unit viewer, standing body, administrator) replace them in one place.

- contacts, policies, silences, audit, alerts: an administrator, the plans service, or a standing body's agency;
- an inbox and HTTP acknowledgement: the recipient (an agency's credential is its head's, a unit viewer's is its chairman's);
- the acknowledgement link: its own signature (handled by the link, no credential).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from schemas.rejections import Forbidden, Unauthorized
from services.notify.entrypoints.loop import EscalationLoop
from services.notify.handlers.repository import AGENCIES
from services.runtime.credentials import AGENCY, VIEWER, InvalidCredential, verify_token
from services.runtime.http import Runtime

ADMIN, SERVICE = "admin", "service"


def escalation_loop(request: Request) -> EscalationLoop:
    return request.app.state.escalation_loop


Loop = Annotated[EscalationLoop, Depends(escalation_loop)]


def _credentials(request: Request, secret: str) -> dict[str, str]:
    """kind -> subject for the bearer token (one token is of one kind)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return {}
    for kind in (ADMIN, SERVICE, AGENCY, VIEWER):
        try:
            return {kind: verify_token(secret, token.strip(), kind)}
        except InvalidCredential:
            continue
    raise Unauthorized("the credential is not valid")


async def administrator(request: Request, rt: Runtime) -> str:
    if not rt.settings.require_credentials:
        return "anonymous"
    found = _credentials(request, rt.settings.token_secret)
    if ADMIN in found or SERVICE in found:
        return f"{next(iter(found))}:{next(iter(found.values()))}"
    if AGENCY in found:
        agency = await rt.store.get(AGENCIES, found[AGENCY])
        if agency and agency.get("standing_body"):
            return f"standing-body:{found[AGENCY]}"
    if not found:
        raise Unauthorized("this needs an administrator's or a standing body's credential (Authorization: Bearer …)")
    raise Forbidden("only an administrator or a standing body may do this")


async def contact_of_caller(request: Request, rt: Runtime) -> str | None:
    """The contact id the caller speaks for (None: an administrator, or credentials not required)."""
    if not rt.settings.require_credentials:
        return None
    found = _credentials(request, rt.settings.token_secret)
    if ADMIN in found:
        return None
    if AGENCY in found:
        return f"{found[AGENCY]}.agency_head"
    if VIEWER in found:
        return f"{found[VIEWER]}.unit_head"
    raise Unauthorized("this needs the recipient's credential (Authorization: Bearer …)")


Administrator = Annotated[str, Depends(administrator)]
CallerContact = Annotated[str | None, Depends(contact_of_caller)]


def require_recipient(caller: str | None, contact_id: str) -> None:
    if caller is not None and caller != contact_id:
        raise Forbidden(f"this inbox belongs to {contact_id!r}, not to the caller", field="contact_id")
