"""SQLite copies the WAL into the database only once it holds WAL_CHECKPOINT_PAGES pages (not SQLite's 1,000): a
longer WAL copies each page once however often it was written meanwhile (bench/history/national-scale.md, tasks-pages)."""
from __future__ import annotations

from services.runtime.sqlite_store import WAL_CHECKPOINT_PAGES, SqliteStore


def _wal_index(path) -> tuple[int, int]:
    """(frames in the WAL, frames already copied into the database), from the -shm file's header (native order)."""
    header = (path.parent / (path.name + "-shm")).read_bytes()[:100]
    return int.from_bytes(header[16:20], "little"), int.from_bytes(header[96:100], "little")


async def test_a_commit_of_more_than_a_thousand_pages_leaves_them_in_the_wal(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    store = SqliteStore(path, {})
    assert WAL_CHECKPOINT_PAGES >= 10_000
    async with store.transaction():
        await store.bulk_put("pages", {f"d{n:05d}": {"text": f"{n:05d}" * 700} for n in range(1_500)})  # ≈ a page each
    frames, copied = _wal_index(path)
    assert frames > 1_500 and copied == 0  # with SQLite's default the commit would have copied them all
    store._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    assert _wal_index(path) == (frames, frames)  # the header read is the one SQLite keeps
    await store.close()
