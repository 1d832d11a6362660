"""The loop that compiles each period's report when the period closes, driven by the service's clock.

A period closes when the local day passes its deadline, so a pass is needed when the day changes (looked at every
`deadline_scan_seconds`: a clock read, no store read; a file clock moved by a demo is followed within that), and
now and then for plans projected since the last pass (REFRESH_SECONDS). Each pass reads every plan (3,355 at
national size): looking every minute was most of an idle reporting's CPU."""
from __future__ import annotations

import asyncio
import logging
import time

from services.reporting.handlers.autocompile import compile_closed_periods
from services.runtime.clock import local_today
from services.runtime.service import ServiceRuntime

log = logging.getLogger("tiendo.reporting.autocompile")
REFRESH_SECONDS = 600.0  # a plan projected today whose last period has closed gets its report within this
RETRY_SECONDS = 60.0  # after a failed pass


def register(rt: ServiceRuntime) -> None:
    async def loop() -> None:
        passed_on, next_pass = None, 0.0  # the local day of the last pass; when the next one is due regardless
        while True:
            today = local_today(rt.clock.now())
            if today != passed_on or time.monotonic() >= next_pass:
                passed_on = today
                try:
                    done = await compile_closed_periods(rt.store, today)
                    next_pass = time.monotonic() + REFRESH_SECONDS
                    if done:
                        log.info("compiled and froze %d periodic reports: %s", len(done), ", ".join(done))
                except asyncio.CancelledError:
                    raise
                except Exception:
                    next_pass = time.monotonic() + RETRY_SECONDS
                    log.exception("compiling closed periods failed; trying again")
            await asyncio.sleep(rt.settings.deadline_scan_seconds)

    rt.run_loop(loop)
