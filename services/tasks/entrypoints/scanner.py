"""The deadline scanner loop: decides what is due, then waits for the next day of attention.

It looks at the store (an indexed range query) only when something may have become due: the clock reached the
earliest day of attention it last read, or a task was written in this process (an append wakes it: a task may be
assigned or reported with a day already past), or REFRESH_SECONDS passed (a writer it does not hear: another instance
on a shared store). In between, every `deadline_scan_seconds` it only reads the clock, which may jump (a file clock in
demos and tests): an idle system costs a clock read a second.
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

from services.runtime.service import ServiceRuntime
from services.tasks.handlers.scan import index_attention_of_old_snapshots, next_attention_moment, scan_deadlines

log = logging.getLogger("tiendo.tasks.scanner")
REFRESH_SECONDS = 60.0


def register(rt: ServiceRuntime) -> None:
    written = asyncio.Event()
    rt.on_append(written.set)

    async def loop() -> None:
        backfilled = False
        moment: datetime | None = None  # the earliest moment any task needs attention, as last read
        look_again = 0.0  # monotonic time of the next look whatever happens
        while True:
            try:
                if not backfilled:
                    if count := await index_attention_of_old_snapshots(rt.store):
                        log.info("deadline scanner: %d older task snapshots scheduled", count)
                    backfilled = True
                if written.is_set() or time.monotonic() >= look_again or (moment is not None and rt.clock.now() >= moment):
                    written.clear()  # before reading: a write during the scan is looked at on the next tick
                    missed = await scan_deadlines(rt.store, rt.events, rt.clock)
                    if missed:
                        log.info("deadline scanner: %d DeadlineMissed", missed)
                    moment = await next_attention_moment(rt.store)
                    look_again = time.monotonic() + REFRESH_SECONDS
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("deadline scan failed; trying again")
                moment, look_again = None, time.monotonic() + rt.settings.deadline_scan_seconds
            await asyncio.sleep(rt.settings.deadline_scan_seconds)

    rt.run_loop(loop)
