"""Who an agency is to a task: its lead (chủ trì) or a coordinating agency (phối hợp)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

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


@dataclass(frozen=True)
class Decider:
    """Who decides for a unit (standing body or chairman): its name as recorded, and the unit it speaks for
    (None: every unit, as an administrator)."""

    name: str
    unit_id: str | None


def must_decide_for(decider: Decider, task: Any, what: str) -> None:
    if decider.unit_id is not None and decider.unit_id != task.unit_id:
        raise Forbidden(f"only the standing body (or chairman) of unit {task.unit_id!r}, which issued the task, can {what}")
