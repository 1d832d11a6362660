"""MongoDB adapter of the storage ports (production run), over PyMongo's async API.

Collections in the service's database: `events` (one document per event: the envelope's
JSON-mode dump plus `stream_id`, `stream_version`, `event_id`, `position`, `traceparent`),
`counters` (the next global position), `positions` (outbox/consumer positions by name),
`processed` (ledger, `_id` = consumer + event id) and `doc_<collection>` per document
collection (`_id` = document id, the JSON-compatible document at top level).

Append: the expected version is checked first (so a writer "ahead" of the stream is refused),
then `n` positions are taken from `counters` with one `$inc`, then the events are inserted.
The unique index on (stream_id, stream_version) is what stops a racing second writer at the
same version: its insert fails with a duplicate key and becomes ConcurrencyError; any events of
its batch already inserted are deleted again, so the stream is left as the winner wrote it.

Positions are allocated before the insert, so with concurrent writers a lower position can
become visible *after* a higher one (A takes 5, B takes 6, B's insert lands first). `read_after`
therefore stops at the first hole in the positions and waits for it (GAP_GRACE_SECONDS): the
relay never moves past 5 before A's insert lands. A hole that stays (a writer that failed after
taking its position, or the rows a refused batch took back) is passed after the grace period.

Known limitation: `transaction()` is a no-op here (see below), so the contract's undo cases are
expected failures for this adapter (tests/integration/test_store_contracts.py).
"""
from __future__ import annotations

import json
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Iterable, Mapping, Sequence

from pymongo import ASCENDING, ReplaceOne, ReturnDocument, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from schemas.envelope import Envelope
from services.runtime.ports import ConcurrencyError, Indexes, StoredEvent

DUPLICATE_KEY = 11000
GAP_GRACE_SECONDS = 5.0
_SEP = "\x1f"  # between consumer and event id in a ledger _id (unit separator: not in names)


