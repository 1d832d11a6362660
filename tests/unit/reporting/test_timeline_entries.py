"""A task's timeline stored as a small head and one document per entry reads exactly as the whole-list fold
(domain/timeline.evolve_timeline) whatever the batches, late arrivals and trimming; a report appends one entry and
rewrites only the head; a whole timeline stored before is read as it is and split on its next change."""
from __future__ import annotations

import asyncio
import random
from datetime import date, datetime, timedelta, timezone

from services.reporting.bootstrap import INDEXES
from services.reporting.dashboard import queries
from services.reporting.domain.timeline import TIMELINE_ENTRIES, TIMELINES, evolve_timeline
from services.reporting.handlers.timeline import record_timelines
from services.runtime.memory_store import MemoryStore
from services.runtime.sqlite_store import SqliteStore
from tests.unit.dashboard.live import raised, started
from tests.unit.reporting.events import assignment, missed, status

DUE = date(2026, 11, 5)
T0 = datetime(2026, 10, 1, tzinfo=timezone.utc)


def _events(task_id: str, rng: random.Random, reports: int) -> list:
    """A task's stream with times mostly rising, some late (before the newest), some equal, and its escalation item."""
    out = [assignment(task_id, "xa-a", DUE, at=T0)]
    for v in range(2, reports + 2):
        at = T0 + timedelta(hours=rng.choice([v, v, v, v - 5, v - 30, v - 1]))
        out.append(status(task_id, v, progress=v % 100, at=at) if v % 7 else missed(task_id, v, DUE, "xa-a"))
    out.insert(rng.randrange(1, len(out)), started(task_id, "xa-a", DUE, at=(T0 + timedelta(hours=3)).date()))
    out.insert(rng.randrange(1, len(out)), raised(task_id, "xa-a", DUE, 1, 2, at=(T0 + timedelta(hours=9)).date()))
    return out


def _folded(events: list, task_id: str, keep: int) -> dict:
    doc = None
    for e in events:
        doc = evolve_timeline(doc, task_id, e, keep=keep)
    return doc


async def _record_in_batches(store, events: list, rng: random.Random, keep: int) -> None:
    i = 0
    while i < len(events):
        n = rng.choice([1, 2, 5, 17])
        await record_timelines(events[i:i + n], store, keep=keep)
        i += n


async def test_entries_read_as_the_whole_list_fold_with_late_arrivals_trimming_and_redelivery():
    rng = random.Random(11)
    for keep in (4, 9, 60):
        store = MemoryStore()
        streams = {f"t{k}": _events(f"t{k}", rng, 40) for k in range(3)}
        mixed = [e for group in zip(*streams.values()) for e in group]  # tasks interleaved, as on the topics
        await _record_in_batches(store, mixed, rng, keep)
        assert await record_timelines(mixed[:30], store, keep=keep) == 0  # redelivered: nothing changes
        for task_id, events in streams.items():
            expected = _folded(events, task_id, keep)
            got = await queries.timeline(store, task_id)
            assert got == expected
            assert len(got["entries"]) == min(keep, len(got["entries"]) + got["dropped"]) and (keep == 60 or got["dropped"] > 30)
            ats = [e.envelope.occurred_at for e in events]
            assert ats != sorted(ats)  # some arrived after a newer one
            assert len(await store.find(TIMELINE_ENTRIES, task_id=task_id)) == len(expected["entries"])  # dropped ones deleted


async def test_a_report_writes_one_entry_into_the_slot_of_the_one_that_falls_out_and_a_head_without_the_list():
    store = MemoryStore()
    events = [assignment("a1", "xa-a", DUE, at=T0), *[status("a1", v, progress=v, at=T0 + timedelta(hours=v)) for v in range(2, 70)]]
    await record_timelines(events, store)
    head = await store.get(TIMELINES, "a1")
    assert "entries" not in head and len(head["order"]) == 60 and head["dropped"] == 9
    before = {d["slot"]: d for d in await store.find(TIMELINE_ENTRIES, task_id="a1")}
    await record_timelines([status("a1", 70, progress=99, at=T0 + timedelta(hours=70))], store)
    after = {d["slot"]: d for d in await store.find(TIMELINE_ENTRIES, task_id="a1")}
    oldest = head["order"][0]
    assert len(after) == 60 and after[oldest]["progress"] == 99  # the oldest entry's slot now holds the new one
    assert {s: d for s, d in after.items() if s != oldest} == {s: d for s, d in before.items() if s != oldest}  # the rest untouched
    assert (await store.get(TIMELINES, "a1"))["order"] == [*head["order"][1:], oldest]
    assert (await queries.timeline(store, "a1"))["entries"][-1]["progress"] == 99


async def test_a_smaller_keep_than_before_deletes_the_entries_that_fall_out():
    store = MemoryStore()
    events = [assignment("k1", "xa-a", DUE, at=T0), *[status("k1", v, progress=v, at=T0 + timedelta(hours=v)) for v in range(2, 12)]]
    await record_timelines(events[:-1], store, keep=8)
    await record_timelines(events[-1:], store, keep=3)
    newest = _folded(events, "k1", 60)["entries"][-3:]
    assert await queries.timeline(store, "k1") == {"task_id": "k1", "entries": newest, "versions": {"task-k1": 11}, "dropped": 8}
    assert len(await store.find(TIMELINE_ENTRIES, task_id="k1")) == 3


async def test_a_whole_timeline_stored_before_is_read_as_it_is_and_split_on_its_next_change():
    store = MemoryStore()
    events = [assignment("b1", "xa-a", DUE, at=T0), *[status("b1", v, progress=v, at=T0 + timedelta(hours=v)) for v in range(2, 8)]]
    old = _folded(events[:-1], "b1", 5)
    await store.put(TIMELINES, "b1", old)  # the form of before: one document with its entries
    assert await queries.timeline(store, "b1") == old
    late = status("b1", 8, progress=77, at=T0 + timedelta(minutes=90))  # before the newest: goes in its place
    assert await record_timelines([events[-1], late], store, keep=5) == 1
    assert "entries" not in await store.get(TIMELINES, "b1")
    assert await queries.timeline(store, "b1") == _folded([*events, late], "b1", 5)
    assert len(await store.find(TIMELINE_ENTRIES, task_id="b1")) == 5


def test_on_sqlite_the_entries_are_indexed_by_task_and_read_back_the_same(tmp_path):
    rng = random.Random(3)
    events = _events("s1", rng, 80)

    async def run():
        store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
        try:
            await _record_in_batches(store, events, rng, 60)
            assert await queries.timeline(store, "s1") == _folded(events, "s1", 60)
        finally:
            await store.close()

    assert INDEXES["timeline_entries"] == ["task_id"]  # the one query a read makes is on an indexed field
    asyncio.run(run())
