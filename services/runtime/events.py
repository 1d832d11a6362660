"""Wraps payloads that a decision returned into envelopes: the one place ids and record times are made.

It is also where an event's size is checked: an event larger than MAX_EVENT_BYTES is refused
here, with a clear answer to the caller, instead of being stored and then stalling the outbox
relay (the broker refuses messages over about 1 MiB).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from schemas.envelope import Envelope, Payload
from schemas.rejections import Rejected

MAX_EVENT_BYTES = 256 * 1024


class EventTooLarge(Rejected):
    status, title = 413, "event too large"


@dataclass(frozen=True)
class Cause:
    """Who or what caused new events: the actor, and the correlation/causation chain."""

    actor: str
    correlation_id: str
    causation_id: str | None = None


def envelop(stream_id: str, version: int, payloads: Sequence[Payload], cause: Cause, now: datetime) -> list[Envelope]:
    envelopes = [
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
    for envelope in envelopes:
        check_size(envelope)
    return envelopes


def check_size(envelope: Envelope) -> None:
    size = len(envelope.model_dump_json().encode())
    if size > MAX_EVENT_BYTES:
        raise EventTooLarge(
            f"this would make a {envelope.event_type} event of {size:,} bytes; the limit is {MAX_EVENT_BYTES:,} bytes: "
            "send less text or fewer items at once"
        )


def new_correlation_id() -> str:
    return str(uuid.uuid4())