class MongoStore:
    """Event store, ledger and document store over one MongoDB database."""

    def __init__(self, client: Any, database: str) -> None:
        self._client = client
        self._db = client[database]
        self._holes: dict[int, float] = {}  # position -> when read_after first waited for it

    @classmethod
    async def connect(
        cls, url: str, database: str, indexes: Indexes | None = None, client_factory: Callable[[str], Any] | None = None
    ) -> "MongoStore":
        """Create the client inside the running loop, then the indexes. `client_factory` is for tests."""
        if client_factory is None:
            from pymongo import AsyncMongoClient

            client_factory = AsyncMongoClient
        store = cls(client_factory(url), database)
        try:
            await store._prepare(indexes or {})
        except BaseException:
            await store.close()
            raise
        return store

    async def _prepare(self, indexes: Indexes) -> None:
        events = self._db["events"]
        await events.create_index([("stream_id", ASCENDING), ("stream_version", ASCENDING)], unique=True)
        await events.create_index("event_id", unique=True)
        await events.create_index("position", unique=True)
        for collection, fields in indexes.items():
            for field in fields:  # (field, _id): equality finds and find_lowest come back in order without a sort
                await self._docs(collection).create_index([(_field(field), ASCENDING), ("_id", ASCENDING)])

    # -- transactions -------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """A no-op (not done yet): the ports' calls carry no session, and a standalone server has no transactions.

        Each call is atomic on its own (append is protected by the unique index and undoes a
        partial batch); consumers stay correct because they are idempotent (ledger + upserts),
        so a batch interrupted half-way is simply applied again on redelivery.
        """
        yield

    # -- event store --------------------------------------------------
    async def append(self, stream_id: str, expected_version: int, events: Sequence[Envelope], traceparent: str | None = None) -> None:
        actual = await self._version(stream_id)
        if actual != expected_version:
            raise ConcurrencyError(stream_id, expected_version, actual)
        if not events:
            return
        counter = await self._db["counters"].find_one_and_update(
            {"_id": "events"}, {"$inc": {"position": len(events)}}, upsert=True, return_document=ReturnDocument.AFTER
        )
        first = counter["position"] - len(events) + 1
        rows = [
            {
                "position": first + offset,
                "stream_id": e.stream_id,
                "stream_version": e.stream_version,
                "event_id": str(e.event_id),
                "traceparent": traceparent,
                "envelope": e.model_dump(mode="json"),
            }
            for offset, e in enumerate(events)
        ]
        try:
            await self._db["events"].insert_many(rows, ordered=True)
        except (DuplicateKeyError, BulkWriteError) as error:
            if not _is_duplicate(error):
                raise
            # An ordered insert keeps the rows before the failing one: take them back out.
            await self._db["events"].delete_many({"position": {"$in": [r["position"] for r in rows]}})
            raise ConcurrencyError(stream_id, expected_version, await self._version(stream_id)) from error

    async def append_many(self, appends: Sequence[tuple[str, int, Sequence[Envelope]]], traceparent: str | None = None) -> None:
        """One version query, one position allocation and one insert for all; a duplicate key undoes the insert."""
        streams = [stream_id for stream_id, _, _ in appends]
        if len(set(streams)) != len(streams):
            raise ValueError("append_many takes each stream at most once")
        grouped = self._db["events"].aggregate([{"$match": {"stream_id": {"$in": streams}}}, {"$group": {"_id": "$stream_id", "v": {"$max": "$stream_version"}}}])
        actual = {row["_id"]: row["v"] for row in await grouped.to_list(None)}
        for stream_id, expected, _ in appends:
            if actual.get(stream_id, 0) != expected:
                raise ConcurrencyError(stream_id, expected, actual.get(stream_id, 0))
        events = [e for _, _, stream in appends for e in stream]
        if not events:
            return
        counter = await self._db["counters"].find_one_and_update(
            {"_id": "events"}, {"$inc": {"position": len(events)}}, upsert=True, return_document=ReturnDocument.AFTER
        )
        first = counter["position"] - len(events) + 1
        rows = [{"position": first + offset, "stream_id": e.stream_id, "stream_version": e.stream_version, "event_id": str(e.event_id),
                 "traceparent": traceparent, "envelope": e.model_dump(mode="json")} for offset, e in enumerate(events)]
        try:
            await self._db["events"].insert_many(rows, ordered=True)
        except (DuplicateKeyError, BulkWriteError) as error:
            if not _is_duplicate(error):
                raise
            await self._db["events"].delete_many({"position": {"$in": [r["position"] for r in rows]}})
            raise ConcurrencyError(streams[0], appends[0][1]) from error

    async def _version(self, stream_id: str) -> int:
        last = await self._db["events"].find_one({"stream_id": stream_id}, {"stream_version": 1}, sort=[("stream_version", -1)])
        return last["stream_version"] if last else 0

    async def load(self, stream_id: str) -> list[Envelope]:
        rows = await self._db["events"].find({"stream_id": stream_id}).sort("stream_version", ASCENDING).to_list(None)
        return [Envelope.model_validate(r["envelope"]) for r in rows]

    async def read_after(self, position: int, limit: int) -> list[StoredEvent]:
        cursor = self._db["events"].find({"position": {"$gt": position}}).sort("position", ASCENDING).limit(limit)
        stored, expected = [], position + 1
        for r in await cursor.to_list(None):
            if r["position"] != expected:
                waited_since = self._holes.setdefault(expected, time.monotonic())
                if time.monotonic() - waited_since < GAP_GRACE_SECONDS:
                    break  # a writer holding `expected` may not have inserted yet
            stored.append(StoredEvent(
                r["position"], r["stream_id"], r["stream_version"], r["envelope"]["event_type"], r["envelope"].get("schema_version", 1),
                json.dumps(r["envelope"], ensure_ascii=False, separators=(",", ":")).encode(), r.get("traceparent")))
            expected = r["position"] + 1
        return stored

    async def get_position(self, name: str) -> int:
        row = await self._db["positions"].find_one({"_id": name})
        return row["position"] if row else 0

    async def set_position(self, name: str, position: int) -> None:
        await self._db["positions"].update_one({"_id": name}, {"$set": {"position": position}}, upsert=True)

    # -- processed-event ledger ---------------------------------------
    async def unseen(self, consumer: str, event_ids: Iterable[str]) -> set[str]:
        ids = set(event_ids)
        if not ids:
            return set()
        keys = [consumer + _SEP + i for i in ids]
        seen = await self._db["processed"].find({"_id": {"$in": keys}}, {"event_id": 1}).to_list(None)
        return ids - {row["event_id"] for row in seen}

    async def mark(self, consumer: str, event_ids: Iterable[str]) -> None:
        ops = [
            UpdateOne({"_id": consumer + _SEP + i}, {"$setOnInsert": {"consumer": consumer, "event_id": i}}, upsert=True)
            for i in dict.fromkeys(event_ids)
        ]
        if ops:
            await self._db["processed"].bulk_write(ops, ordered=False)

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        keys = [consumer + _SEP + s for s in dict.fromkeys(stream_ids)]
        if not keys:
            return {}
        rows = await self._db["checkpoints"].find({"_id": {"$in": keys}}).to_list(None)
        return {row["stream_id"]: row["version"] for row in rows}

    async def advance(self, consumer: str, versions: Mapping[str, int]) -> None:
        ops = [
            UpdateOne({"_id": consumer + _SEP + stream}, {"$max": {"version": version}, "$setOnInsert": {"stream_id": stream}}, upsert=True)
            for stream, version in versions.items()
        ]
        if ops:
            await self._db["checkpoints"].bulk_write(ops, ordered=False)

    # -- document store -----------------------------------------------
    def _docs(self, collection: str) -> Any:
        return self._db["doc_" + collection]

    async def get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        return await self._docs(collection).find_one({"_id": doc_id}, {"_id": 0})

    async def put(self, collection: str, doc_id: str, doc: Mapping[str, Any]) -> None:
        await self.bulk_put(collection, {doc_id: doc})

    async def bulk_put(self, collection: str, docs: Mapping[str, Mapping[str, Any]]) -> None:
        ops = [ReplaceOne({"_id": doc_id}, {**_plain(doc), "_id": doc_id}, upsert=True) for doc_id, doc in docs.items()]
        if ops:
            await self._docs(collection).bulk_write(ops, ordered=False)

    async def find(self, collection: str, **where: Any) -> list[dict[str, Any]]:
        query = self._find_query(where)
        if query is None:
            return []
        return await self._docs(collection).find(query, {"_id": 0}).sort("_id", ASCENDING).to_list(None)

    def _find_query(self, where: Mapping[str, Any]) -> dict[str, Any] | None:
        query: dict[str, Any] = {}
        for field, value in where.items():
            if isinstance(value, (list, tuple, set)):
                if not value:
                    return None
                query[_field(field)] = {"$in": _plain(list(value))}
            else:
                query[_field(field)] = _plain(value)
        return query

    def _lowest_cursor(self, collection: str, field: str, limit: int, upto: Any) -> Any:
        bound = {"$lte": _plain(upto)} if upto is not None else {"$ne": None}
        return self._docs(collection).find({_field(field): bound}, {"_id": 0}).sort([(field, ASCENDING), ("_id", ASCENDING)]).limit(limit)

    async def find_lowest(self, collection: str, field: str, limit: int, upto: Any = None) -> list[dict[str, Any]]:
        if limit <= 0:
            return []
        return await self._lowest_cursor(collection, field, limit, upto).to_list(None)

    async def plan_of_find(self, collection: str, **where: Any) -> str:
        """The server's winning plan for `find` (explain), for the contract suite."""
        cursor = self._docs(collection).find(self._find_query(where) or {}, {"_id": 0}).sort("_id", ASCENDING)
        return str((await cursor.explain())["queryPlanner"]["winningPlan"])

    async def plan_of_find_lowest(self, collection: str, field: str, limit: int, upto: Any = None) -> str:
        return str((await self._lowest_cursor(collection, field, limit, upto).explain())["queryPlanner"]["winningPlan"])

    async def delete(self, collection: str, doc_id: str) -> None:
        await self._docs(collection).delete_one({"_id": doc_id})

    async def close(self) -> None:
        await self._client.close()


def _plain(value: Any) -> Any:
    """JSON-compatible copy (dates, UUIDs… as strings), as the SQLite adapter stores documents."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _is_duplicate(error: Exception) -> bool:
    if isinstance(error, DuplicateKeyError):
        return True
    errors = error.details.get("writeErrors", []) if isinstance(error, BulkWriteError) else []
    return bool(errors) and all(e.get("code") == DUPLICATE_KEY for e in errors)


def _field(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad field name {name!r}")
    return name
