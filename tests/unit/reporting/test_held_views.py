"""A rebuild's live views held in memory (held_views.HeldViews) and written once equal the same handlers writing the
store batch by batch: timelines with late entries and trimming, escalations; after the write, batches go to the store."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from services.reporting.bootstrap import INDEXES
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.domain.projection import TASKS
from services.reporting.domain.timeline import TIMELINE_ENTRIES, TIMELINES
from services.reporting.handlers.escalations import follow_escalations
from services.reporting.handlers.timeline import record_timelines
from services.reporting.held_views import HeldViews
from services.runtime.sqlite_store import SqliteStore
from tests.unit.dashboard.live import acknowledged, raised, resolved, started
from tests.unit.reporting.events import assignment, missed, status

DUE = date(2026, 11, 5)
T0 = datetime(2026, 10, 1, tzinfo=timezone.utc)


def _history(rng: random.Random) -> list:
    """Tasks interleaved as on the topics: reports mostly in time order, some late, misses, escalation items."""
    streams = []
    for k in range(6):
        task = f"t{k}"
        events = [assignment(task, "xa-a", DUE, at=T0)]
        for v in range(2, 25):
            at = T0 + timedelta(hours=rng.choice([v, v, v, v - 5, v - 30]))
            events.append(status(task, v, progress=v % 100, at=at) if v % 7 else missed(task, v, DUE, "xa-a"))
        streams.append(events)
        streams.append([started(task, "xa-a", DUE, at=(T0 + timedelta(hours=3)).date()),
                        raised(task, "xa-a", DUE, 1, 2, at=(T0 + timedelta(hours=9)).date()),
                        *([acknowledged(task, DUE, 3, "ca-xa.agency_head", DUE + timedelta(days=3)), resolved(task, DUE, 4, DUE)]
                          if k % 2 else [])])
    merged = []
    queues = [list(s) for s in streams]
    while queues:
        queue = rng.choice(queues)
        merged.append(queue.pop(0))
        if not queue:
            queues.remove(queue)
    return merged


async def _apply(events: list, store, rng: random.Random, keep: int) -> None:
    i = 0
    while i < len(events):
        n = rng.choice([1, 3, 8, 20])
        async with store.transaction():
            await follow_escalations(events[i:i + n], store)
            await record_timelines(events[i:i + n], store, keep=keep)
        i += n


async def _views(store: SqliteStore) -> dict:
    return {c: sorted((await store.find(c)), key=lambda d: (d.get("task_id", ""), d.get("slot", -1), d.get("item_id", "")))
            for c in (TIMELINES, TIMELINE_ENTRIES, ESCALATIONS)}


async def test_live_views_held_in_memory_then_written_equal_those_written_batch_by_batch(tmp_path):
    events = _history(random.Random(5))
    head, tail = events[:-20], events[-20:]
    for keep in (5, 60):
        live = SqliteStore(tmp_path / f"live-{keep}.sqlite3", INDEXES)
        await _apply(events, live, random.Random(1), keep)
        fresh = SqliteStore(tmp_path / f"rebuilt-{keep}.sqlite3", INDEXES)
        held = HeldViews(fresh, INDEXES)
        await _apply(head, held, random.Random(2), keep)
        assert await fresh.find(TIMELINES) == [] and await fresh.find(ESCALATIONS) == []  # nothing written while held
        assert [d["task_id"] for d in await held.find(TIMELINE_ENTRIES, task_id=["t1"])] and await held.get(ESCALATIONS, "t1@2026-11-05")
        async with fresh.bulk_load(), fresh.transaction():
            written = await held.write()
        assert written == sum(len(v) for v in (await _views(fresh)).values())
        await _apply(tail, held, random.Random(3), keep)  # through to the store now
        await _apply(events[:30], held, random.Random(4), keep)  # a redelivery changes nothing
        assert await _views(fresh) == await _views(live)
        assert (await _views(fresh))[TIMELINE_ENTRIES] and len((await _views(fresh))[ESCALATIONS]) == 6
        await live.close()
        await fresh.close()


async def test_documents_put_after_the_write_are_counted_and_reach_the_store(tmp_path):
    store = SqliteStore(tmp_path / "r.sqlite3", INDEXES)
    held = HeldViews(store, INDEXES)
    async with store.transaction():
        await held.write()
        await held.bulk_put(TASKS, {"t9": {"task_id": "t9"}})
    assert held.put_after[TASKS] == {"t9"} and [d["task_id"] for d in await store.find(TASKS)] == ["t9"]
    await store.close()
