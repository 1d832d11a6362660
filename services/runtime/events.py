"""Wraps payloads that a decision returned into envelopes: the one place ids and record times are made; and reads
events off the bus (`decode`), every record checked in full.

It is also where an event's size is checked: an event larger than MAX_EVENT_BYTES is refused
here, with a clear answer to the caller, instead of being stored and then stalling the outbox
relay (the broker refuses messages over about 1 MiB). The size is that of the very JSON the
store keeps (`seal`): each envelope is serialised once, and the stores take that text as it is.
"""
from __future__ import annotations

import functools
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator, Sequence, TypeVar, get_args

import annotated_types
from pydantic import BaseModel, ValidationError, create_model
from pydantic_core import to_json, to_jsonable_python

from schemas.catalog import PAYLOADS, Event, checked_event, parse_event
from schemas.envelope import MAX_STREAM_VERSION, Envelope, Payload
from schemas.rejections import Rejected

MAX_EVENT_BYTES = 256 * 1024
M = TypeVar("M", bound=BaseModel)


class EventTooLarge(Rejected):
    status, title = 413, "event too large"


@dataclass(frozen=True)
class Cause:
    """Who or what caused new events: the actor, and the correlation/causation chain."""

    actor: str
    correlation_id: str
    causation_id: str | None = None


def envelop(stream_id: str, version: int, payloads: Sequence[Payload], cause: Cause, now: datetime) -> list[Envelope]:
    return seal(stream_id, version, payloads, cause, now)[0]


def seal(stream_id: str, version: int, payloads: Sequence[Payload], cause: Cause, now: datetime) -> tuple[list[Envelope], list[bytes]]:
    """The envelopes and the JSON bytes each is stored as (what the outbox publishes), serialised once and checked for size."""
    return seal_many([(stream_id, version, payloads, cause)], now)[0]


def seal_many(appends: Sequence[tuple[str, int, Sequence[Payload], Cause]], now: datetime) -> list[tuple[list[Envelope], list[bytes]]]:
    """`seal` of several streams at once (an append_many): per append, its envelopes and their JSON.

    Every envelope holds what Envelope's validation would give: the first of the call is validated in full; the others
    share its times and differ in what is made here (id, type, version, the payload model's own dump) and in the values
    that came from outside (stream id, actor, correlation and causation ids), which are checked against the envelope's
    bounds here (`_within_bounds`) before the first is copied with them; a value that is not plain text within its
    bounds, or a version out of range, gets the full validation instead (and its error). A batch of 60 status reports,
    60 streams with 60 causes, validated 60 envelopes (≈ 14 µs each) before."""
    first: Envelope | None = None
    sealed = []
    ids = uuid4s(sum(len(payloads) for _, _, payloads, _ in appends))
    shared: dict[int, Any] = {}  # id of a shared part's value -> its dump (the values live as long as this call's payloads)
    for stream_id, version, payloads, cause in appends:
        envelopes, bodies = [], []
        outside = dict(stream_id=stream_id, correlation_id=cause.correlation_id, causation_id=cause.causation_id, actor=cause.actor)
        plain = _within_bounds(outside)
        for i, p in enumerate(payloads):
            made = dict(event_id=next(ids), event_type=type(p).__name__, stream_version=version + i + 1, payload=_dumped(p, shared))
            if first is None or not plain or not 1 <= made["stream_version"] <= MAX_STREAM_VERSION:
                envelope = Envelope(**made, **outside, occurred_at=now, recorded_at=now)
                first = first or envelope
            else:
                envelope = copied(first, {**made, **outside})
            encoded = to_json(envelope.__dict__)  # the bytes model_dump_json gives (its fields in order; no serializer of its own), in half the time
            _check_size(envelope, len(encoded))
            envelopes.append(envelope)
            bodies.append(encoded)
        sealed.append((envelopes, bodies))
    return sealed


def _dumped(p: Payload, shared: dict[int, Any]) -> dict[str, Any]:
    """`p.model_dump(mode="json")`, each of its shared parts (Payload.shared_parts) dumped once per `shared`: a quarter
    end's EscalationStarted dumps in 3.5 µs without its policy, 14.4 µs with it (bench/history/national-scale.md)."""
    parts = p.shared_parts
    if not parts:  # model_dump's own result, without its Python frame (≈ 1.6 of a status report's 3.8 µs)
        return p.__pydantic_serializer__.to_python(p, mode="json")
    data = p.model_dump(mode="json", exclude=parts)
    for name in parts:
        value = getattr(p, name)
        dumped = shared.get(id(value))
        if dumped is None:
            dumped = shared[id(value)] = value.model_dump(mode="json") if isinstance(value, BaseModel) else to_jsonable_python(value)
        data[name] = dumped
    return {name: data[name] for name in type(p).model_fields if name in data}  # the fields in their order, as model_dump gives them


