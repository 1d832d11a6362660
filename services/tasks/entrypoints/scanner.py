"""The deadline scanner loop, driven by the service's clock."""
from __future__ import annotations

import asyncio
import logging

from services.runtime.service import ServiceRuntime
from services.tasks.handlers.scan import scan_deadlines

log = logging.getLogger("tiendo.tasks.scanner")


def register(rt: ServiceRuntime) -> None:
    async def loop() -> None:
        while True:
            try:
                missed = await scan_deadlines(rt.store, rt.events, rt.clock)
                if missed:
                    log.info("deadline scanner: %d DeadlineMissed", missed)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("deadline scan failed; trying again")
            await asyncio.sleep(rt.settings.deadline_scan_seconds)

    rt.run_loop(loop)
