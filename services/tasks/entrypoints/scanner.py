"""The deadline scanner loop: decides what is due, then sleeps until the next day of attention.

The sleep is capped at `deadline_scan_seconds` because the service's clock may jump (a file
clock in demos and tests) and a task may be assigned with a day already past; each of those
wake-ups is one indexed range query that finds nothing, so an idle system costs almost nothing.
"""
from __future__ import annotations

import asyncio
import logging

from services.runtime.service import ServiceRuntime
from services.tasks.handlers.scan import index_attention_of_old_snapshots, next_attention_moment, scan_deadlines

log = logging.getLogger("tiendo.tasks.scanner")


def register(rt: ServiceRuntime) -> None:
    async def loop() -> None:
        backfilled = False
        while True:
            pause = rt.settings.deadline_scan_seconds
            try:
                if not backfilled:
                    if count := await index_attention_of_old_snapshots(rt.store):
                        log.info("deadline scanner: %d older task snapshots scheduled", count)
                    backfilled = True
                missed = await scan_deadlines(rt.store, rt.events, rt.clock)
                if missed:
                    log.info("deadline scanner: %d DeadlineMissed", missed)
                moment = await next_attention_moment(rt.store)
                if moment is not None and moment > rt.clock.now():  # (not after: left undecided, see scan_deadlines)
                    pause = min(pause, (moment - rt.clock.now()).total_seconds())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("deadline scan failed; trying again")
            await asyncio.sleep(pause)

    rt.run_loop(loop)