def copied(first: M, update: dict) -> M:
    """`first.model_copy(update=update)` without its generic steps (extra fields and private attributes, which an
    Envelope or a CommandReply has none of): a third of its time, half of model_construct's. The update's values are
    not validated: they are the caller's own, of the fields' types."""
    made = object.__new__(type(first))
    object.__setattr__(made, "__dict__", {**first.__dict__, **update})
    object.__setattr__(made, "__pydantic_fields_set__", first.__pydantic_fields_set__ | update.keys())
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _text_bounds(name: str) -> tuple[int, int]:
    """The length bounds Envelope declares for a text field (min_length / max_length in its metadata)."""
    info = Envelope.model_fields[name]
    metadata = [*info.metadata, *(m for arg in get_args(info.annotation) for f in getattr(arg, "__metadata__", ()) for m in getattr(f, "metadata", ()))]
    if any(not isinstance(m, (annotated_types.MinLen, annotated_types.MaxLen)) for m in metadata):
        return 1, 0  # a constraint besides lengths (a pattern, say): never copied, always validated in full
    low = max((m.min_length for m in metadata if isinstance(m, annotated_types.MinLen)), default=0)
    high = min((m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)), default=MAX_EVENT_BYTES)
    return low, high


_BOUNDS = {name: _text_bounds(name) for name in ("stream_id", "correlation_id", "causation_id", "actor")}


def _within_bounds(values: dict) -> bool:
    """Each value plain text within its field's length bounds (causation_id may be None): what the envelope's validation
    would accept unchanged."""
    for name, value in values.items():
        if value is None and name == "causation_id":
            continue
        low, high = _BOUNDS[name]
        if type(value) is not str or not low <= len(value) <= high:
            return False
    return True


def _check_size(envelope: Envelope, size: int) -> None:
    if size > MAX_EVENT_BYTES:
        raise EventTooLarge(
            f"this would make a {envelope.event_type} event of {size:,} bytes; the limit is {MAX_EVENT_BYTES:,} bytes: "
            "send less text or fewer items at once"
        )


_VERSION_4 = (4 << 76) | (0x8000 << 48)  # version nibble 4, RFC 4122 variant bits 10
_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)


def uuid4() -> uuid.UUID:
    """A random (version 4) UUID from os.urandom, as uuid.uuid4() makes it but without UUID.__init__'s argument
    checks (≈ 1 µs of ≈ 3.5 µs saved per id; every event takes one, most commands another for correlation)."""
    return next(uuid4s(1))


def uuid4s(count: int) -> Iterator[uuid.UUID]:
    """`count` random (version 4) UUIDs from one read of os.urandom: a batch's events take theirs in one system call
    (a call per id was ≈ 2 µs of each event's sealing)."""
    randomness = os.urandom(16 * count)
    for start in range(0, 16 * count, 16):
        made = object.__new__(uuid.UUID)
        object.__setattr__(made, "int", int.from_bytes(randomness[start : start + 16], "big") & _KEEP | _VERSION_4)
        object.__setattr__(made, "is_safe", uuid.SafeUUID.unknown)
        yield made


def new_correlation_id() -> str:
    return str(uuid4())


def decode(raw: bytes, event_type: str | None) -> Event:
    """A record's event, checked in full: the envelope and its payload by the catalog's model, as `parse_event` does.

    When the record's headers name its type (the relays set them), the whole body is validated in one pass of
    pydantic-core's JSON parser by an envelope model whose payload is that type's model (≈ 3× cheaper than json.loads
    and two validations). Anything else, a body that fails that check or one whose envelope names another type than
    the header, goes through `parse_event`, so a refused record is refused with the same error as ever. On the fast
    path `event.envelope.payload` is the payload model itself rather than its dict (the same JSON either way)."""
    validator = _typed_validator(event_type) if event_type else None
    if validator is not None:
        try:
            envelope = validator.validate_json(raw)  # what model_validate_json calls, without its frame
        except ValidationError:
            envelope = None
        if envelope is not None and envelope.event_type == event_type:
            return checked_event(envelope, envelope.payload)
    return parse_event(raw)


@functools.lru_cache(maxsize=256)  # bounded: a header may name any type
def _typed_validator(event_type: str) -> Any:
    """The pydantic-core validator of `event_type`'s typed envelope (None for a type the catalogue does not name)."""
    model = _typed_envelope(event_type)
    return model.__pydantic_validator__ if model is not None else None


@functools.lru_cache(maxsize=256)  # bounded: a header may name any type
def _typed_envelope(event_type: str) -> type[Envelope] | None:
    payload = PAYLOADS.get(event_type)
    return create_model(f"{event_type}Envelope", __base__=Envelope, payload=(payload, ...)) if payload else None
