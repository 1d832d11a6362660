"""A task's timeline stored as one document per event shown (folded into its head by a trim now and then) reads exactly
as the whole-list fold (domain/timeline.evolve_timeline) whatever the batches, late arrivals, trims and redeliveries; a
report is one insert and reads nothing; the forms of before (a ring of slots, a whole document, a head of kept ids) are read as they are
and folded by their first trim."""
from __future__ import annotations

import asyncio
import random
from datetime import date, datetime, timedelta, timezone

from services.reporting.bootstrap import INDEXES
from services.reporting.dashboard import queries
from services.reporting.domain.timeline import TIMELINE_ENTRIES, TIMELINES, entry_key, evolve_timeline, place_of, trimmed
from services.reporting.handlers.timeline import hold_timelines, record_timelines, write_held_timelines
from services.runtime.memory_store import MemoryStore
from services.runtime.sqlite_store import SqliteStore
from tests.unit.dashboard.live import raised, started
from tests.unit.reporting.events import assignment, missed, status

DUE = date(2026, 11, 5)
T0 = datetime(2026, 10, 1, tzinfo=timezone.utc)


def _events(task_id: str, rng: random.Random, reports: int) -> list:
    """A task's stream with times mostly rising, some late (before the newest), some equal, and its escalation item
    (each stream in version order, as the consumer hands them over)."""
    out = [assignment(task_id, "xa-a", DUE, at=T0)]
    for v in range(2, reports + 2):
        at = T0 + timedelta(hours=rng.choice([v, v, v, v - 5, v - 30, v - 1]))
        out.append(status(task_id, v, progress=v % 100, at=at) if v % 7 else missed(task_id, v, DUE, "xa-a"))
    first = rng.randrange(1, len(out))
    out.insert(first, started(task_id, "xa-a", DUE, at=(T0 + timedelta(hours=3)).date()))
    out.insert(rng.randrange(first + 1, len(out)), raised(task_id, "xa-a", DUE, 1, 2, at=(T0 + timedelta(hours=9)).date()))
    return out


def _folded(events: list, task_id: str, keep: int = 60) -> dict:
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


class Watched(MemoryStore):
    """A MemoryStore that lists the reads and writes made of each collection."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []

    async def get(self, collection, doc_id):
        self.calls.append(("get", collection))
        return await super().get(collection, doc_id)

    async def find(self, collection, **where):
        self.calls.append(("find", collection))
        return await super().find(collection, **where)

    async def bulk_put(self, collection, docs):
        self.calls.append(("bulk_put", collection))
        return await super().bulk_put(collection, docs)

    async def delete(self, collection, doc_id):
        self.calls.append(("delete", collection))
        return await super().delete(collection, doc_id)


async def test_entries_read_as_the_whole_list_fold_with_late_arrivals_trims_and_redelivery():
    rng = random.Random(11)
    for keep in (4, 9, 60):
        store = MemoryStore()
        streams = {f"t{k}": _events(f"t{k}", rng, 40) for k in range(3)}
        mixed = [e for group in zip(*streams.values()) for e in group]  # tasks interleaved, as on the topics
        await _record_in_batches(store, mixed, rng, keep)
        before = {t: await queries.timeline(store, t, keep) for t in streams}
        await record_timelines(mixed[:30], store, keep=keep)  # redelivered, some of them dropped by a trim since
        for task_id, events in streams.items():
            expected = _folded(events, task_id, keep)
            got = await queries.timeline(store, task_id, keep)
            assert got == expected == before[task_id]
            assert len(got["entries"]) == min(keep, len(got["entries"]) + got["dropped"]) and (keep == 60 or got["dropped"] > 30)
            ats = [e.envelope.occurred_at for e in events]
            assert ats != sorted(ats)  # some arrived after a newer one
            stored = await store.find(TIMELINE_ENTRIES, task_id=task_id)
            assert len(stored) <= keep + 2  # trimmed: at most KEEP of its stream and its escalation's since
            if keep < 60:
                assert len((await store.get(TIMELINES, task_id))["entries"]) == keep


async def test_a_rebuild_holds_the_timelines_in_memory_and_writes_one_head_each_that_reads_as_the_stored_ones():
    """A rebuild's hold_timelines over the same batches as record_timelines: the same trims in memory, then one head per
    task (no entry documents) that reads as the store's head and documents do, and takes later events as they do."""
    rng = random.Random(5)
    for keep in (4, 9, 60):
        stored, rebuilt, held = MemoryStore(), MemoryStore(), {}
        streams = {f"t{k}": _events(f"t{k}", rng, 40) for k in range(3)}
        mixed = [e for group in zip(*streams.values()) for e in group]
        at, later = 0, len(mixed) * 3 // 4
        while at < later:
            n = rng.choice([1, 2, 5, 17])
            batch = mixed[at:min(at + n, later)]
            assert hold_timelines(batch, held, keep) == await record_timelines(batch, stored, keep)
            at += len(batch)
        assert all(len(docs) < 2 * keep + 4 for _, docs in held.values())  # trimmed as it went: memory bounded per task
        await write_held_timelines(rebuilt, held, keep)
        assert await rebuilt.find(TIMELINE_ENTRIES) == [] and len(await rebuilt.find(TIMELINES)) == 3
        for task_id in streams:  # each head is what a trim of the stored head and documents makes, to the document
            docs = await stored.find(TIMELINE_ENTRIES, task_id=task_id)
            assert await rebuilt.get(TIMELINES, task_id) == trimmed(task_id, await stored.get(TIMELINES, task_id), docs, keep)[0]
        for store in (stored, rebuilt):
            await _record_in_batches(store, mixed[later:], random.Random(2), keep)  # the rest, to the store
        for task_id, events in streams.items():
            assert await queries.timeline(rebuilt, task_id, keep) == await queries.timeline(stored, task_id, keep) == _folded(events, task_id, keep)


