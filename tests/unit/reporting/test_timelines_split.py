"""The offline pass that splits the whole timelines of before (services/reporting/timelines_split.py): every one becomes a
head and entry documents that read exactly as before, a head already split is left alone, a second run splits nothing,
and the live consumer's next change then writes one entry only."""
from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, timedelta, timezone

from services.reporting.bootstrap import INDEXES
from services.reporting.dashboard import queries
from services.reporting.domain.timeline import TIMELINE_ENTRIES, TIMELINES, evolve_timeline
from services.reporting.handlers.timeline import record_timelines, split_whole_timelines
from services.reporting.timelines_split import main
from services.runtime.sqlite_store import SqliteStore
from tests.unit.reporting.events import assignment, missed, status

DUE = date(2026, 12, 31)
T0 = datetime(2026, 10, 1, tzinfo=timezone.utc)


def _stream(task_id: str, reports: int) -> list:
    return [assignment(task_id, "xa-a", DUE, at=T0), *[status(task_id, v, progress=v, at=T0 + timedelta(hours=v)) for v in range(2, reports + 2)]]


def _folded(events: list, task_id: str) -> dict:
    doc = None
    for e in events:
        doc = evolve_timeline(doc, task_id, e)
    return doc


async def _store_of_before(path) -> tuple[SqliteStore, dict[str, list]]:
    """Tasks o0..o4 with whole timelines (the form of before, 1 to 5 entries), n1 written by the live consumer (entry
    documents and no head)."""
    store = SqliteStore(path, INDEXES)
    streams = {f"o{k}": _stream(f"o{k}", k) for k in range(5)}
    for task_id, events in streams.items():
        await store.put(TIMELINES, task_id, _folded(events, task_id))
    streams["n1"] = _stream("n1", 3)
    await record_timelines(streams["n1"], store)
    return store, streams


def test_every_whole_timeline_is_split_into_entries_that_read_as_before_and_a_second_run_splits_nothing(tmp_path):
    async def run():
        store, streams = await _store_of_before(tmp_path / "reporting.sqlite3")
        try:
            before = {t: await queries.timeline(store, t) for t in streams}
            assert all(["entries" in await store.get(TIMELINES, f"o{k}") for k in range(5)])
            assert await split_whole_timelines(store, sorted(streams), batch=2) == 5  # n1 was split already
            for task_id, events in streams.items():
                assert task_id == "n1" or "entries" not in await store.get(TIMELINES, task_id)
                assert await queries.timeline(store, task_id) == before[task_id] == _folded(events, task_id)
                assert len(await store.find(TIMELINE_ENTRIES, task_id=task_id)) == len(events)
            assert await store.get(TIMELINES, "n1") is None
            assert await split_whole_timelines(store, sorted(streams)) == 0
        finally:
            await store.close()

    asyncio.run(run())


def test_after_the_pass_a_quarter_end_miss_writes_one_entry_only(tmp_path):
    async def run():
        store, streams = await _store_of_before(tmp_path / "reporting.sqlite3")
        try:
            await split_whole_timelines(store, sorted(streams))
            entries = {d["slot"]: d for d in await store.find(TIMELINE_ENTRIES, task_id="o4")}
            head = await store.get(TIMELINES, "o4")
            miss = missed("o4", 6, DUE, "xa-a", at=T0 + timedelta(days=92))
            assert await record_timelines([miss], store) == 1
            after = await store.find(TIMELINE_ENTRIES, task_id="o4")
            assert {d["slot"]: d for d in after if "slot" in d} == entries  # the entries split offline are not written again
            assert [d["kind"] for d in after if "slot" not in d] == ["missed"]
            assert await store.get(TIMELINES, "o4") == head
            assert await queries.timeline(store, "o4") == _folded([*streams["o4"], miss], "o4")
        finally:
            await store.close()

    asyncio.run(run())


def test_the_command_splits_a_store_file_and_says_how_many(tmp_path, capsys):
    path = tmp_path / "reporting.sqlite3"

    async def write():
        store, _ = await _store_of_before(path)
        await store.close()

    asyncio.run(write())
    assert main(["--store", f"sqlite:///{path}"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["whole_timelines"], printed["split"]) == (5, 5)
    assert main(["--store", f"sqlite:///{path}"]) == 0
    assert json.loads(capsys.readouterr().out)["split"] == 0
    assert main(["--store", f"sqlite:///{tmp_path / 'missing.sqlite3'}"]) == 2
