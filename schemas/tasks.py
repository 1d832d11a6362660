"""Events and commands of task execution: status reports, completion, missed deadlines."""
from __future__ import annotations

from datetime import date
from enum import Enum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import Payload


class TaskStatus(str, Enum):
    not_started = "not_started"
    in_progress = "in_progress"
    blocked = "blocked"
    done = "done"


class StatusReported(Payload):
    task_id: str
    agency_id: str
    status: TaskStatus
    progress: int = Field(ge=0, le=100)
    summary: str = ""
    obstacles: str = ""


class TaskCompleted(Payload):
    task_id: str
    agency_id: str
    completed_on: date
    due: date | None = None
    on_time: bool


class DeadlineMissed(Payload):
    task_id: str
    plan_id: str
    unit_id: str
    lead: str
    due: date
    code: str | None = None
    content: str


class StatusReport(BaseModel):
    """What an agency reports on a task (HTTP body)."""

    model_config = ConfigDict(extra="forbid")

    status: TaskStatus
    progress: int = Field(ge=0, le=100)
    summary: str = Field(default="", max_length=4000)
    obstacles: str = Field(default="", max_length=4000)
    expected_version: int | None = Field(default=None, ge=0, description="the task version the reporter saw; 409 if it moved on")


class TaskStatusReport(StatusReport):
    """One item of a batch of reports (HTTP)."""

    task_id: str = Field(min_length=1, max_length=200)


class ReportStatusMessage(TaskStatusReport):
    """ReportStatus command on the command topic: carries the agency's credential, since there is no HTTP header."""

    command_id: UUID
    token: str = Field(min_length=1, max_length=4096, description="the agency's key (as in 'Authorization: Bearer <key>' over HTTP)")


class CommandRejection(BaseModel):
    status: int
    title: str
    detail: str
    field: str | None = None


class CommandReply(BaseModel):
    """Answer on the reply topic, keyed by command_id."""

    model_config = ConfigDict(extra="forbid")

    command_id: str
    accepted: bool
    event_ids: list[str] = []
    duplicate: bool = Field(default=False, description="the command was carried out before; nothing was done again")
    rejection: CommandRejection | None = None
