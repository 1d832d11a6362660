"""Who an agency is to a task: its lead (chủ trì) or a coordinating agency (phối hợp)."""
from __future__ import annotations

from typing import Protocol

from schemas.rejections import Forbidden
from schemas.tasks import Role


class HasAgencies(Protocol):
    task_id: str
    lead: str
    support: tuple[str, ...]


def role_of(task: HasAgencies, agency_id: str) -> Role:
    if agency_id == task.lead:
        return Role.lead
    if agency_id in task.support:
        return Role.support
    raise Forbidden(f"agency {agency_id!r} neither leads nor supports task {task.task_id!r}")


def must_lead(task: HasAgencies, agency_id: str, what: str) -> None:
    if role_of(task, agency_id) != Role.lead:
        raise Forbidden(f"only the lead agency {task.lead!r} can {what}")
