"""In-memory adapter of the storage ports, for unit tests. Passes the same contract suite."""
from __future__ import annotations

import json
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Iterable, Mapping, Sequence

from schemas.envelope import Envelope
from services.runtime.ports import ConcurrencyError, Indexes, Path, StoredEvent, checked_path


class MemoryStore:
    def __init__(self, indexes: Indexes | None = None) -> None:
        self._events: list[StoredEvent] = []
        self._event_ids: set[str] = set()
        self._streams: dict[str, list[Envelope]] = {}
        self._positions: dict[str, int] = {}
        self._processed: set[tuple[str, str]] = set()
        self._checkpoints: dict[tuple[str, str], int] = {}
        self._docs: dict[str, dict[str, str]] = {}
        self._indexes = {c: set(fs) for c, fs in (indexes or {}).items()}

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """All or nothing: a block that fails is undone (a nested one alone), as in the SQLite adapter."""
        saved = self._snapshot()
        try:
            yield
        except BaseException:
            self._restore(saved)
            raise

    @asynccontextmanager
    async def bulk_load(self, read: Iterable[str] = ()) -> AsyncIterator[None]:
        """Nothing to defer in memory."""
        yield

    def _snapshot(self) -> tuple:
        return (list(self._events), set(self._event_ids), {k: list(v) for k, v in self._streams.items()}, dict(self._positions),
                set(self._processed), {k: dict(v) for k, v in self._docs.items()}, dict(self._checkpoints))

    def _restore(self, saved: tuple) -> None:
        (self._events, self._event_ids, self._streams, self._positions, self._processed, self._docs, self._checkpoints) = saved

    async def append(self, stream_id: str, expected_version: int, events: Sequence[Envelope], traceparent: str | None = None,
                     bodies: Sequence[bytes] | None = None) -> None:
        stream = self._streams.setdefault(stream_id, [])
        if len(stream) != expected_version:
            raise ConcurrencyError(stream_id, expected_version, len(stream))
        versions = [e.stream_version for e in events]
        ids = {str(e.event_id) for e in events}
        if versions != list(range(expected_version + 1, expected_version + 1 + len(events))) or len(ids) != len(events) or ids & self._event_ids:
            raise ConcurrencyError(stream_id, expected_version)
        self._event_ids |= ids
        for event, body in zip(events, bodies if bodies is not None else [None] * len(events), strict=True):
            stream.append(event)
            self._events.append(StoredEvent.of(len(self._events) + 1, event, traceparent, body))

    async def append_many(self, appends: Sequence[tuple[str, int, Sequence[Envelope]]], traceparent: str | None = None,
                          bodies: Sequence[Sequence[bytes]] | None = None) -> None:
        if len({s for s, _, _ in appends}) != len(appends):
            raise ValueError("append_many takes each stream at most once")
        ids = [str(e.event_id) for _, _, events in appends for e in events]
        for stream_id, expected, events in appends:
            actual = len(self._streams.get(stream_id, []))
            if actual != expected or [e.stream_version for e in events] != list(range(expected + 1, expected + 1 + len(events))):
                raise ConcurrencyError(stream_id, expected, actual)
        if len(set(ids)) != len(ids) or set(ids) & self._event_ids:
            raise ConcurrencyError(appends[0][0], appends[0][1])
        for (stream_id, expected, events), texts in zip(appends, bodies if bodies is not None else [None] * len(appends), strict=True):
            await self.append(stream_id, expected, events, traceparent, texts)

    async def load(self, stream_id: str) -> list[Envelope]:
        return list(self._streams.get(stream_id, []))

    async def read_after(self, position: int, limit: int) -> list[StoredEvent]:
        return self._events[position : position + limit]

    async def get_position(self, name: str) -> int:
        return self._positions.get(name, 0)

    async def set_position(self, name: str, position: int) -> None:
        self._positions[name] = position

    async def unseen(self, consumer: str, event_ids: Iterable[str]) -> set[str]:
        return {i for i in event_ids if (consumer, i) not in self._processed}

    async def mark(self, consumer: str, event_ids: Iterable[str]) -> None:
        self._processed.update((consumer, i) for i in event_ids)

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        return (await self.checkpoints_of([consumer], stream_ids)).get(consumer, {})

    async def checkpoints_of(self, consumers: Iterable[str], stream_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        streams, found = list(stream_ids), {}
        for consumer in consumers:
            mine = {s: self._checkpoints[(consumer, s)] for s in streams if (consumer, s) in self._checkpoints}
            if mine:
                found[consumer] = mine
        return found

    async def advance(self, consumer: str, versions: Mapping[str, int]) -> None:
        for stream, version in versions.items():
            self._checkpoints[(consumer, stream)] = max(version, self._checkpoints.get((consumer, stream), 0))

    async def get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        body = self._docs.get(collection, {}).get(doc_id)
        return json.loads(body) if body is not None else None

    async def put(self, collection: str, doc_id: str, doc: Mapping[str, Any]) -> None:
        await self.bulk_put(collection, {doc_id: doc})

    async def bulk_put(self, collection: str, docs: Mapping[str, Mapping[str, Any]]) -> None:
        target = self._docs.setdefault(collection, {})
        for doc_id, doc in docs.items():
            target[doc_id] = json.dumps(doc, ensure_ascii=False, default=str)

    async def find(self, collection: str, **where: Any) -> list[dict[str, Any]]:
        where = {f: _jsonable(list(v) if isinstance(v, (list, tuple, set)) else v) for f, v in where.items()}
        found = []
        for doc_id in sorted(self._docs.get(collection, {})):
            doc = json.loads(self._docs[collection][doc_id])
            if all(_matches(doc.get(f), v) for f, v in where.items()):
                found.append(doc)
        return found

    async def find_lowest(self, collection: str, field: str, limit: int, upto: Any = None) -> list[dict[str, Any]]:
        bound = _jsonable(upto)
        docs = ((doc_id, json.loads(body)) for doc_id, body in self._docs.get(collection, {}).items())
        found = [(doc[field], doc_id, doc) for doc_id, doc in docs if doc.get(field) is not None and (bound is None or doc[field] <= bound)]
        return [doc for _, _, doc in sorted(found, key=lambda row: row[:2])[: max(limit, 0)]]

    async def bulk_add(self, collection: str, changes: Mapping[str, Mapping[Path, int]]) -> list[str]:
        indexed = self._indexes.get(collection, set())
        for paths in changes.values():
            for path, amount in paths.items():
                checked_path(path, amount, indexed)
        target = self._docs.get(collection, {})
        missing = []
        for doc_id, paths in changes.items():
            if doc_id not in target:
                missing.append(doc_id)
                continue
            doc = json.loads(target[doc_id])
            for path, amount in paths.items():
                if not amount:
                    continue
                into = doc
                for key in path[:-1]:
                    into = into.setdefault(key, {})
                total = into.get(path[-1], 0) + amount
                if total:
                    into[path[-1]] = total
                else:
                    into.pop(path[-1], None)
            target[doc_id] = json.dumps(doc, ensure_ascii=False, default=str)
        return sorted(missing)

    async def delete(self, collection: str, doc_id: str) -> None:
        self._docs.get(collection, {}).pop(doc_id, None)

    async def bulk_delete(self, collection: str, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            self._docs.get(collection, {}).pop(doc_id, None)

    async def close(self) -> None:
        return None


def _matches(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, (list, tuple, set)):
        return actual in wanted
    return actual == wanted


def _jsonable(value: Any) -> Any:
    """Filter values compared as stored: in their JSON form (dates as ISO strings)."""
    return json.loads(json.dumps(value, default=str))
