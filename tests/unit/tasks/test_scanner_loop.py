"""The deadline scanner's loop looks at the store only when something may have become due: the clock reached the
earliest day of attention, or a task was written in the process; an idle tick only reads the clock."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from services.runtime.clock import ManualClock
from services.tasks.entrypoints import scanner
from tests.support.polling import eventually

START = datetime(2026, 12, 30, 3, 0, tzinfo=timezone.utc)


async def test_the_scanner_looks_when_the_day_comes_or_a_task_is_written_and_not_on_idle_ticks(monkeypatch):
    looks: list[datetime] = []
    clock = ManualClock(START)

    async def scan_deadlines(store, events, clock_):
        looks.append(clock_.now())
        return 0

    async def next_attention_moment(store):
        return START + timedelta(days=1)

    async def index_attention_of_old_snapshots(store):
        return 0

    monkeypatch.setattr(scanner, "scan_deadlines", scan_deadlines)
    monkeypatch.setattr(scanner, "next_attention_moment", next_attention_moment)
    monkeypatch.setattr(scanner, "index_attention_of_old_snapshots", index_attention_of_old_snapshots)
    loops, listeners = [], []
    rt = SimpleNamespace(store=object(), events=object(), clock=clock, settings=SimpleNamespace(deadline_scan_seconds=0.01),
                         run_loop=loops.append, on_append=listeners.append)
    scanner.register(rt)
    task = asyncio.create_task(loops[0]())

    async def looked(n: int) -> bool:
        return len(looks) >= n

    async def idle_ticks(n: int) -> None:
        for _ in range(n):
            await asyncio.sleep(0.01)

    try:
        await eventually(lambda: looked(1), timeout=10, what="the first look at start")
        await idle_ticks(30)
        assert len(looks) == 1  # idle: the clock is read, the store is not (it was looked at every tick)
        for listener in listeners:
            listener()  # a task appended in this process
        await eventually(lambda: looked(2), timeout=10, what="a look after a write")
        await idle_ticks(30)
        assert len(looks) == 2
        clock.advance(timedelta(days=1))  # the earliest day of attention has come
        await eventually(lambda: looked(3), timeout=10, what="a look when the day came")
        assert looks[-1] >= START + timedelta(days=1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
