"""Reporting's compile loop passes over the plans when the local day changes, not on a timer: an idle day reads no plan."""
from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from services.reporting.entrypoints import autocompile
from services.runtime.clock import ManualClock
from tests.support.polling import eventually


async def test_the_compile_loop_passes_once_a_day_and_again_when_the_day_changes(monkeypatch):
    passes: list[date] = []

    async def compile_closed_periods(store, today):
        passes.append(today)
        return []

    monkeypatch.setattr(autocompile, "compile_closed_periods", compile_closed_periods)
    clock = ManualClock(datetime(2026, 12, 31, 10, 0, tzinfo=timezone.utc))  # 17:00 in Hà Nội
    loops = []
    rt = SimpleNamespace(store=object(), clock=clock, settings=SimpleNamespace(deadline_scan_seconds=0.01), run_loop=loops.append)
    autocompile.register(rt)
    task = asyncio.create_task(loops[0]())
    try:
        async def passed(n):
            return len(passes) >= n

        await eventually(lambda: passed(1), timeout=10, what="the first pass at start")
        ticks = 0
        while ticks < 30:  # 30 ticks of the same day: no further pass (it used to read every plan each minute)
            await asyncio.sleep(0.01)
            ticks += 1
        assert passes == [date(2026, 12, 31)]
        clock.advance(timedelta(hours=8))  # past local midnight: the year's last periods have closed
        await eventually(lambda: passed(2), timeout=10, what="a pass on the new day")
        assert passes == [date(2026, 12, 31), date(2027, 1, 1)]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
