"""Shared responsibility: the lead marks the task as waiting on a named coordinating agency, and clears it."""
from __future__ import annotations

from datetime import date
from typing import Any

from schemas.rejections import Conflict, Invalid
from schemas.tasks import TaskWaitingOnAgency, TaskWaitingOnAgencyCleared
from services.tasks.domain.roles import must_lead


def wait_on_agency(task: Any, lead: str, agency_id: str, reason: str, today: date) -> list[TaskWaitingOnAgency]:
    must_lead(task, lead, "mark the task as waiting on a coordinating agency")
    if task.completed:
        raise Conflict(f"task {task.task_id!r} was completed on {task.completed_on.isoformat()}", field="task_id")
    if agency_id not in task.support:
        raise Invalid(f"agency {agency_id!r} does not coordinate task {task.task_id!r}", field="agency_id")
    if any(w["agency_id"] == agency_id for w in task.waiting_on):
        raise Conflict(f"the task already waits on {agency_id!r}", field="agency_id")
    return [TaskWaitingOnAgency(task_id=task.task_id, agency_id=agency_id, reason=reason, since=today)]


def stop_waiting_on_agency(task: Any, lead: str, agency_id: str, today: date) -> list[TaskWaitingOnAgencyCleared]:
    must_lead(task, lead, "clear a wait on a coordinating agency")
    waiting = next((w for w in task.waiting_on if w["agency_id"] == agency_id), None)
    if waiting is None:
        raise Conflict(f"the task does not wait on {agency_id!r}", field="agency_id")
    return [TaskWaitingOnAgencyCleared(task_id=task.task_id, agency_id=agency_id, since=date.fromisoformat(waiting["since"]),
                                       cleared_on=today)]

