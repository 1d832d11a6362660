"""On open, a SQLite document store made by an older version is brought to this process's declarations.

Steps (each idempotent, run inside the open's transaction by SqliteDocuments._prepare_documents): a table of the older
WITHOUT ROWID form is copied into a rowid table; a declared field's missing column is added and filled from the bodies
(one pass of json_extract); indexes of an older form (json_extract expressions) or of fields no longer declared are
dropped, with the columns of those fields; the indexes as declared are made again. Older databases kept every
collection in one `documents` table; their rows are moved into the per-collection tables.

The events table (`migrate_events`, SqliteStore's open): a store from before events kept their type and schema version
in columns gets them (NULL in old rows, which the relay then reads from the body); one whose events had a UNIQUE index
on event_id is copied once into the table without it (same rows, same positions, the AUTOINCREMENT sequence kept) when
it has at most COPY_ON_OPEN events; a larger one (the copy of a national store's ≈ 230k events took 30-60 s under load,
past a supervisor's health wait) keeps working with its index, and is copied offline, its service stopped:
`python -m services.runtime.sqlite_migrations var/*.sqlite3`.
"""
from __future__ import annotations

import argparse
import logging
import re
import sqlite3
import sys
import time
from pathlib import Path

_NAME = re.compile(r"[A-Za-z0-9_]+")
COPY_ON_OPEN = 20_000  # events: a store with more keeps its event_id index until migrated offline (module docstring)
log = logging.getLogger("tiendo.store")
EVENTS = """CREATE TABLE {name} (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL,
  event_id TEXT NOT NULL, body TEXT NOT NULL, traceparent TEXT,
  event_type TEXT, schema_version INTEGER,
  UNIQUE (stream_id, stream_version))"""
EVENT_COLUMNS = "position, stream_id, stream_version, event_id, body, traceparent, event_type, schema_version"


