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

Transactions (`transaction()`): real client-session transactions (PyMongo's async API:
`async with client.start_session() as s: async with await s.start_transaction(): ...`), so they
need a replica set (the compose file runs a single-node one; `connect` refuses a standalone
server). The session of the open block lives in a context variable and every operation inside
passes `session=`, reads included (a block reads its own writes). MongoDB has no savepoints, so a
nested block is savepoint-like by hand: while a nested block is open, every document it is about
to write has its before-image journalled (within the same transaction), and if the nested block
fails those documents are put back, so it is undone alone while the outer block goes on. This
holds for failures the application raises; an error the *server* raises (a write conflict, a
duplicate key) aborts the whole server transaction: the undo then fails, NestedBlockNotUndone is
raised in place of the nested block's error, and the outer block fails too.

Positions: each append takes its positions from `counters` with one `$inc` and inserts its events
in one transaction (its own, or the open block's). The counter document stays write-locked until
that transaction commits, so a second writer can take the next positions only after the first
writer's events are visible: positions become visible in order, and the relay cannot pass a
position whose events land later (the gap concurrent writers used to open: A takes 5, B takes 6,
B's insert lands first). A racing second transaction gets a write conflict on the counter and is
retried (`with_transaction`) when the append is its own transaction, or surfaces as
ConcurrencyError when it is inside a block, which callers already retry.

Without sessions (the mongomock-motor stand-in used by the tests, which has none)
`transaction()` is a plain block with no undo, and appends fall back to the old order of calls;
`read_after` therefore still stops at the first hole in the positions and waits for it
(GAP_GRACE_SECONDS) before passing it.
"""
from __future__ import annotations

import json
import time
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence

from bson import ObjectId
from pymongo import ASCENDING, ReplaceOne, ReturnDocument, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, PyMongoError

from schemas.envelope import Envelope
from services.runtime.ports import ConcurrencyError, Indexes, Path, StoredEvent, checked_path

DUPLICATE_KEY = 11000
GAP_GRACE_SECONDS = 5.0
_SEP = "\x1f"  # between consumer and event id in a ledger _id (unit separator: not in names)
TRANSIENT = "TransientTransactionError"


class NestedBlockNotUndone(Exception):
    """Raised instead of a nested block's own error when its writes could not be put back: the outer block must fail too."""


@dataclass
class _OpenTransaction:
    """The session of the outermost open block, and one journal of before-images per open nested block."""

    session: Any
    own: bool = False  # a single append's own transaction (retried whole on a write conflict), not a caller's block
    frames: list[dict[tuple[str, Any], dict[str, Any] | None]] = field(default_factory=list)


class MongoStore:
    """Event store, ledger and document store over one MongoDB database."""

    def __init__(self, client: Any, database: str) -> None:
        self._client = client
        self._db = client[database]
        self._holes: dict[int, float] = {}  # position -> when read_after first waited for it
        self._indexed: dict[str, tuple[str, ...]] = {}  # collection -> its indexed fields (bulk_add's paths keep off them)
        self.sessions = callable(getattr(client, "start_session", None))  # False on the stand-in only
        self._open: ContextVar[_OpenTransaction | None] = ContextVar(f"mongo-transaction-{database}", default=None)

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
        if self.sessions:
            hello = await self._client.admin.command("hello")
            if "setName" not in hello and hello.get("msg") != "isdbgrid":
                raise RuntimeError("this MongoDB server is standalone: tiendo's transactions need a replica set "
                                   "(one member will do: mongod --replSet rs0, then rs.initiate())")
        events = self._db["events"]
        await events.create_index([("stream_id", ASCENDING), ("stream_version", ASCENDING)], unique=True)
        await events.create_index("event_id", unique=True)
        await events.create_index("position", unique=True)
        self._indexed = {collection: tuple(fields) for collection, fields in indexes.items()}
        for collection, fields in indexes.items():
            for field in fields:  # (field, _id): equality finds and find_lowest come back in order without a sort
                await self._docs(collection).create_index([(_field(field), ASCENDING), ("_id", ASCENDING)])

    @asynccontextmanager
    async def bulk_load(self, read: Iterable[str] = ()) -> AsyncIterator[None]:
        """Nothing deferred: the indexes were created when the store connected, and writes are acknowledged as usual."""
        yield

    # -- transactions -------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Everything inside commits together or not at all; a nested block that fails is undone alone (module docstring)."""
        open_ = self._open.get()
        if open_ is not None:
            async with self._nested(open_):
                yield
            return
        if not self.sessions:  # the stand-in: no sessions, nothing to undo with
            yield
            return
        async with self._client.start_session() as session:
            async with await session.start_transaction():
                token = self._open.set(_OpenTransaction(session))
                try:
                    yield
                finally:
                    self._open.reset(token)

    @asynccontextmanager
    async def _nested(self, open_: _OpenTransaction) -> AsyncIterator[None]:
        frame: dict[tuple[str, Any], dict[str, Any] | None] = {}
        open_.frames.append(frame)
        try:
            yield
        except BaseException:
            open_.frames.pop()
            await self._restore(open_.session, frame)
            raise
        open_.frames.pop()
        if open_.frames:  # still inside another nested block: it must be able to undo these writes too
            for key, before in frame.items():
                open_.frames[-1].setdefault(key, before)

    async def _restore(self, session: Any, frame: Mapping[tuple[str, Any], dict[str, Any] | None]) -> None:
        try:
            for (name, doc_id), before in reversed(list(frame.items())):
                if before is None:
                    await self._db[name].delete_one({"_id": doc_id}, session=session)
                else:
                    await self._db[name].replace_one({"_id": doc_id}, before, upsert=True, session=session)
        except PyMongoError as error:  # e.g. the server aborted the whole transaction (a duplicate key, a write conflict)
            raise NestedBlockNotUndone("a nested block failed and could not be undone alone: the whole transaction is abandoned") from error

    async def _journal(self, name: str, ids: Iterable[Any]) -> None:
        """Inside a nested block: keep the before-image of documents about to be written, once per block."""
        open_ = self._open.get()
        if open_ is None or not open_.frames:
            return
        frame = open_.frames[-1]
        new = [i for i in dict.fromkeys(ids) if (name, i) not in frame]
        if new:
            found = {d["_id"]: d for d in await self._db[name].find({"_id": {"$in": new}}, session=open_.session).to_list(None)}
            for doc_id in new:
                frame[(name, doc_id)] = found.get(doc_id)

    def _s(self) -> dict[str, Any]:
        """`session=` for an operation inside an open block; nothing outside one (or on the stand-in)."""
        open_ = self._open.get()
        return {"session": open_.session} if open_ is not None else {}

    async def _own_transaction(self, write: Callable[[], Awaitable[None]]) -> None:
        """Run `write` in a transaction of its own unless a block is open (or there are no sessions); retried on write conflicts."""
        if not self.sessions or self._open.get() is not None:
            await write()
            return

        async def attempt(session: Any) -> None:
            token = self._open.set(_OpenTransaction(session, own=True))
            try:
                await write()
            finally:
                self._open.reset(token)

        async with self._client.start_session() as session:
            await session.with_transaction(attempt)

    # -- event store --------------------------------------------------
    async def append(self, stream_id: str, expected_version: int, events: Sequence[Envelope], traceparent: str | None = None,
                     bodies: Sequence[bytes] | None = None) -> None:
        """`bodies` is not used: MongoDB keeps the envelope as a document, not as JSON text."""

        async def write() -> None:
            actual = await self._version(stream_id)
            if actual != expected_version:
                raise ConcurrencyError(stream_id, expected_version, actual)
            await self._insert_events(events, traceparent, stream_id, expected_version)

        await self._own_transaction(write)

    async def append_many(self, appends: Sequence[tuple[str, int, Sequence[Envelope]]], traceparent: str | None = None,
                          bodies: Sequence[Sequence[bytes]] | None = None) -> None:
        """One version query, one position allocation and one insert for all; a duplicate key undoes the insert (`bodies`: see append)."""
        streams = [stream_id for stream_id, _, _ in appends]
        if len(set(streams)) != len(streams):
            raise ValueError("append_many takes each stream at most once")

        async def write() -> None:
            grouped = self._db["events"].aggregate(
                [{"$match": {"stream_id": {"$in": streams}}}, {"$group": {"_id": "$stream_id", "v": {"$max": "$stream_version"}}}], **self._s())
            actual = {row["_id"]: row["v"] for row in await grouped.to_list(None)}
            for stream_id, expected, _ in appends:
                if actual.get(stream_id, 0) != expected:
                    raise ConcurrencyError(stream_id, expected, actual.get(stream_id, 0))
            if appends:
                await self._insert_events([e for _, _, stream in appends for e in stream], traceparent, streams[0], appends[0][1])

        await self._own_transaction(write)

    async def _insert_events(self, events: Sequence[Envelope], traceparent: str | None, stream_id: str, expected: int) -> None:
        """Take positions from the counter and insert; a duplicate key (a racing writer) becomes ConcurrencyError."""
        if not events:
            return
        await self._journal("counters", ["events"])
        rows: list[dict[str, Any]] = []
        try:
            counter = await self._db["counters"].find_one_and_update(
                {"_id": "events"}, {"$inc": {"position": len(events)}}, upsert=True, return_document=ReturnDocument.AFTER, **self._s()
            )
            first = counter["position"] - len(events) + 1
            rows = [{"_id": ObjectId(), "position": first + offset, "stream_id": e.stream_id, "stream_version": e.stream_version, "event_id": str(e.event_id),
                     "traceparent": traceparent, "envelope": e.model_dump(mode="json")} for offset, e in enumerate(events)]
            await self._db["events"].insert_many(rows, ordered=True, **self._s())
        except (DuplicateKeyError, BulkWriteError, OperationFailure) as error:
            open_ = self._open.get()
            if open_ is not None:  # the server aborted the transaction: nothing to take back
                if _transient(error) and open_.own:
                    raise  # with_transaction runs the append again
                if _transient(error) or _is_duplicate(error):
                    raise ConcurrencyError(stream_id, expected) from error
                raise
            if not _is_duplicate(error):
                raise
            # An ordered insert keeps the rows before the failing one: take them back out.
            await self._db["events"].delete_many({"position": {"$in": [r["position"] for r in rows]}})
            raise ConcurrencyError(stream_id, expected, await self._version(stream_id)) from error
        await self._journal_inserted("events", [r["_id"] for r in rows])

    async def _journal_inserted(self, name: str, ids: Sequence[Any]) -> None:
        open_ = self._open.get()
        if open_ is not None and open_.frames:
            for doc_id in ids:
                open_.frames[-1].setdefault((name, doc_id), None)

    async def _version(self, stream_id: str) -> int:
        last = await self._db["events"].find_one({"stream_id": stream_id}, {"stream_version": 1}, sort=[("stream_version", -1)], **self._s())
        return last["stream_version"] if last else 0

    async def load(self, stream_id: str) -> list[Envelope]:
        rows = await self._db["events"].find({"stream_id": stream_id}, **self._s()).sort("stream_version", ASCENDING).to_list(None)
        return [Envelope.model_validate(r["envelope"]) for r in rows]

    async def read_after(self, position: int, limit: int) -> list[StoredEvent]:
        cursor = self._db["events"].find({"position": {"$gt": position}}, **self._s()).sort("position", ASCENDING).limit(limit)
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
        row = await self._db["positions"].find_one({"_id": name}, **self._s())
        return row["position"] if row else 0

    async def set_position(self, name: str, position: int) -> None:
        await self._journal("positions", [name])
        await self._db["positions"].update_one({"_id": name}, {"$set": {"position": position}}, upsert=True, **self._s())

    # -- processed-event ledger ---------------------------------------
    async def unseen(self, consumer: str, event_ids: Iterable[str]) -> set[str]:
        ids = set(event_ids)
        if not ids:
            return set()
        keys = [consumer + _SEP + i for i in ids]
        seen = await self._db["processed"].find({"_id": {"$in": keys}}, {"event_id": 1}, **self._s()).to_list(None)
        return ids - {row["event_id"] for row in seen}

    async def mark(self, consumer: str, event_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(event_ids))
        ops = [UpdateOne({"_id": consumer + _SEP + i}, {"$setOnInsert": {"consumer": consumer, "event_id": i}}, upsert=True) for i in ids]
        if ops:
            await self._journal("processed", [consumer + _SEP + i for i in ids])
            await self._db["processed"].bulk_write(ops, ordered=False, **self._s())

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        return (await self.checkpoints_of([consumer], stream_ids)).get(consumer, {})

    async def checkpoints_of(self, consumers: Iterable[str], stream_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        streams = list(dict.fromkeys(stream_ids))
        keys = [consumer + _SEP + s for consumer in dict.fromkeys(consumers) for s in streams]
        if not keys:
            return {}
        rows = await self._db["checkpoints"].find({"_id": {"$in": keys}}, **self._s()).to_list(None)
        found: dict[str, dict[str, int]] = {}
        for row in rows:  # _id is consumer, separator, stream id
            found.setdefault(row["_id"][: -len(row["stream_id"]) - len(_SEP)], {})[row["stream_id"]] = row["version"]
        return found

    async def advance(self, consumer: str, versions: Mapping[str, int]) -> None:
        ops = [
            UpdateOne({"_id": consumer + _SEP + stream}, {"$max": {"version": version}, "$setOnInsert": {"stream_id": stream}}, upsert=True)
            for stream, version in versions.items()
        ]
        if ops:
            await self._journal("checkpoints", [consumer + _SEP + stream for stream in versions])
            await self._db["checkpoints"].bulk_write(ops, ordered=False, **self._s())

    # -- document store -----------------------------------------------
    def _docs(self, collection: str) -> Any:
        return self._db["doc_" + collection]

    async def get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        return await self._docs(collection).find_one({"_id": doc_id}, {"_id": 0}, **self._s())

    async def put(self, collection: str, doc_id: str, doc: Mapping[str, Any]) -> None:
        await self.bulk_put(collection, {doc_id: doc})

    async def bulk_put(self, collection: str, docs: Mapping[str, Mapping[str, Any]]) -> None:
        ops = [ReplaceOne({"_id": doc_id}, {**_plain(doc), "_id": doc_id}, upsert=True) for doc_id, doc in docs.items()]
        if ops:
            await self._journal("doc_" + collection, list(docs))
            await self._docs(collection).bulk_write(ops, ordered=False, **self._s())

    async def bulk_add(self, collection: str, changes: Mapping[str, Mapping[Path, int]]) -> list[str]:
        """One bulk write: `$inc` on each existing document's paths, then `$unset` of each path that reached 0."""
        indexed = self._indexed.get(collection, ())
        for paths in changes.values():
            for path, amount in paths.items():
                checked_path(path, amount, indexed)
        if not changes:
            return []
        docs = self._docs(collection)
        found = {d["_id"] for d in await docs.find({"_id": {"$in": list(changes)}}, {"_id": 1}, **self._s()).to_list(None)}
        ops: list[Any] = []
        for doc_id in sorted(found):
            fields = {".".join(path): amount for path, amount in changes[doc_id].items() if amount}
            if fields:
                ops.append(UpdateOne({"_id": doc_id}, {"$inc": fields}))
                ops += [UpdateOne({"_id": doc_id, field: 0}, {"$unset": {field: ""}}) for field in fields]
        if ops:
            await self._journal("doc_" + collection, sorted(found))
            await docs.bulk_write(ops, ordered=True, **self._s())
        return sorted(i for i in changes if i not in found)

    async def find(self, collection: str, **where: Any) -> list[dict[str, Any]]:
        query = self._find_query(where)
        if query is None:
            return []
        return await self._docs(collection).find(query, {"_id": 0}, **self._s()).sort("_id", ASCENDING).to_list(None)

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
        return self._docs(collection).find({_field(field): bound}, {"_id": 0}, **self._s()).sort([(field, ASCENDING), ("_id", ASCENDING)]).limit(limit)

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
        await self._journal("doc_" + collection, [doc_id])
        await self._docs(collection).delete_one({"_id": doc_id}, **self._s())

    async def bulk_delete(self, collection: str, doc_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(doc_ids))
        if ids:
            await self._journal("doc_" + collection, ids)
            await self._docs(collection).delete_many({"_id": {"$in": ids}}, **self._s())

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


def _transient(error: Exception) -> bool:
    """A write conflict with another transaction (the server labels it for a retry of the whole transaction)."""
    return isinstance(error, PyMongoError) and error.has_error_label(TRANSIENT)


def _field(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad field name {name!r}")
    return name
