"""The draft plan produced by the importer (pydantic v2), and its errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanInfo(_Model):
    number: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued_on: str | None = Field(None, description="YYYY-MM-DD, or YYYY-MM / YYYY when the day is blank")
    references: list[str] = Field(default_factory=list)


class Reporting(_Model):
    cycle: str = Field(description="daily | weekly | monthly | quarterly | semiannual | annual")
    due_day: int | None = Field(None, description="day of month; ISO weekday (1=Mon) for weekly")
    due: str | None = Field(None, description="the schedule as written")
    to: str | None = None


class Timing(_Model):
    raw: str | None = None
    due: str | None = Field(None, description="ISO date, Asia/Ho_Chi_Minh calendar")
    start: str | None = None
    recurring: bool = False
    condition: str | None = None


class DraftTask(_Model):
    code: str
    section: str | None = None
    content: str
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    lead_ids: list[str] = Field(default_factory=list)
    support_ids: list[str] = Field(default_factory=list)
    timing: Timing = Field(default_factory=Timing)


class Target(_Model):
    text: str
    value: int | float | None = None
    unit: str | None = None
    by: str | None = None


class DraftWarning(_Model):
    line: int | None = None
    message: str


class Draft(_Model):
    plan: PlanInfo = Field(default_factory=PlanInfo)
    reporting: list[Reporting] = Field(default_factory=list)
    tasks: list[DraftTask] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    warnings: list[DraftWarning] = Field(default_factory=list)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")


class PlanImportError(Exception):
    """Base class: the document could not be turned into a draft plan."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class UnreadableDocument(PlanImportError):
    """Bytes that cannot be read: corrupted, binary, unsupported format."""


class EmptyDocument(UnreadableDocument):
    """The file holds no text at all."""


class InputTooLarge(UnreadableDocument):
    """The file exceeds the importer's size cap."""


class NotAPlan(PlanImportError):
    """Readable text, but nothing that looks like a plan."""
