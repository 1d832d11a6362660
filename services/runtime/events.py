"""Wraps payloads that a decision returned into envelopes: the one place ids and record times are made."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from schemas.envelope import Envelope, Payload


@dataclass(frozen=True)
class Cause:
    """Who or what caused new events: the actor, and the correlation/causation chain."""

    actor: str
    correlation_id: str
    causation_id: str | None = None


def envelop(stream_id: str, version: int, payloads: Sequence[Payload], cause: Cause, now: datetime) -> list[Envelope]:
    return [
        Envelope(
            event_id=uuid.uuid4(),
            event_type=type(p).__name__,
            stream_id=stream_id,
            stream_version=version + i + 1,
            occurred_at=now,
            recorded_at=now,
            correlation_id=cause.correlation_id,
            causation_id=cause.causation_id,
            actor=cause.actor,
            payload=p.model_dump(mode="json"),
        )
        for i, p in enumerate(payloads)
    ]


def new_correlation_id() -> str:
    return str(uuid.uuid4())
