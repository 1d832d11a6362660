"""SQLite adapter of the storage ports (embedded run): stdlib sqlite3, WAL, one file per service."""
from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Iterable, Mapping, Sequence

from schemas.envelope import Envelope
from services.runtime.ports import ConcurrencyError, Indexes, StoredEvent
from services.runtime.sqlite_documents import SqliteDocuments
from services.runtime.sqlite_migrations import EVENTS, migrate_events

# No index on event_id: ids are made by events.seal (random UUIDs) and nothing looks an event up by its id; the unique
# key on (stream_id, stream_version) is what keeps a stream's versions single (optimistic concurrency). A random-UUID
# index cost a b-tree insert on a random page per event (≈ 35-45 µs of CPU at 200k events) and a page more to commit.
SCHEMA = """
{events};
CREATE TABLE IF NOT EXISTS positions (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS processed (consumer TEXT, event_id TEXT, PRIMARY KEY (consumer, event_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (consumer TEXT, stream_id TEXT, version INTEGER NOT NULL, PRIMARY KEY (consumer, stream_id)) WITHOUT ROWID;
""".format(events=EVENTS.format(name="IF NOT EXISTS events"))


# Pages the WAL may hold before a commit copies them into the database (SQLite's default is 1,000). A checkpoint copies
# each page once however often the WAL holds it, so a longer WAL copies fewer: at 201k tasks, a report's 3.57 pages
# written cost 3.2 pages copied with 1,000 and 2.35 with 10,000 (the events' tail, the indexes' inner pages and
# neighbouring snapshots written again before the checkpoint), and the report's CPU fell by 6-10% (bench/history/national-scale.md,
# "P1: tasks' pages per report"). The WAL file then keeps up to ≈ 40 MB; a checkpoint copies ≈ 6,600 pages at once.
WAL_CHECKPOINT_PAGES = 10_000


