"""Events of plans: a plan is issued and each of its tasks is assigned."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from schemas.envelope import Payload

AgencyRef = Annotated[str, Field(min_length=1, max_length=100)]
Reference = Annotated[str, Field(min_length=1, max_length=300)]


class Timing(Payload):
    """When a task is due: a date, a start, recurring every cycle, or waiting on a condition."""

    raw: str | None = Field(default=None, max_length=2000)
    due: date | None = None
    start: date | None = None
    recurring: bool = False
    condition: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def start_not_after_due(self) -> "Timing":
        if self.due and self.start and self.start > self.due:
            raise ValueError("start must not be after due")
        return self


class PlanIssued(Payload):
    plan_id: str = Field(min_length=1)
    unit_id: str = Field(min_length=1)
    number: str | None = None
    title: str = Field(min_length=1)
    issued_on: date | None = None
    references: list[str] = []
    task_ids: list[str] = []


class TaskAssigned(Payload):
    task_id: str = Field(min_length=1)
    plan_id: str = Field(min_length=1)
    unit_id: str = Field(min_length=1)
    code: str | None = None
    content: str = Field(min_length=1)
    group: int | None = Field(default=None, ge=1, le=5)
    lead: str = Field(min_length=1, description="agency_id of the lead agency")
    support: list[str] = Field(default=[], description="agency_ids of coordinating agencies")
    timing: Timing = Timing()


class PlannedTask(Payload):
    """One task of a plan to issue."""

    task_id: str | None = Field(default=None, max_length=150, pattern=r"^[A-Za-z0-9_.:-]+$")
    code: str | None = Field(default=None, max_length=50)
    content: str = Field(min_length=1, max_length=10_000)
    group: int | None = Field(default=None, ge=1, le=5)
    lead: str = Field(min_length=1, max_length=100)
    support: list[AgencyRef] = Field(default=[], max_length=50)
    timing: Timing = Timing()


class IssuePlan(Payload):
    """Command: issue a plan of a unit with its tasks."""

    plan_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    unit_id: str = Field(min_length=1, max_length=100)
    number: str | None = Field(default=None, max_length=100)
    title: str = Field(min_length=1, max_length=1000)
    issued_on: date | None = None
    references: list[Reference] = Field(default=[], max_length=50)
    tasks: list[PlannedTask] = Field(min_length=1, max_length=1000)
