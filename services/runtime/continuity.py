"""Consumers apply each stream's events once, in order, and only versions of the contract they know.

Each event consumer keeps a checkpoint per stream: the last stream version it applied. For an
event at version v of a stream whose checkpoint is c:
- v <= c: already applied (a redelivery, or history published again): skipped. When the
  record's headers name the stream and version (the relay sets them), it is skipped without
  decoding its body, in one checkpoint lookup per batch for all the consumers of a process
  (`Continuity.of_batch`): catching up after a broker restart costs little.
- v == c + 1: applied, and the checkpoint moves on once the batch is applied.
- v > c + 1: refused (dead-lettered with the reason): an event is missing before it, or it is
  not genuine (a forged "version 999" would otherwise hide every later real event).
An event whose schema_version is newer than the one this code knows is refused too: it is never
applied as if it were an older version.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from schemas.catalog import Event
from services.runtime.ports import Ledger
from services.runtime.turns import Turns

KNOWN_SCHEMA_VERSION = 1
CHECKPOINT_CHUNK = 500  # streams per checkpoint read when the loop is to get turns between reads


def header(record: Any, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return None


def claimed(record: Any) -> tuple[str, int] | None:
    """(stream id, stream version) as the record's headers state them, if they do (one pass over the headers: this runs
    for every record a catch-up skips)."""
    stream = version = None
    for key, value in record.headers or ():
        if key == "stream_id" and stream is None:
            stream = value
        elif key == "stream_version" and version is None:
            version = value
    return claim_from(stream, version)


def claim_from(stream: bytes | str | None, version: bytes | str | None) -> tuple[str, int] | None:
    """(stream id, stream version) from the values of a record's stream_id and stream_version headers (a version of
    ASCII digits only: anything else claims nothing, and the record is decoded and checked as any other)."""
    if not stream or not version:
        return None
    if isinstance(version, str):
        version = version.encode("utf-8", "replace")
    if not version.isdigit():  # bytes: ASCII digits only (int() would also take "²", "+1" or " 1")
        return None
    return (stream.decode("utf-8", "replace") if isinstance(stream, bytes) else stream), int(version)


class Continuity:
    """One consumer's view of its checkpoints for one batch. `known` and `looked` (the streams whose checkpoints
    were read already: `known` holds those that have one) come from `of_batch` when the consumers of one subscriber
    share one lookup; otherwise `unapplied` reads them."""

    def __init__(self, ledger: Ledger, consumer: str, known: dict[str, int] | None = None, looked: set[str] | None = None) -> None:
        self.ledger, self.consumer = ledger, consumer
        self.known: dict[str, int] = known if known is not None else {}
        self.looked: set[str] = looked if looked is not None else set()
        self.advanced: dict[str, int] = {}
        self.skipped = 0

    @classmethod
    async def of_batch(cls, ledger: Ledger, consumers: Sequence[str], streams: set[str], turns: Turns | None = None) -> dict[str, "Continuity"]:
        """One Continuity per consumer, from ONE read of all their checkpoints of the batch's streams (the consumers of
        a process read the same streams: one query instead of one each); with `turns`, read CHECKPOINT_CHUNK streams at
        a time, the loop given a turn between them when they take long (a catch-up's first look at 2,000 streams)."""
        known: dict[str, dict[str, int]] = {name: {} for name in consumers}
        ordered = list(streams)
        step = CHECKPOINT_CHUNK if turns is not None else max(1, len(ordered))
        for at in range(0, len(ordered), step):
            if at and turns is not None:
                await turns.take()
            for name, versions in (await ledger.checkpoints_of(consumers, ordered[at : at + step])).items():
                known.setdefault(name, {}).update(versions)
        return {name: cls(ledger, name, known[name], set(streams)) for name in consumers}  # each its own `looked`: one
        # consumer's later lookup (a record without stream headers) must not pass for another's

    async def unapplied(self, records: Sequence[Any], claims: dict[int, tuple[str, int] | None] | None = None) -> list[Any]:
        """The records not already applied by their headers' account, without decoding them (one lookup for the batch,
        none when `of_batch` made this); `claims` (by id of the record) are headers read already, shared by the
        consumers of one subscriber."""
        claimed_ = [claims[id(r)] if claims is not None and id(r) in claims else claimed(r) for r in records]
        unread = {c[0] for c in claimed_ if c is not None and c[0] not in self.looked}
        if unread:
            self.known.update(await self.ledger.checkpoints(self.consumer, unread))
            self.looked |= unread
        get = self.known.get
        fresh = [r for r, c in zip(records, claimed_) if c is None or c[1] > get(c[0], 0)]
        self.skipped += len(records) - len(fresh)
        return fresh

    def passed_over(self, claim: tuple[str, int]) -> bool:
        """Take a record this consumer does not handle (by its type header) as applied without decoding it, if its
        headers claim its stream's next version; False otherwise (then it is decoded and checked as any other)."""
        stream, version = claim
        if version != self.known.get(stream, 0) + 1:
            return False
        self.known[stream] = self.advanced[stream] = version
        self.skipped += 1
        return True

    async def admit(self, checked: list[tuple[Any, Event]], claims: dict[int, tuple[str, int] | None] | None = None
                    ) -> tuple[list[Event], list[tuple[Any, str]]]:
        """In order: the events to apply now, and the refused records with the reason (`claims`: as for `unapplied`)."""
        claimed_ = [claims[id(r)] if claims is not None and id(r) in claims else claimed(r) for r, _ in checked]
        # by the claim where there is one (a record claiming another stream than its event's is refused before any
        # checkpoint counts): a set of the streams' ids, no envelope read for them
        unknown = {c[0] if c is not None else e.envelope.stream_id for (_, e), c in zip(checked, claimed_)} - self.looked
        if unknown:
            self.known.update(await self.ledger.checkpoints(self.consumer, unknown))
            self.looked |= unknown
        accepted: list[Event] = []
        refused: list[tuple[Any, str]] = []
        known, advanced = self.known, self.advanced
        for (record, event), claim in zip(checked, claimed_):
            envelope = event.envelope
            stream, version = envelope.stream_id, envelope.stream_version
            if (claim is None or claim == (stream, version)) and envelope.schema_version <= KNOWN_SCHEMA_VERSION \
                    and version == known.get(stream, 0) + 1:  # the usual case, in one test: the stream's next version
                accepted.append(event)
                known[stream] = advanced[stream] = version
                continue
            reason = self._refusal(event, claim)
            if reason == "applied":
                self.skipped += 1
            elif reason:
                refused.append((record, reason))
            else:
                accepted.append(event)
                known[stream] = advanced[stream] = version
        return accepted, refused

    def _refusal(self, event: Event, claim: tuple[str, int] | None) -> str | None:
        envelope = event.envelope
        if claim is not None and claim != (envelope.stream_id, envelope.stream_version):
            return f"headers say {claim[0]} v{claim[1]} but the event is {envelope.stream_id} v{envelope.stream_version}"
        if envelope.schema_version > KNOWN_SCHEMA_VERSION:
            return (f"{envelope.event_type} schema_version {envelope.schema_version} is newer than this consumer knows "
                    f"({KNOWN_SCHEMA_VERSION}); it will not be applied as an older version")
        last = self.known.get(envelope.stream_id, 0)
        if envelope.stream_version <= last:
            return "applied"
        if envelope.stream_version > last + 1:
            return (f"stream {envelope.stream_id} is at version {last} here; version {envelope.stream_version} "
                    f"would skip {envelope.stream_version - last - 1} event(s): one is missing or this one is not genuine")
        return None

    async def commit(self) -> None:
        if self.advanced:
            await self.ledger.advance(self.consumer, self.advanced)


class HeldCheckpoints:
    """A rebuild's checkpoints, held in memory while it keeps its read model in memory, and written with the model.

    A rebuild reads into a fresh store, so what it holds is all there is: a batch's lookup and its advance cost
    a dict each instead of a store query and a committed write. `write` (inside the model's write transaction)
    stores them and hands every later call to the ledger itself. The processed-event ledger is passed through."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.held: dict[str, dict[str, int]] | None = {}

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        if self.held is None:
            return await self.ledger.checkpoints(consumer, stream_ids)
        mine = self.held.get(consumer, {})
        return {s: mine[s] for s in stream_ids if s in mine}

    async def checkpoints_of(self, consumers: Iterable[str], stream_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        if self.held is None:
            return await self.ledger.checkpoints_of(consumers, stream_ids)
        streams, found = list(stream_ids), {}
        for consumer in consumers:
            mine = await self.checkpoints(consumer, streams)
            if mine:
                found[consumer] = mine
        return found

    async def advance(self, consumer: str, versions: Mapping[str, int]) -> None:
        if self.held is None:
            await self.ledger.advance(consumer, versions)
            return
        mine = self.held.setdefault(consumer, {})
        for stream, version in versions.items():
            if version > mine.get(stream, 0):
                mine[stream] = version

    def transaction(self):  # noqa: ANN201 - the store's own: an atomic consumer's batch and its (held) checkpoints
        return self.ledger.transaction()  # type: ignore[attr-defined]

    async def write(self) -> None:
        held, self.held = self.held or {}, None
        for consumer, versions in held.items():
            await self.ledger.advance(consumer, dict(sorted(versions.items())))

    async def unseen(self, consumer: str, event_ids: Iterable[str]) -> set[str]:
        return await self.ledger.unseen(consumer, event_ids)

    async def mark(self, consumer: str, event_ids: Iterable[str]) -> None:
        await self.ledger.mark(consumer, event_ids)
