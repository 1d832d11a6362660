"""Events and commands of task execution: status reports, conditions, extensions, evidence, missed deadlines."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import Enum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas.bounds import EchoedId, EchoedLine, EchoedText, Id, Period
from schemas.envelope import Payload

DOCUMENT_NUMBER = r"^\d{1,6}(/\d{4})?/[A-ZĐ][A-ZĐa-zđ0-9]{0,11}(-[A-ZĐ0-9][A-ZĐa-zđ0-9]{0,11}){1,4}$"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # stored base64 in a document: under MongoDB's 16 MB
MAX_EVENTS_PER_COMMAND = 100  # one report makes a StatusReported and perhaps a TaskCompleted and a cleared wait
# The most reports one POST /status-reports carries (and the request body is at most the service's max_body_bytes, 1 MiB
# by default: ≈ 2 KiB an item). A batch is decided and committed in one transaction, and the service answers nothing else
# while it does: 500 items are ≈ 0.1 s of one core (bench/http_stack.py). Send more in several requests.
MAX_REPORTS_PER_REQUEST = 500


class TaskStatus(str, Enum):
    not_started = "not_started"
    in_progress = "in_progress"
    blocked = "blocked"
    done = "done"


class Role(str, Enum):
    """The part an agency plays in a task: lead (chủ trì) or coordinating (phối hợp)."""

    lead = "lead"
    support = "support"


class StatusReported(Payload):
    task_id: str = Field(max_length=200)
    agency_id: str = Field(max_length=200)
    status: TaskStatus
    progress: int = Field(ge=0, le=100)
    summary: str = Field(default="", max_length=4000)
    obstacles: str = Field(default="", max_length=4000)
    role: Role | None = Field(default=None, description="the reporter's part; absent on events before 2026-11 (derive from the task)")
    period: Period | None = Field(default=None, description="the reporting period a report on a recurring task counts for")


class Attachment(Payload):
    sha256: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")
    filename: str = Field(min_length=1, max_length=255)
    media_type: str = Field(min_length=3, max_length=100, description="detected from the content, not the name")
    size: int = Field(ge=1, le=MAX_ATTACHMENT_BYTES)


class Evidence(Payload):
    """The document that shows a task done: its number and symbol (số/ký hiệu), date and issuer."""

    document_number: str = Field(max_length=60, pattern=DOCUMENT_NUMBER, description='số/ký hiệu: "123/KH-UBND", "45/QĐ-CAH"')
    document_date: date
    issuer: str = Field(min_length=1, max_length=300)
    attachments: list[Attachment] = Field(default=[], max_length=10)

    @field_validator("document_number", mode="before")
    @classmethod
    def normalized(cls, value: object) -> object:
        if isinstance(value, str):
            value = re.sub(r"\s*([/-])\s*", r"\1", unicodedata.normalize("NFC", value).strip()).replace("–", "-")
        return value


class TaskCompleted(Payload):
    task_id: str = Field(max_length=200)
    agency_id: str = Field(max_length=200)
    completed_on: date
    due: date | None = None
    on_time: bool
    evidence: Evidence | None = Field(default=None, description="required for completions since 2026-11")
    original_due: date | None = Field(default=None, description="the first due date, before extensions: on time against it too?")


class MissKind(str, Enum):
    due = "due"        # the due date passed without completion
    period = "period"  # a reporting period of a recurring task passed without a report


class DeadlineMissed(Payload):
    task_id: str = Field(max_length=200)
    plan_id: str = Field(max_length=100)
    unit_id: str = Field(max_length=200)
    lead: str = Field(max_length=200)
    due: date = Field(description="the (effective) due date, or the last day of the period missed")
    code: str | None = Field(default=None, max_length=50)
    content: str = Field(max_length=10_000)
    kind: MissKind = MissKind.due
    period: Period | None = Field(default=None, description="for kind 'period': the reporting period missed, e.g. 2026-11")
    original_due: date | None = Field(default=None, description="for kind 'due': the first due date, when an extension moved it")
    waiting_on: list[Id] = Field(default=[], max_length=100, description="coordinating agencies the lead marked the task as waiting on")


class ConditionSource(str, Enum):
    declared = "declared"  # declared by an authorised person of the issuing unit
    plan = "plan"          # matched when the named document was issued as a plan


class ConditionMet(Payload):
    task_id: Id
    condition: str = Field(max_length=2000)
    met_on: date
    due: date = Field(description="the due date the condition's rule gives")
    source: ConditionSource
    declared_by: str | None = Field(default=None, max_length=200)
    plan_id: str | None = Field(default=None, max_length=100, description="the plan that met it, for source 'plan'")
    days_after: int = Field(ge=0, le=3650)
    document: str | None = Field(default=None, max_length=300, description='what met it, as declared: "Chỉ thị số 05/CT-UBND"')


class ExtensionRequested(Payload):
    request_id: Id
    task_id: Id
    agency_id: Id
    reason: str = Field(min_length=1, max_length=4000)
    proposed_due: date
    current_due: date | None = None


class ExtensionRejected(Payload):
    request_id: Id
    task_id: Id
    reason: str = Field(min_length=1, max_length=4000)
    decided_by: Id


class TaskDeadlineChanged(Payload):
    """The due date changes from now on; the original stays on record."""

    task_id: Id
    original_due: date | None = None
    previous_due: date | None = None
    new_due: date
    request_id: str | None = Field(default=None, max_length=200)
    reason: str = Field(default="", max_length=4000)
    decided_by: str | None = Field(default=None, max_length=200)


class TaskWaitingOnAgency(Payload):
    """The lead marks the task as waiting on a named coordinating agency."""

    task_id: Id
    agency_id: Id = Field(description="the coordinating agency waited on")
    reason: str = Field(min_length=1, max_length=4000)
    since: date


class TaskWaitingOnAgencyCleared(Payload):
    task_id: Id
    agency_id: Id
    since: date
    cleared_on: date


class TaskTransferred(Payload):
    """An open task moves to the successor unit of a reorganisation; its history stays with it."""

    task_id: Id
    from_unit: Id
    to_unit: Id
    effective_on: date
    reorganisation: str = Field(max_length=40, description="UnitsMerged, UnitSplit or UnitLevelAbolished")


class StatusReport(BaseModel):
    """What an agency reports on a task (HTTP body)."""

    model_config = ConfigDict(extra="forbid")

    status: TaskStatus
    progress: int = Field(ge=0, le=100)
    summary: str = Field(default="", max_length=4000)
    obstacles: str = Field(default="", max_length=4000)
    expected_version: int | None = Field(default=None, ge=0, description="the task version the reporter saw; 409 if it moved on")
    evidence: Evidence | None = Field(default=None, description="required with status 'done'")


class TaskStatusReport(StatusReport):
    """One item of a batch of reports (HTTP)."""

    task_id: str = Field(min_length=1, max_length=200)


class ReportStatusMessage(TaskStatusReport):
    """ReportStatus command on the command topic: carries the agency's credential, since there is no HTTP header."""

    command_id: UUID
    token: str = Field(min_length=1, max_length=4096, description="the agency's key (as in 'Authorization: Bearer <key>' over HTTP)")


class CommandRejection(BaseModel):
    status: int = Field(ge=400, le=599)
    title: EchoedLine
    detail: EchoedText
    field: EchoedLine | None = None


class CommandReply(BaseModel):
    """Answer on the reply topic, keyed by command_id."""

    model_config = ConfigDict(extra="forbid")

    command_id: EchoedId = Field(description="as the command gave it (cut to 200 characters when the command was not readable)")
    accepted: bool
    event_ids: list[EchoedId] = Field(default=[], max_length=MAX_EVENTS_PER_COMMAND)
    duplicate: bool = Field(default=False, description="the command was carried out before; nothing was done again")
    rejection: CommandRejection | None = None