async def test_a_report_is_one_insert_that_reads_nothing_and_every_keep_th_version_trims_its_task():
    store = Watched()
    events = [assignment("a1", "xa-a", DUE, at=T0), *[status("a1", v, progress=v, at=T0 + timedelta(hours=v)) for v in range(2, 70)]]
    await record_timelines(events, store)  # version 60 among them: trimmed once, after the batch's inserts
    head = await store.get(TIMELINES, "a1")
    assert len(head["entries"]) == 60 and head["dropped"] == 9 and head["versions"] == {"task-a1": 69}
    assert await store.find(TIMELINE_ENTRIES, task_id="a1") == []  # folded into the head
    assert await queries.timeline(store, "a1") == _folded(events, "a1")
    store.calls.clear()
    report = status("a1", 70, progress=99, at=T0 + timedelta(hours=70))
    assert await record_timelines([report], store) == 1
    assert store.calls == [("bulk_put", TIMELINE_ENTRIES)]  # no head read or written, no entry read
    assert (await queries.timeline(store, "a1"))["entries"][-1]["progress"] == 99
    more = [status("a1", v, progress=v % 100, at=T0 + timedelta(hours=v)) for v in range(71, 121)]
    store.calls.clear()
    await record_timelines(more, store)  # version 120: the second trim
    assert ("find", TIMELINE_ENTRIES) in store.calls and ("bulk_put", TIMELINES) in store.calls
    assert await store.find(TIMELINE_ENTRIES, task_id="a1") == []
    assert await queries.timeline(store, "a1") == _folded([*events, report, *more], "a1")
    assert (await store.get(TIMELINES, "a1"))["dropped"] == 60


async def test_a_smaller_keep_reads_the_newest_and_its_next_trim_deletes_the_rest():
    store = MemoryStore()
    events = [assignment("k1", "xa-a", DUE, at=T0), *[status("k1", v, progress=v, at=T0 + timedelta(hours=v)) for v in range(2, 13)]]
    await record_timelines(events[:-1], store, keep=8)  # version 8 among them: folded, the newest 8 kept
    assert await store.find(TIMELINE_ENTRIES, task_id="k1") == [] and len((await store.get(TIMELINES, "k1"))["entries"]) == 8
    newest = _folded(events, "k1", 60)["entries"][-3:]
    await record_timelines(events[-1:], store, keep=3)  # version 12: a multiple of 3, so trimmed
    assert await queries.timeline(store, "k1", keep=3) == {"task_id": "k1", "entries": newest, "versions": {"task-k1": 12}, "dropped": 9}
    assert await store.find(TIMELINE_ENTRIES, task_id="k1") == [] and len((await store.get(TIMELINES, "k1"))["entries"]) == 3


async def _ring_of_before(store, events: list, task_id: str, rotate: int) -> dict:
    """The form heads had until this change (the kept national installation's): a head with the slots in order and one
    document per slot, the slots rotated as a ring that wrapped leaves them."""
    whole = _folded(events, task_id)
    n = len(whole["entries"])
    order = [(i + rotate) % n for i in range(n)]
    head = {"task_id": task_id, "versions": whole["versions"], "dropped": whole["dropped"], "order": order,
            "last_at": place_of(whole["entries"][-1])}
    await store.put(TIMELINES, task_id, head)
    await store.bulk_put(TIMELINE_ENTRIES, {entry_key(task_id, s): {**e, "task_id": task_id, "slot": s} for s, e in zip(order, whole["entries"])})
    return whole


