"""A live batch adds its counter changes to the stored documents (DocumentStore.bulk_add) instead of reading and
rewriting them: the same documents as before, and as a rebuild."""
from __future__ import annotations

import random
from datetime import timedelta

from services.reporting.bootstrap import INDEXES
from services.reporting.handlers.project import project
from services.reporting.handlers.repository.counters import COUNTERS, GROUP_COUNTERS, MONTHS, REPORT_COUNTS, REPORT_MONTHS, CounterBook
from services.reporting.reading import counts_of
from services.runtime.sqlite_store import SqliteStore
from tests.unit.reporting.events import status
from tests.unit.reporting.test_incremental_equals_rebuilt import build, history, interleave, model


class Calls:
    """The counter collections the store's `names` were called on."""

    def __init__(self, store: SqliteStore, names: tuple[str, ...] = ("get", "find")) -> None:
        self.seen: list[str] = []
        for name in names:
            original = getattr(store, name)

            async def spy(collection, *args, _original=original, **kwargs):
                if collection in (COUNTERS, GROUP_COUNTERS, REPORT_COUNTS, MONTHS, REPORT_MONTHS):
                    self.seen.append(collection)
                return await _original(collection, *args, **kwargs)

            setattr(store, name, spy)


async def test_a_batch_of_status_reports_reads_no_counter_document_writes_only_report_counts_and_equals_a_rebuild(tmp_path):
    directory, tasks = history()
    order = interleave([directory, *tasks], random.Random(3))
    store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
    for start in range(0, len(order), 7):
        await project(order[start:start + 7], store)
    before = (await store.get(REPORT_COUNTS, "total:tinh"))["counts"]["status_reports"]
    counters = {c: await store.find(c) for c in (COUNTERS, GROUP_COUNTERS, MONTHS)}
    reports = [status(f"t{n}", len(tasks[n]) + 1, progress=60, at=tasks[n][0].envelope.occurred_at)
               for n in range(1, 40, 3) if n % 4]  # tasks not blocked (history): a report that moves no other key
    reads, writes = Calls(store), Calls(store, ("bulk_add", "bulk_put"))
    await project(reports, store)
    assert reads.seen == []  # every owner and month document already there: added to, not read
    assert sorted(set(writes.seen)) == [REPORT_COUNTS, REPORT_MONTHS]  # no counter document, no month of the other keys
    assert {c: await store.find(c) for c in (COUNTERS, GROUP_COUNTERS, MONTHS)} == counters
    assert (await store.get(REPORT_COUNTS, "total:tinh"))["counts"]["status_reports"] == before + len(reports)
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


async def test_status_reports_counted_in_the_counter_documents_of_a_store_written_before_are_still_read(tmp_path):
    store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
    await store.put(COUNTERS, "own:xa", {"owner": "own:xa", "counts": {"all": 1, "status_reports": 4}})  # the form before
    await store.put(COUNTERS, "total:xa", {"owner": "total:xa", "counts": {"all": 1, "status_reports": 4}})
    book = CounterBook(store)
    book.memory.parents.update({"xa": None})
    await book.change("own:xa", {"status_reports": 2}, "2026-03-02")
    await book.flush()
    assert (await store.get(COUNTERS, "own:xa"))["counts"] == {"all": 1, "status_reports": 4}  # left where it was
    assert (await store.get(REPORT_COUNTS, "own:xa")) == {"owner": "own:xa", "counts": {"status_reports": 2}}
    assert await counts_of(store, ["own:xa", "total:xa", "agency:ca"]) == {
        "own:xa": {"all": 1, "status_reports": 6}, "total:xa": {"all": 1, "status_reports": 6}, "agency:ca": {}}


async def test_month_documents_built_live_equal_a_rebuilds_exactly_days_that_cancelled_out_included(tmp_path):
    """A day's entry exists in `counter_months` when a change of its other keys was counted that day (one that cancelled
    out too: blocked and unblocked the same day), and in `report_months` when a status report was: batch by batch on
    SQLite as in a rebuild."""
    directory, tasks = history(seed=5)
    for n, stream in enumerate(tasks):
        if n % 7 == 2:  # blocked, then unblocked an hour later
            at = stream[0].envelope.occurred_at + timedelta(hours=1)
            stream += [status(f"t{n}", len(stream) + 1, "blocked", 5, at=at), status(f"t{n}", len(stream) + 2, "in_progress", 6, at=at)]
    order = interleave([directory, *tasks], random.Random(5))
    store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
    for start in range(0, len(order), 4):
        await project(order[start:start + 4], store)
    rebuilt = await build(interleave([*tasks, directory], random.Random(6)), batch=50, in_memory=True)
    days = {(d["owner"], day): counts for d in await store.find(MONTHS) for day, counts in d["days"].items()}
    assert {(o, day) for (o, day), counts in days.items() if counts == {}}  # the cancelled days are there, empty
    for collection in (MONTHS, REPORT_MONTHS):
        assert await store.find(collection) == await rebuilt.find(collection), collection
