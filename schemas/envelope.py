"""The envelope every tiendo event travels in, on Kafka and in every event store."""
from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Envelope(BaseModel):
    """One stored or published event. `payload` is validated by the catalog's model for `event_type`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: UUID
    event_type: str = Field(min_length=1)
    schema_version: int = Field(default=1, ge=1)
    stream_id: str = Field(min_length=1)
    stream_version: int = Field(ge=1)
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    correlation_id: str
    causation_id: str | None = None
    actor: str = Field(min_length=1)
    payload: dict[str, Any]


class Payload(BaseModel):
    """Base of every event payload: unknown fields are refused so drift is caught at the edge."""

    model_config = ConfigDict(extra="forbid", frozen=True)