def migrate_events(db: sqlite3.Connection, copy_limit: int | None = COPY_ON_OPEN) -> None:
    """The events table as SqliteStore's SCHEMA makes it now (module docstring); nothing to do for one made so. A table
    with more than `copy_limit` events (None: any number) keeps its event_id index."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(events)")}
    for name, kind in (("event_type", "TEXT"), ("schema_version", "INTEGER")):
        if name not in columns:
            db.execute(f"ALTER TABLE events ADD COLUMN {name} {kind}")
    if not _unique_on_event_id(db):
        return
    (events,) = db.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()
    if copy_limit is not None and events > copy_limit:
        log.warning("the events table (%d events) keeps its index on event_id; to drop it, stop the service and run "
                    "python -m services.runtime.sqlite_migrations on its file", events)
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        (sequence,) = db.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'events'").fetchone()
        db.execute(EVENTS.format(name="events__copy"))
        db.execute(f"INSERT INTO events__copy ({EVENT_COLUMNS}) SELECT {EVENT_COLUMNS} FROM events ORDER BY position")
        db.execute("DROP TABLE events")
        db.execute("ALTER TABLE events__copy RENAME TO events")
        db.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'", (sequence,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _unique_on_event_id(db: sqlite3.Connection) -> bool:
    return any(unique and [row[2] for row in db.execute(f"PRAGMA index_info('{name}')")] == ["event_id"]
               for _, name, unique, *_ in db.execute("PRAGMA index_list(events)").fetchall())


class SqliteMigrations:
    """Mixed into SqliteDocuments, whose state (`_db`, `_tables`, `_columns`, `_indexed`, `_indexes_made`) and
    `_ensure`/`_columns_of` these steps use."""

    _db: sqlite3.Connection

    def _migrate(self, collection: str) -> None:
        """A declared collection's table as declared: its fields' columns added and filled from the bodies, indexes of an
        older form (json_extract) or of fields no longer declared dropped, and the columns of those fields too; a table of
        the older WITHOUT ROWID form copied into a rowid table first."""
        table, declared = "doc_" + checked_name(collection), self._indexed[collection]
        if table not in self._tables:
            self._ensure(collection)  # new: made as declared
            return
        if "WITHOUT ROWID" in self._db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0].upper():
            self._copy_into_rowid_table(table)
        missing = [field for field in declared if field not in self._columns[table]]
        for field in missing:
            self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column(field)}")
        if missing:
            fill = ", ".join(f"{column(field)} = json_extract(body, '$.{field}')" for field in missing)
            self._db.execute(f"UPDATE {table} SET {fill}")
        prefix = f"ix_{checked_name(collection)}_"
        for name, sql in self._db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)).fetchall():
            if name.startswith(prefix) and (name[len(prefix):] not in declared or "json_extract" in (sql or "")):
                self._db.execute(f"DROP INDEX {name}")
        for field in self._columns_of(table):
            if field not in declared:
                self._db.execute(f"ALTER TABLE {table} DROP COLUMN {column(field)}")
        self._columns[table] = self._columns_of(table)
        self._indexes_made.discard(table)
        self._ensure(collection)

    def _copy_into_rowid_table(self, table: str) -> None:
        """Documents of a WITHOUT ROWID table (the former form) into a rowid table of the same name. There, writing a new
        body rewrites the row in place; in a WITHOUT ROWID table each rewrite of a ~750-byte snapshot moved the whole
        record within the primary key's b-tree: ≈ 3× the CPU per snapshot written at national size (bench/history/national-scale.md)."""
        columns = "".join(f", {column(field)}" for field in self._columns[table])
        self._db.execute(f"CREATE TABLE {table}__copy (id TEXT PRIMARY KEY, body TEXT NOT NULL{columns})")
        self._db.execute(f"INSERT INTO {table}__copy (id, body{columns}) SELECT id, body{columns} FROM {table} ORDER BY id")
        self._db.execute(f"DROP TABLE {table}")  # and its indexes: made again, as declared, after the other steps
        self._db.execute(f"ALTER TABLE {table}__copy RENAME TO {table}")
        self._indexes_made.discard(table)

    def _move_legacy_documents(self) -> None:
        if not self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").fetchone():
            return
        self._db.execute("BEGIN IMMEDIATE")
        for (collection,) in self._db.execute("SELECT DISTINCT collection FROM documents").fetchall():
            table = self._ensure(collection)
            fields = self._columns[table]
            values = "".join(f", json_extract(body, '$.{field}')" for field in fields)
            columns = "".join(f", {column(field)}" for field in fields)
            self._db.execute(f"INSERT OR REPLACE INTO {table} (id, body{columns}) SELECT id, body{values} FROM documents WHERE collection = ?", (collection,))
        self._db.execute("DROP TABLE documents")
        self._db.execute("COMMIT")


def column(field: str) -> str:
    """A declared field's column."""
    return "f_" + field


def checked_name(name: str) -> str:
    """A collection or field name as it may appear in SQL (letters, digits, underscores), else ValueError."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"bad collection or field name {name!r}")
    return name


def main(argv: list[str]) -> int:
    """Offline: each SQLite store's events table into the form without the event_id index, whatever its size. A store
    without an events table (reporting's) is passed over; a missing file or a store in use ends it with a one-line reason."""
    parser = argparse.ArgumentParser(prog="python -m services.runtime.sqlite_migrations",
                                     description="Copy each store's events table into the form without the event_id "
                                                 "index (stop the store's service first).")
    parser.add_argument("paths", nargs="+", metavar="FILE", help="a service's SQLite store, e.g. var/tasks.sqlite3")
    args = parser.parse_args(argv)
    for path in args.paths:
        if not Path(path).is_file():
            print(f"{path}: no such store file", file=sys.stderr)
            return 2
    for path in args.paths:
        started = time.perf_counter()
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, isolation_level=None, timeout=1)
        try:
            if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone():
                print(f"{path}: no events table, nothing to do")
                continue
            migrate_events(db, copy_limit=None)
        except sqlite3.OperationalError as error:
            print(f"{path}: {error} (is its service still running? stop it first)", file=sys.stderr)
            return 1
        finally:
            db.close()
        print(f"{path}: events table as SqliteStore makes it ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
