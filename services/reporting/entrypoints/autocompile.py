"""The loop that compiles each period's report when the period closes, driven by the service's clock."""
from __future__ import annotations

import asyncio
import logging

from services.reporting.handlers.autocompile import compile_closed_periods
from services.runtime.clock import local_today
from services.runtime.service import ServiceRuntime

log = logging.getLogger("tiendo.reporting.autocompile")


def register(rt: ServiceRuntime) -> None:
    async def loop() -> None:
        while True:
            try:
                done = await compile_closed_periods(rt.store, local_today(rt.clock.now()))
                if done:
                    log.info("compiled and froze %d periodic reports: %s", len(done), ", ".join(done))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("compiling closed periods failed; trying again")
            # each look reads every plan (3,355 at national size: about half of an idle reporting's CPU when it looked
            # every 10 s); a monthly or longer report compiled within a minute of its period's close is soon enough
            await asyncio.sleep(max(rt.settings.deadline_scan_seconds, 1.0) * 60)

    rt.run_loop(loop)
