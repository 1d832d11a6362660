"""The relay reads an event's type and schema version from columns written with it; older rows from their body."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from schemas.directory import UnitRegistered
from services.runtime.events import Cause, seal
from services.runtime.ports import JsonDocument
from services.runtime.sqlite_store import SqliteStore

NOW = datetime(2026, 11, 29, 23, 0, tzinfo=timezone.utc)
BEFORE = """CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL,
  event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, traceparent TEXT, UNIQUE (stream_id, stream_version))"""


async def test_a_store_from_before_the_columns_reads_old_rows_from_their_body_and_new_ones_from_the_columns(tmp_path):
    path = tmp_path / "plans.sqlite3"
    old, old_bodies = seal("unit-a", 0, [UnitRegistered(unit_id="a", name="Xã A", level="commune")], Cause("plans", "c-1"), NOW)
    with sqlite3.connect(path) as conn:
        conn.execute(BEFORE)
        conn.execute("INSERT INTO events (stream_id, stream_version, event_id, body) VALUES (?,?,?,?)",
                     ("unit-a", 1, str(old[0].event_id), old_bodies[0].decode()))  # as text, as the code before wrote it
    store = SqliteStore(path)
    new, new_bodies = seal("unit-b", 0, [UnitRegistered(unit_id="b", name="Xã B", level="commune")], Cause("plans", "c-2"), NOW)
    await store.append("unit-b", 0, new, bodies=new_bodies)

    read = await store.read_after(0, 10)
    assert [(e.stream_id, e.event_type, e.schema_version) for e in read] == [("unit-a", "UnitRegistered", 1), ("unit-b", "UnitRegistered", 1)]
    assert [e.body for e in read] == [old_bodies[0], new_bodies[0]]
    columns = store._db.execute("SELECT stream_id, event_type, schema_version FROM events ORDER BY position").fetchall()
    assert columns == [("unit-a", None, None), ("unit-b", "UnitRegistered", 1)]  # written with the event, not parsed back
    await store.close()


async def test_bodies_given_as_bytes_are_kept_as_text_and_read_back_as_the_same_bytes(tmp_path):
    """seal's bytes go into SQLite as TEXT (json_extract and the code before read them) and come back unchanged, for the
    relay (read_after), a stream's load, and a document's body."""
    store = SqliteStore(tmp_path / "tasks.sqlite3", {"tasks": ["lead"]})
    events, bodies = seal("task-t1", 0, [UnitRegistered(unit_id="a", name="Xã Nậm Pồ", level="commune")], Cause("tasks", "c-1"), NOW)
    await store.append("task-t1", 0, events, bodies=bodies)
    await store.bulk_put("tasks", {"t1": JsonDocument({"task_id": "t1", "lead": "Công an xã", "parts": [1, 2]})})
    (read,) = await store.read_after(0, 10)
    assert read.body == bodies[0] and await store.load("task-t1") == events
    assert store._db.execute("SELECT typeof(body), json_extract(body, '$.payload.name') FROM events").fetchone() == ("text", "Xã Nậm Pồ")
    assert store._db.execute("SELECT typeof(body), json_extract(body, '$.lead') FROM doc_tasks").fetchone() == ("text", "Công an xã")
    assert await store.find("tasks", lead="Công an xã") == [{"task_id": "t1", "lead": "Công an xã", "parts": [1, 2]}]
    await store.close()
