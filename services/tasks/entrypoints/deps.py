"""FastAPI dependencies of the tasks API: the reporting agency (from its credential), task readers, the cause."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from fastapi.exceptions import RequestValidationError

from schemas.rejections import Forbidden
from services.runtime.auth import Acting, Principal, Reporter, Role, allow
from services.runtime.events import Cause, new_correlation_id
from services.tasks.domain.roles import Decider
from services.tasks.handlers.standing import unit_of_standing_body


async def agency(principal: Reporter) -> str:  # async: FastAPI runs a sync dependency in its thread pool
    return principal.subject


CORRELATION_ID_CHARS = 100


async def cause(principal: Acting, x_correlation_id: Annotated[str | None, Header(max_length=CORRELATION_ID_CHARS)] = None) -> Cause:
    return cause_of(principal, x_correlation_id)


def cause_of(principal: Principal, x_correlation_id: str | None) -> Cause:
    return Cause(actor=principal.actor, correlation_id=x_correlation_id or new_correlation_id())


def correlation_id(value: str | None) -> str | None:
    """The X-Correlation-Id header checked as `cause` declares it (for a route resolving its own arguments)."""
    if value is not None and len(value) > CORRELATION_ID_CHARS:
        raise RequestValidationError([{"type": "string_too_long", "loc": ("header", "x-correlation-id"), "input": value,
                                       "msg": f"String should have at most {CORRELATION_ID_CHARS} characters",
                                       "ctx": {"max_length": CORRELATION_ID_CHARS}}])
    return value


def check_task_reader(principal: Principal, doc: dict) -> None:
    """An agency reads the tasks its agency leads or supports; administrators read every task."""
    if principal.role is Role.agency and principal.subject != doc["lead"] and principal.subject not in doc.get("support", []):
        raise Forbidden(f"agency {principal.subject!r} neither leads nor supports task {doc['task_id']!r}", field="task_id")


Agency = Annotated[str, Depends(agency)]
Caused = Annotated[Cause, Depends(cause)]
TaskReader = allow("agency", "administrator")
Deciding = allow("standing_body", "agency", "administrator")


async def standing_body(principal: Deciding, request: Request) -> Decider:
    """Who decides for a unit (the standing body, standing also for the chairman): a standing body credential (its unit
    is its subject), the agency credential of an agency registered as a unit's standing body, or an administrator's
    (unit None: any unit). The handlers check the unit issued the task."""
    if principal.role is Role.administrator:
        return Decider(name=principal.actor, unit_id=None)
    if principal.role is Role.standing_body:
        return Decider(name=principal.actor, unit_id=principal.subject)
    unit_id = await unit_of_standing_body(request.app.state.runtime.store, principal.subject)
    if unit_id is None:
        raise Forbidden(f"agency {principal.subject!r} is not the standing body of a unit", field="Authorization")
    return Decider(name=principal.subject, unit_id=unit_id)


# The credential each life-cycle endpoint takes, named by the role it stands for: switch them here.
Lead = Agency  # the lead agency's credential; the domain checks it leads the task
StandingBody = Annotated[Decider, Depends(standing_body)]  # the handlers check its unit issued the task
