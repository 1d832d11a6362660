"""FastAPI dependencies of the tasks API: the runtime, the reporting agency (from its credential), the cause."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from schemas.rejections import Unauthorized
from services.runtime.credentials import AGENCY, InvalidCredential, verify_token
from services.runtime.events import Cause, new_correlation_id


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

# The credential each life-cycle endpoint takes today, named by the role it stands for (switch to the roles of the
# trust issue here): the lead agency's credential, and the standing body's (also standing for the chairman), whose
# unit the handlers check against the task's issuing unit.
Lead = Agency
StandingBody = Agency
