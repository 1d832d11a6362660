"""The envelope every tiendo event travels in, on Kafka and in every event store."""
from __future__ import annotations

from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from schemas.bounds import Key, Line

MAX_STREAM_VERSION = 10**9
MAX_PAYLOAD_FIELDS = 100  # the largest payload model has under 20


class Envelope(BaseModel):
    """One stored or published event. `payload` is validated by the catalog's model for `event_type`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: UUID
    event_type: Key
    schema_version: int = Field(default=1, ge=1)
    stream_id: Annotated[Line, Field(min_length=1)] = Field(description="'task-<task_id>', 'report-<report_id>' …")
    stream_version: int = Field(ge=1, le=MAX_STREAM_VERSION)
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    correlation_id: Key = Field(description="a UUID, a command id or the caller's X-Correlation-ID (at most 100 characters)")
    causation_id: Key | None = None
    actor: Annotated[Line, Field(min_length=1)] = Field(description="role:subject[:person] or the service's own part")
    payload: dict[str, Any] = Field(max_length=MAX_PAYLOAD_FIELDS)


class Payload(BaseModel):
    """Base of every event payload: unknown fields are refused so drift is caught at the edge.

    `shared_parts`: fields whose value many payloads of one append often share as one object (an EscalationStarted's
    frozen policy): the runtime dumps such a value once per append, not once per payload (services/runtime/events.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    shared_parts: ClassVar[frozenset[str]] = frozenset()