class SqliteStore(SqliteDocuments):
    """Event store, ledger and document store over one SQLite database.

    Calls run on the event loop's thread: each is a short local disk operation. Inside
    `transaction()` they share one commit, which is how consumers apply a batch at once.
    """

    def __init__(self, path: str | Path, indexes: Indexes | None = None) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
        self._db.executescript(SCHEMA)
        migrate_events(self._db)
        self._depth = 0
        self._prepare_documents(indexes or {})

    # -- transactions -------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """One commit for everything inside; a nested block is a savepoint, undone alone if it fails.

        The connection is shared by the service's coroutines, so a transaction must not await real
        I/O (network, another task): every call inside runs to completion on this thread, and no
        other coroutine's writes can slip in between.
        """
        nested = self._depth > 0
        level = self._depth
        self._db.execute(f"SAVEPOINT s{level}" if nested else "BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            for statement in (f"ROLLBACK TO s{level}", f"RELEASE s{level}") if nested else ("ROLLBACK",):
                self._db.execute(statement)
            raise
        finally:
            self._depth -= 1
        self._finish(level, nested)

    def _finish(self, level: int, nested: bool) -> None:
        if nested:
            self._db.execute(f"RELEASE s{level}")
            return
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error:
            self._db.execute("ROLLBACK")  # never leave the connection inside a failed transaction
            raise

    # -- event store --------------------------------------------------
    async def append(self, stream_id: str, expected_version: int, events: Sequence[Envelope], traceparent: str | None = None,
                     bodies: Sequence[bytes] | None = None) -> None:
        async with self.transaction():
            (actual,) = self._db.execute("SELECT COALESCE(MAX(stream_version), 0) FROM events WHERE stream_id = ?", (stream_id,)).fetchone()
            if actual != expected_version:
                raise ConcurrencyError(stream_id, expected_version, actual)
            try:
                self._db.executemany(INSERT_EVENT, _rows(events, bodies, traceparent))
            except sqlite3.IntegrityError as error:
                raise ConcurrencyError(stream_id, expected_version) from error

    async def append_many(self, appends: Sequence[tuple[str, int, Sequence[Envelope]]], traceparent: str | None = None,
                          bodies: Sequence[Sequence[bytes]] | None = None) -> None:
        """Bulk loads and the deadline scanner: one version check per 500 streams and one insert for all."""
        streams = _distinct_streams(appends)
        async with self.transaction():
            actual: dict[str, int] = {}
            for chunk in _chunks(streams, 500):
                marks = ",".join("?" * len(chunk))
                actual.update(self._db.execute(f"SELECT stream_id, MAX(stream_version) FROM events WHERE stream_id IN ({marks}) GROUP BY stream_id", chunk))
            for stream_id, expected, _ in appends:
                if actual.get(stream_id, 0) != expected:
                    raise ConcurrencyError(stream_id, expected, actual.get(stream_id, 0))
            texts = bodies if bodies is not None else [None] * len(appends)
            rows = [row for (_, _, events), body in zip(appends, texts, strict=True) for row in _rows(events, body, traceparent)]
            try:
                self._db.executemany(INSERT_EVENT, rows)
            except sqlite3.IntegrityError as error:
                raise ConcurrencyError(streams[0], appends[0][1]) from error

    async def load(self, stream_id: str) -> list[Envelope]:
        rows = self._db.execute("SELECT CAST(body AS BLOB) FROM events WHERE stream_id = ? ORDER BY stream_version", (stream_id,))
        return [Envelope.model_validate_json(body) for (body,) in rows]

    async def read_after(self, position: int, limit: int) -> list[StoredEvent]:
        # the relay's headers from the columns: parsing each body twice with json_extract was most of the relay's reading
        rows = self._db.execute(
            "SELECT position, stream_id, stream_version, coalesce(event_type, json_extract(body, '$.event_type')),"
            " coalesce(schema_version, json_extract(body, '$.schema_version')), CAST(body AS BLOB), traceparent"
            " FROM events WHERE position > ? ORDER BY position LIMIT ?", (position, limit))
        return [StoredEvent(pos, stream, version, kind, schema or 1, body, trace) for pos, stream, version, kind, schema, body, trace in rows]

    async def get_position(self, name: str) -> int:
        row = self._db.execute("SELECT position FROM positions WHERE name = ?", (name,)).fetchone()
        return row[0] if row else 0

    async def set_position(self, name: str, position: int) -> None:
        async with self.transaction():
            self._db.execute("INSERT INTO positions (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position", (name, position))

    # -- processed-event ledger ---------------------------------------
    async def unseen(self, consumer: str, event_ids: Iterable[str]) -> set[str]:
        ids = list(event_ids)
        seen: set[str] = set()
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            seen.update(r[0] for r in self._db.execute(f"SELECT event_id FROM processed WHERE consumer = ? AND event_id IN ({marks})", (consumer, *chunk)))
        return set(ids) - seen

    async def mark(self, consumer: str, event_ids: Iterable[str]) -> None:
        async with self.transaction():
            self._db.executemany("INSERT OR IGNORE INTO processed (consumer, event_id) VALUES (?, ?)", [(consumer, i) for i in event_ids])

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        return (await self.checkpoints_of([consumer], stream_ids)).get(consumer, {})

    async def checkpoints_of(self, consumers: Iterable[str], stream_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        names = list(dict.fromkeys(consumers))
        found: dict[str, dict[str, int]] = {}
        for chunk in _chunks(list(dict.fromkeys(stream_ids)), 500):
            query = (f"SELECT consumer, stream_id, version FROM checkpoints WHERE consumer IN ({','.join('?' * len(names))})"
                     f" AND stream_id IN ({','.join('?' * len(chunk))})")
            for consumer, stream, version in self._db.execute(query, (*names, *chunk)):
                found.setdefault(consumer, {})[stream] = version
        return found

    async def advance(self, consumer: str, versions: Mapping[str, int]) -> None:
        async with self.transaction():
            self._db.executemany(
                "INSERT INTO checkpoints (consumer, stream_id, version) VALUES (?, ?, ?)"
                " ON CONFLICT(consumer, stream_id) DO UPDATE SET version = max(version, excluded.version)",
                [(consumer, stream, version) for stream, version in versions.items()],
            )

    # -- document store: SqliteDocuments (one table per collection, indexed fields) --

    async def close(self) -> None:
        self._db.close()


# The body arrives as events.seal's bytes and is kept as TEXT (CAST: no str made between); the relay reads it back as
# bytes (CAST(body AS BLOB) in read_after), which it publishes as they are.
INSERT_EVENT = "INSERT INTO events (stream_id, stream_version, event_id, body, traceparent, event_type, schema_version) VALUES (?,?,?,CAST(? AS TEXT),?,?,?)"


def _rows(events: Sequence[Envelope], bodies: Sequence[bytes] | None, traceparent: str | None) -> list[tuple]:
    """Event rows; the JSON as events.seal made it when given (one serialisation per event), else made here."""
    texts = bodies if bodies is not None else [e.model_dump_json() for e in events]
    return [(e.stream_id, e.stream_version, str(e.event_id), body, traceparent, e.event_type, e.schema_version)
            for e, body in zip(events, texts, strict=True)]


def _distinct_streams(appends: Sequence[tuple[str, int, Sequence[Envelope]]]) -> list[str]:
    streams = [stream_id for stream_id, _, _ in appends]
    if len(set(streams)) != len(streams):
        raise ValueError("append_many takes each stream at most once")
    return streams


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
