"""The delivery loop: climbs due ladders and delivers pending steps; woken on news, else polling."""
from __future__ import annotations

import asyncio
import logging

from services.notify.adapters.mailer import Mailer
from services.notify.handlers.deliver import deliver_pending
from services.notify.handlers.ladder import climb_ladders
from services.runtime.clock import wait_or_timeout
from services.runtime.service import ServiceRuntime

log = logging.getLogger("tiendo.notify.delivery")


class DeliveryLoop:
    def __init__(self, rt: ServiceRuntime, mailer: Mailer, poll_seconds: float, after_days: int) -> None:
        self.rt, self.mailer, self.poll_seconds, self.after_days = rt, mailer, poll_seconds, after_days
        self._woken = asyncio.Event()

    def wake(self) -> None:
        self._woken.set()

    async def run_once(self) -> None:
        climbed = await climb_ladders(self.rt.store, self.rt.events, self.rt.clock, self.after_days)
        if climbed:
            log.info("escalated to unit heads: %s", climbed)
        outcome = await deliver_pending(self.rt.store, self.rt.events, self.mailer, self.rt.clock)
        if outcome.delivered or outcome.failed:
            log.info("delivery pass: %s", outcome)

    async def run(self) -> None:
        while True:
            self._woken.clear()
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery pass failed; trying again")
            await wait_or_timeout(self._woken, self.poll_seconds)
