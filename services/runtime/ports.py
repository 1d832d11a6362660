"""Storage ports. Each has a SQLite, a MongoDB and an in-memory adapter passing one contract suite."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, AsyncContextManager, Iterable, Mapping, Protocol, Sequence

from schemas.envelope import Envelope


class ConcurrencyError(Exception):
    """A second writer appended at the same stream version."""

    def __init__(self, stream_id: str, expected: int, actual: int | None = None) -> None:
        super().__init__(f"stream {stream_id!r} is not at version {expected}" + (f" (it is at {actual})" if actual is not None else ""))
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True)
class StoredEvent:
    """An event as the store keeps it: the envelope's JSON bytes, published as they are, and what the relay needs."""

    position: int
    stream_id: str
    stream_version: int
    event_type: str
    schema_version: int
    body: bytes
    traceparent: str | None = None

    @property
    def envelope(self) -> Envelope:
        return Envelope.model_validate_json(self.body)

    @classmethod
    def of(cls, position: int, envelope: Envelope, traceparent: str | None = None, body: bytes | None = None) -> "StoredEvent":
        return cls(position, envelope.stream_id, envelope.stream_version, envelope.event_type, envelope.schema_version,
                   body if body is not None else envelope.model_dump_json().encode(), traceparent)


class EventStore(Protocol):
    """`bodies`, when given, is each event's JSON exactly as `Envelope.model_dump_json()` makes it, as UTF-8 bytes
    (events.seal made it once, to check its size): an adapter that stores JSON text keeps it as it is instead of
    serialising again."""

    async def append(self, stream_id: str, expected_version: int, events: Sequence[Envelope], traceparent: str | None = None,
                     bodies: Sequence[bytes] | None = None) -> None:
        """Append events after `expected_version`; raise ConcurrencyError if the stream moved on."""

    async def append_many(self, appends: Sequence[tuple[str, int, Sequence[Envelope]]], traceparent: str | None = None,
                          bodies: Sequence[Sequence[bytes]] | None = None) -> None:
        """Append to several streams (each at most once) at once, all or nothing: ConcurrencyError if any moved on.
        `bodies`, if given, has one list per append, the bytes of each event."""

    async def load(self, stream_id: str) -> list[Envelope]: ...

    async def read_after(self, position: int, limit: int) -> list[StoredEvent]:
        """Stored events in append order, after a global position (for the outbox relay), bytes as stored."""

    async def get_position(self, name: str) -> int: ...

    async def set_position(self, name: str, position: int) -> None: ...


class Ledger(Protocol):
    """Processed-event ledger: which events a consumer has already applied."""

    async def unseen(self, consumer: str, event_ids: Iterable[str]) -> set[str]: ...

    async def mark(self, consumer: str, event_ids: Iterable[str]) -> None: ...

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        """The last version of each stream this consumer applied (streams it never saw are absent)."""

    async def checkpoints_of(self, consumers: Iterable[str], stream_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        """`checkpoints` of several consumers in one read: consumer -> {stream: last version applied} (a consumer with
        none of these streams is absent). The consumers of one process share one lookup per batch this way."""

    async def advance(self, consumer: str, versions: Mapping[str, int]) -> None:
        """Record applied stream versions; a checkpoint never moves back."""


class JsonDocument(dict):
    """A document whose values are JSON values only (text, numbers, booleans, null, lists, objects; dates already as
    ISO text): an adapter may encode it as it is (SQLite: in pydantic-core, a quarter of json.dumps's time), with no
    conversion of dates or other objects. A plain dict is always accepted too."""


class DocumentStore(Protocol):
    """Documents by collection and id; `find` filters on fields declared as indexed."""

    async def get(self, collection: str, doc_id: str) -> dict[str, Any] | None: ...

    async def put(self, collection: str, doc_id: str, doc: Mapping[str, Any]) -> None: ...

    async def bulk_put(self, collection: str, docs: Mapping[str, Mapping[str, Any]]) -> None: ...

    async def find(self, collection: str, **where: Any) -> list[dict[str, Any]]:
        """Equality on each field; a list or tuple value means 'any of'. No filter returns all."""

    async def find_lowest(self, collection: str, field: str, limit: int, upto: Any = None) -> list[dict[str, Any]]:
        """Documents with the lowest values of an indexed `field` (at most `upto` if given), ascending by
        that value, ties in an order the store keeps (SQLite: as first written; MongoDB and memory: by id) so the
        lowest come off the field's index without a sort; at most `limit`; documents whose field is missing or null
        are left out.
        Compare values of one type only (e.g. ISO timestamps of one form)."""

    async def delete(self, collection: str, doc_id: str) -> None: ...

    async def bulk_delete(self, collection: str, doc_ids: Iterable[str]) -> None:
        """Delete many documents by id in one operation; ids that are not there are ignored."""

    async def bulk_add(self, collection: str, changes: Mapping[str, Mapping[Path, int]]) -> list[str]:
        """Add whole numbers to fields of many existing documents in one operation, without reading them back: for each
        document id, each path (keys into nested objects, `("counts", "lead|all")`) gets its amount added, a missing field
        counting as 0 and missing objects on the way created; a field that reaches 0 is removed (its object stays), so
        the result equals reading the document, adding in Python and putting it back. Documents that do not exist are
        left alone: their ids are returned (sorted) for the caller to put whole. Paths may not go through an indexed
        field (an adapter may keep those beside the document); keys are checked by `checked_path`."""

    def bulk_load(self, read: Iterable[str] = ()) -> AsyncContextManager[None]:
        """`async with store.bulk_load():` around writing a whole read model into a fresh store that no one reads yet and
        that is thrown away if the load fails (a rebuild). Adapters may defer index building and syncing to its end;
        afterwards the store answers exactly as if the same documents had been written without it. Documents written
        inside hold JSON values only (dates and times as ISO text). `read`: collections the load itself finds documents
        in meanwhile (their indexes are kept up as they are written)."""


class Store(EventStore, Ledger, DocumentStore, Protocol):
    """One service's store: all three ports over one database."""

    async def close(self) -> None: ...


# Fields each collection is queried on; adapters index them.
Indexes = Mapping[str, Sequence[str]]

# A field inside a document, as the keys leading to it (DocumentStore.bulk_add).
Path = tuple[str, ...]


def checked_path(path: Path, amount: int, indexed: Iterable[str] = ()) -> Path:
    """A bulk_add path every adapter can address as it is: non-empty keys with no '.', '"' or '\\' and not starting
    with '$' (MongoDB's dotted paths, SQLite's quoted JSON path labels), not through an indexed field; a whole amount."""
    if not addressable(path) or path[0] in indexed:
        raise ValueError(f"bulk_add: bad path {path!r}")
    if type(amount) is not int:
        raise ValueError(f"bulk_add: {path!r}: amounts are whole numbers, not {amount!r}")
    return path


@lru_cache(maxsize=65_536)
def addressable(path: Path) -> bool:
    """Whether bulk_add can address this path (checked_path): a caller with other keys reads and puts the document whole."""
    return bool(path) and all(k and "." not in k and '"' not in k and "\\" not in k and k[0] != "$" for k in path)
