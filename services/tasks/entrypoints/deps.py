"""FastAPI dependencies of the tasks API: the reporting agency (from its credential), task readers, the cause."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from schemas.rejections import Forbidden
from services.runtime.auth import Acting, Principal, Reporter, Role, allow
from services.runtime.events import Cause, new_correlation_id


def agency(principal: Reporter) -> str:
    return principal.subject


def cause(principal: Acting, x_correlation_id: Annotated[str | None, Header(max_length=100)] = None) -> Cause:
    return Cause(actor=principal.actor, correlation_id=x_correlation_id or new_correlation_id())


def check_task_reader(principal: Principal, doc: dict) -> None:
    """An agency reads the tasks its agency leads or supports; administrators read every task."""
    if principal.role is Role.agency and principal.subject != doc["lead"] and principal.subject not in doc.get("support", []):
        raise Forbidden(f"agency {principal.subject!r} neither leads nor supports task {doc['task_id']!r}", field="task_id")


Agency = Annotated[str, Depends(agency)]
Caused = Annotated[Cause, Depends(cause)]
TaskReader = allow("agency", "administrator")
