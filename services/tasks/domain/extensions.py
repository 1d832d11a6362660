"""Deadline changes: the lead asks for more time; the issuing unit's standing body (or chairman) decides.

Approval changes the due date from then on; the original stays on record (TaskDeadlineChanged carries both)."""
from __future__ import annotations

from datetime import date
from typing import Any

from schemas.rejections import Conflict, Invalid, NotFound
from schemas.tasks import ExtensionRejected, ExtensionRequested, TaskDeadlineChanged
from services.tasks.domain.roles import must_lead


def request_extension(task: Any, agency_id: str, request_id: str, reason: str, proposed_due: date, today: date) -> list[ExtensionRequested]:
    must_lead(task, agency_id, "ask for more time")
    _open(task)
    if task.due is None:
        raise Invalid(f"task {task.task_id!r} has no due date to extend", field="proposed_due")
    if proposed_due < today:
        raise Invalid(f"the proposed date {proposed_due.isoformat()} is before today", field="proposed_due")
    if task.original_due and proposed_due <= task.original_due:
        raise Invalid(f"the proposed date must be after the original due date {task.original_due.isoformat()}", field="proposed_due")
    if proposed_due <= task.due:
        raise Invalid(f"the proposed date must be after the current due date {task.due.isoformat()}", field="proposed_due")
    if any(x["state"] == "pending" for x in task.extensions):
        raise Conflict("a request for more time is already waiting for a decision", field="request_id")
    if any(x["request_id"] == request_id for x in task.extensions):
        raise Conflict(f"request {request_id!r} was made before", field="request_id")
    return [ExtensionRequested(request_id=request_id, task_id=task.task_id, agency_id=agency_id, reason=reason,
                               proposed_due=proposed_due, current_due=task.due)]


def decide_extension(task: Any, request_id: str, approve: bool, decided_by: str, reason: str, today: date
                     ) -> list[TaskDeadlineChanged | ExtensionRejected]:
    request = next((x for x in task.extensions if x["request_id"] == request_id), None)
    if request is None:
        raise NotFound(f"task {task.task_id!r} has no request {request_id!r}", field="request_id")
    if request["state"] != "pending":
        raise Conflict(f"request {request_id!r} was already {request['state']}", field="request_id")
    _open(task)
    if not approve:
        if not reason.strip():
            raise Invalid("a rejection needs its reason", field="reason")
        return [ExtensionRejected(request_id=request_id, task_id=task.task_id, reason=reason, decided_by=decided_by)]
    new_due = date.fromisoformat(request["proposed_due"])
    if new_due < today:
        raise Invalid(f"the proposed date {new_due.isoformat()} has passed; ask for a new one", field="request_id")
    return [TaskDeadlineChanged(task_id=task.task_id, original_due=task.original_due or task.due, previous_due=task.due,
                                new_due=new_due, request_id=request_id, reason=reason or request["reason"], decided_by=decided_by)]


def _open(task: Any) -> None:
    if task.completed:
        raise Conflict(f"task {task.task_id!r} was completed on {task.completed_on.isoformat()}", field="task_id")
