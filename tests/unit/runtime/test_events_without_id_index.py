"""A store whose events table had a UNIQUE index on event_id opens into the table without it: same rows, same
positions, the sequence kept, and it keeps working (appends, concurrency, the relay's reads)."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from schemas.directory import UnitRegistered
from services.runtime.events import Cause, seal
from services.runtime.ports import ConcurrencyError
from services.runtime.sqlite_store import SqliteStore

NOW = datetime(2026, 11, 30, 4, 30, tzinfo=timezone.utc)
BEFORE = """CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL,
  event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, traceparent TEXT, event_type TEXT, schema_version INTEGER,
  UNIQUE (stream_id, stream_version))"""


def _unit(unit_id: str, version: int):
    return seal(f"unit-{unit_id}", version, [UnitRegistered(unit_id=unit_id, name=f"Xã {unit_id}", level="commune")], Cause("plans", "c"), NOW)


def _indexed_columns(db) -> list[list[str]]:
    return sorted([row[2] for row in db.execute(f"PRAGMA index_info('{name}')")] for _, name, *_ in db.execute("PRAGMA index_list(events)"))


async def test_a_store_with_an_event_id_index_opens_without_it_and_keeps_its_events_positions_and_sequence(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    old, old_bodies = _unit("a", 0)
    with sqlite3.connect(path) as conn:
        conn.execute(BEFORE)
        conn.execute("INSERT INTO events (position, stream_id, stream_version, event_id, body, event_type, schema_version) VALUES (7,?,?,?,?,?,1)",
                     ("unit-a", 1, str(old[0].event_id), old_bodies[0].decode(), "UnitRegistered"))
        conn.execute("UPDATE sqlite_sequence SET seq = 41 WHERE name = 'events'")  # later rows were rolled back or removed
    store = SqliteStore(path)
    assert _indexed_columns(store._db) == [["stream_id", "stream_version"]]
    new, new_bodies = _unit("b", 0)
    await store.append("unit-b", 0, new, bodies=new_bodies)
    read = await store.read_after(0, 10)
    assert [(e.position, e.stream_id, e.body) for e in read] == [(7, "unit-a", old_bodies[0]), (42, "unit-b", new_bodies[0])]
    again, again_bodies = _unit("a", 0)
    with pytest.raises(ConcurrencyError):  # the stream's unique versions still hold
        await store.append("unit-a", 0, again, bodies=again_bodies)
    await store.close()
    reopened = SqliteStore(path)  # a second open finds nothing to do
    assert [e.position for e in await reopened.read_after(0, 10)] == [7, 42]
    await reopened.close()


async def test_a_new_store_has_no_index_on_event_id(tmp_path):
    store = SqliteStore(tmp_path / "new.sqlite3")
    assert _indexed_columns(store._db) == [["stream_id", "stream_version"]]
    await store.close()


async def test_a_large_store_keeps_its_event_id_index_on_open_and_loses_it_offline(tmp_path, monkeypatch):
    from services.runtime import sqlite_migrations

    path = tmp_path / "plans.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(BEFORE)
        for n in range(3):
            envelopes, bodies = _unit(f"u{n}", 0)
            conn.execute("INSERT INTO events (stream_id, stream_version, event_id, body) VALUES (?,?,?,?)",
                         (f"unit-u{n}", 1, str(envelopes[0].event_id), bodies[0]))
    monkeypatch.setattr(sqlite_migrations.migrate_events, "__defaults__", (2,))
    store = SqliteStore(path)
    assert ["event_id"] in _indexed_columns(store._db)  # too large to copy on open: kept, and working
    new, new_bodies = _unit("b", 0)
    await store.append("unit-b", 0, new, bodies=new_bodies)
    await store.close()
    assert sqlite_migrations.main([str(path)]) == 0
    reopened = SqliteStore(path)
    assert _indexed_columns(reopened._db) == [["stream_id", "stream_version"]]
    assert [e.stream_id for e in await reopened.read_after(0, 10)] == ["unit-u0", "unit-u1", "unit-u2", "unit-b"]
    await reopened.close()


def test_the_offline_migration_names_what_it_cannot_do(tmp_path, capsys):
    from services.runtime import sqlite_migrations

    assert sqlite_migrations.main([str(tmp_path / "missing.sqlite3")]) == 2
    assert "missing.sqlite3: no such store file" in capsys.readouterr().err
    assert not (tmp_path / "missing.sqlite3").exists()  # not made by trying
    documents_only = tmp_path / "reporting.sqlite3"
    sqlite3.connect(documents_only).execute("CREATE TABLE doc_units (id TEXT PRIMARY KEY, body TEXT)").connection.commit()
    assert sqlite_migrations.main([str(documents_only)]) == 0
    assert "no events table, nothing to do" in capsys.readouterr().out
