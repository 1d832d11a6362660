"""SQLite bulk_put writes each row with only what changed: a batch mixing unchanged values, a moved value and a new
document answers every indexed query as if each were written whole."""
from __future__ import annotations

from services.runtime.sqlite_store import SqliteStore

INDEXES = {"tasks": ["lead", "attention_on", "open"]}


def _doc(n: int, attention_on: str | None, lead: str = "ca-1", open_: bool = True) -> dict:
    return {"task_id": f"t{n}", "lead": lead, "attention_on": attention_on, "open": open_, "progress": n}


async def test_a_batch_of_unchanged_moved_and_new_documents_is_found_by_each_indexed_field(tmp_path):
    store = SqliteStore(tmp_path / "tasks.sqlite3", INDEXES)
    await store.bulk_put("tasks", {f"t{n}": _doc(n, "2026-12-01") for n in range(3)})
    async with store.transaction():
        await store.bulk_put("tasks", {"t0": {**_doc(0, "2026-12-01"), "progress": 50},  # body only
                                       "t1": _doc(1, "2027-01-01"),  # attention_on moved
                                       "t2": _doc(2, None, open_=False),  # two values moved, one to null
                                       "t3": _doc(3, "2026-12-01", lead="ca-2")})  # new
    assert (await store.get("tasks", "t0"))["progress"] == 50
    assert [d["task_id"] for d in await store.find("tasks", attention_on="2026-12-01")] == ["t0", "t3"]
    assert [d["task_id"] for d in await store.find("tasks", attention_on="2027-01-01")] == ["t1"]
    assert [d["task_id"] for d in await store.find("tasks", open=True)] == ["t0", "t1", "t3"]
    assert [d["task_id"] for d in await store.find("tasks", lead="ca-1")] == ["t0", "t1", "t2"]
    assert [d["task_id"] for d in await store.find_lowest("tasks", "attention_on", 10)] == ["t0", "t3", "t1"]
    columns = store._db.execute("SELECT id, f_lead, f_attention_on, f_open FROM doc_tasks ORDER BY id").fetchall()
    assert columns == [("t0", "ca-1", "2026-12-01", 1), ("t1", "ca-1", "2027-01-01", 1), ("t2", "ca-1", None, 0), ("t3", "ca-2", "2026-12-01", 1)]
    await store.close()


async def test_a_value_of_another_type_is_written_even_when_equal_in_python(tmp_path):
    store = SqliteStore(tmp_path / "tasks.sqlite3", INDEXES)
    await store.bulk_put("tasks", {"t1": _doc(1, "2026-12-01")})
    await store.bulk_put("tasks", {"t1": {**_doc(1, "2026-12-01"), "open": 1.0}})  # 1.0 == 1 in Python, not the same JSON
    assert store._db.execute("SELECT typeof(f_open) FROM doc_tasks").fetchone() == ("real",)
    await store.close()

