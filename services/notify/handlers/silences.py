"""Silences: for a time window, items matching a unit, an agency or a plan are not sent; they wait, never dropped."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from schemas.rejections import Invalid
from services.notify.handlers.repository import SILENCES, routing_changed
from services.runtime.ports import Store


class Silence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    unit_id: str | None = Field(default=None, max_length=100)
    agency_id: str | None = Field(default=None, max_length=100)
    plan_id: str | None = Field(default=None, max_length=100)
    comment: str = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def window_and_matcher(self) -> "Silence":
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if not (self.unit_id or self.agency_id or self.plan_id):
            raise ValueError("a silence matches a unit, an agency or a plan (at least one)")
        return self


async def add_silence(store: Store, silence: Silence, by: str, now: datetime) -> dict:
    if silence.ends_at <= now:
        raise Invalid("the silence would already be over", field="ends_at")
    silence_id = uuid.uuid4().hex
    doc = {"silence_id": silence_id, **silence.model_dump(mode="json"), "starts_at": _utc(silence.starts_at),
           "ends_at": _utc(silence.ends_at), "created_by": by, "created_at": now.isoformat()}
    await store.put(SILENCES, silence_id, doc)
    await routing_changed(store)
    return doc



def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()