async def test_a_ring_of_before_reads_as_it_is_takes_new_entries_beside_it_and_its_first_trim_rewrites_the_head():
    store = MemoryStore()
    events = [assignment("r1", "xa-a", DUE, at=T0), *[status("r1", v, progress=v, at=T0 + timedelta(hours=v)) for v in range(2, 80)]]
    whole = await _ring_of_before(store, events[:70], "r1", rotate=7)
    assert whole["dropped"] == 10
    assert await queries.timeline(store, "r1") == whole
    late = status("r1", 80, progress=77, at=T0 + timedelta(hours=60, minutes=30))  # before the newest: goes in its place
    await record_timelines([*events[70:79], late], store)
    await record_timelines(events[:5], store)  # redelivered events of before: already counted by the head's versions
    assert await queries.timeline(store, "r1") == _folded([*events, late], "r1")
    assert "order" in await store.get(TIMELINES, "r1")  # not trimmed yet: nothing read or rewritten
    rest = [status("r1", v, progress=v % 100, at=T0 + timedelta(hours=v)) for v in range(81, 121)]
    await record_timelines(rest, store)  # version 120: trimmed
    head = await store.get(TIMELINES, "r1")
    assert "order" not in head and len(head["entries"]) == 60 and head["dropped"] == 60
    assert await queries.timeline(store, "r1") == _folded([*events, late, *rest], "r1") == head
    assert await store.find(TIMELINE_ENTRIES, task_id="r1") == []  # the slots of before deleted too


async def test_a_whole_timeline_stored_before_is_read_as_it_is_with_new_entries_and_folded_into_by_its_first_trim():
    store = MemoryStore()
    events = [assignment("b1", "xa-a", DUE, at=T0), *[status("b1", v, progress=v, at=T0 + timedelta(hours=v)) for v in range(2, 11)]]
    old = _folded(events[:6], "b1", 5)
    await store.put(TIMELINES, "b1", old)  # the form of before: one document with its entries
    assert await queries.timeline(store, "b1", 5) == old
    late = status("b1", 7, progress=77, at=T0 + timedelta(minutes=90))  # before the newest kept: goes in its place
    await record_timelines([late], store, keep=5)
    assert await store.get(TIMELINES, "b1") == old  # not rewritten
    assert await queries.timeline(store, "b1", 5) == _folded([*events[:6], late], "b1", 5)
    await record_timelines(events[7:10], store, keep=5)  # version 10: trimmed, the documents folded into the head
    assert await queries.timeline(store, "b1", 5) == _folded([*events[:6], late, *events[7:10]], "b1", 5) == await store.get(TIMELINES, "b1")
    assert await store.find(TIMELINE_ENTRIES, task_id="b1") == []


async def test_a_head_of_kept_ids_of_before_reads_as_it_is_and_its_first_trim_folds_its_documents():
    """The form the offline split of 2026-11-30 wrote (removed since): a head naming its entry documents in `kept`."""
    store = MemoryStore()
    events = [assignment("s1", "xa-a", DUE, at=T0), *[status("s1", v, progress=v % 100, at=T0 + timedelta(hours=v)) for v in range(2, 121)]]
    whole = _folded(events[:30], "s1")
    kept = [entry_key("s1", i) for i in range(len(whole["entries"]))]
    await store.put(TIMELINES, "s1", {"task_id": "s1", "versions": whole["versions"], "dropped": whole["dropped"], "kept": kept})
    await store.bulk_put(TIMELINE_ENTRIES, {k: {**e, "task_id": "s1", "slot": i} for i, (k, e) in enumerate(zip(kept, whole["entries"]))})
    assert await queries.timeline(store, "s1") == whole
    await record_timelines(events[30:59], store)  # version 59: not trimmed yet
    assert "kept" in await store.get(TIMELINES, "s1")
    assert await queries.timeline(store, "s1") == _folded(events[:59], "s1")
    await record_timelines(events[59:], store)  # version 60 and on: trimmed
    head = await store.get(TIMELINES, "s1")
    assert "kept" not in head and await queries.timeline(store, "s1") == _folded(events, "s1") == head
    assert await store.find(TIMELINE_ENTRIES, task_id="s1") == []  # the kept documents deleted too


def test_on_sqlite_the_entries_are_indexed_by_task_and_read_back_the_same(tmp_path):
    rng = random.Random(3)
    events = _events("s1", rng, 200)

    async def run():
        store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
        try:
            await _record_in_batches(store, events, rng, 60)
            await record_timelines(events[:50], store)  # redelivered after their trims
            assert await queries.timeline(store, "s1") == _folded(events, "s1", 60)
        finally:
            await store.close()

    assert INDEXES["timeline_entries"] == ["task_id"]  # the one query a read makes is on an indexed field
    asyncio.run(run())
