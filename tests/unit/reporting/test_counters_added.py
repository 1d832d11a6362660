"""A live batch adds its counter changes to the stored documents (DocumentStore.bulk_add) instead of reading and
rewriting them: the same documents as before, and as a rebuild."""
from __future__ import annotations

import random

from services.reporting.bootstrap import INDEXES
from services.reporting.handlers.project import project
from services.reporting.handlers.repository.counters import COUNTERS, GROUP_COUNTERS, MONTHS, CounterBook
from services.runtime.sqlite_store import SqliteStore
from tests.unit.reporting.events import status
from tests.unit.reporting.test_incremental_equals_rebuilt import build, history, interleave, model


class Reads:
    """Counts the store's reads of the counter collections."""

    def __init__(self, store: SqliteStore) -> None:
        self.seen: list[str] = []
        for name in ("get", "find"):
            original = getattr(store, name)

            async def spy(collection, *args, _original=original, **kwargs):
                if collection in (COUNTERS, GROUP_COUNTERS, MONTHS):
                    self.seen.append(collection)
                return await _original(collection, *args, **kwargs)

            setattr(store, name, spy)


async def test_a_batch_of_status_reports_reads_no_counter_document_and_equals_a_rebuild(tmp_path):
    directory, tasks = history()
    order = interleave([directory, *tasks], random.Random(3))
    store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
    for start in range(0, len(order), 7):
        await project(order[start:start + 7], store)
    before = (await store.get(COUNTERS, "total:tinh"))["counts"]["status_reports"]
    reports = [status(f"t{n}", len(tasks[n]) + 1, progress=60, at=tasks[n][0].envelope.occurred_at) for n in range(1, 40, 3)]
    reads = Reads(store)
    await project(reports, store)
    assert reads.seen == []  # every owner and month document already there: added to, not read
    assert (await store.get(COUNTERS, "total:tinh"))["counts"]["status_reports"] == before + len(reports)
    rebuilt = await build(interleave([*tasks, directory], random.Random(2)) + reports, batch=50, in_memory=True)
    assert await model(store) == await model(rebuilt)


async def test_new_owners_keys_bulk_add_cannot_address_and_cancelled_days_are_written_whole(tmp_path):
    store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
    await store.put(COUNTERS, "own:xa", {"owner": "own:xa", "counts": {"all": 1}})
    await store.put(MONTHS, "own:xa@2026-03", {"owner": "own:xa", "month": "2026-03", "days": {"2026-03-01": {"all": 1}}})
    book = CounterBook(store)
    book.memory.parents.update({"xa": None, "xb": None})
    await book.change("own:xa", {"exp|dates~6-14.12-14": 1, "all": 1}, "2026-03-02")  # a key with a dot
    await book.change("own:xb", {"all": 2}, "2026-03-02")  # no documents yet
    await book.change("own:xa", {"blocked": 1}, "2026-03-03")
    await book.change("own:xa", {"blocked": -1}, "2026-03-03")  # cancels out within the batch
    await book.flush()
    assert await store.get(COUNTERS, "own:xa") == {"owner": "own:xa", "counts": {"all": 2, "exp|dates~6-14.12-14": 1}}
    assert await store.get(COUNTERS, "own:xb") == {"owner": "own:xb", "counts": {"all": 2}}
    assert await store.get(COUNTERS, "total:xb") == {"owner": "total:xb", "counts": {"all": 2}}
    assert await store.get(MONTHS, "own:xa@2026-03") == {"owner": "own:xa", "month": "2026-03", "days": {
        "2026-03-01": {"all": 1}, "2026-03-02": {"exp|dates~6-14.12-14": 1, "all": 1}, "2026-03-03": {}}}
    assert await store.get(MONTHS, "own:xb@2026-03") == {"owner": "own:xb", "month": "2026-03", "days": {"2026-03-02": {"all": 2}}}
