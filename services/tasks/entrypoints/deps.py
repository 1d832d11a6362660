"""FastAPI dependencies of the tasks API: the runtime, the reporting agency (from its credential), the cause."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from schemas.rejections import Forbidden, Unauthorized
from services.runtime.credentials import AGENCY, InvalidCredential, verify_token
from services.runtime.events import Cause, new_correlation_id
from services.tasks.domain.roles import Decider
from services.tasks.handlers.standing import unit_of_standing_body


def agency(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send the agency credential as 'Authorization: Bearer <token>'", field="Authorization")
    try:
        return verify_token(request.app.state.runtime.settings.token_secret, token.strip(), AGENCY)
    except InvalidCredential as error:
        raise Unauthorized(str(error), field="Authorization") from error


def cause(agency_id: Annotated[str, Depends(agency)], x_correlation_id: Annotated[str | None, Header()] = None) -> Cause:
    return Cause(actor=f"agency:{agency_id}", correlation_id=x_correlation_id or new_correlation_id())


Agency = Annotated[str, Depends(agency)]
Caused = Annotated[Cause, Depends(cause)]


async def standing_body(agency_id: Agency, request: Request) -> Decider:
    """The standing body (standing also for the chairman) deciding for its unit. Today: the agency credential of an agency
    registered as a unit's standing body. With the roles of the trust issue: a standing body credential (unit = its
    subject) or an administrator's (unit None)."""
    unit_id = await unit_of_standing_body(request.app.state.runtime.store, agency_id)
    if unit_id is None:
        raise Forbidden(f"agency {agency_id!r} is not the standing body of a unit", field="Authorization")
    return Decider(name=agency_id, unit_id=unit_id)


# The credential each life-cycle endpoint takes, named by the role it stands for: switch them here.
Lead = Agency  # the lead agency's credential; the domain checks it leads the task
StandingBody = Annotated[Decider, Depends(standing_body)]  # the handlers check its unit issued the task
