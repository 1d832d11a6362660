"""The relay reads an event's type and schema version from columns written with it; older rows from their body."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from schemas.directory import UnitRegistered
from services.runtime.events import Cause, seal
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
                     ("unit-a", 1, str(old[0].event_id), old_bodies[0]))
    store = SqliteStore(path)
    new, new_bodies = seal("unit-b", 0, [UnitRegistered(unit_id="b", name="Xã B", level="commune")], Cause("plans", "c-2"), NOW)
    await store.append("unit-b", 0, new, bodies=new_bodies)

    read = await store.read_after(0, 10)
    assert [(e.stream_id, e.event_type, e.schema_version) for e in read] == [("unit-a", "UnitRegistered", 1), ("unit-b", "UnitRegistered", 1)]
    assert [e.body.decode() for e in read] == [old_bodies[0], new_bodies[0]]
    columns = store._db.execute("SELECT stream_id, event_type, schema_version FROM events ORDER BY position").fetchall()
    assert columns == [("unit-a", None, None), ("unit-b", "UnitRegistered", 1)]  # written with the event, not parsed back
    await store.close()
