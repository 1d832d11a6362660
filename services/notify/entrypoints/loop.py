"""The escalation loop on the service's Clock: climb ladders, compose due digests, send pending deliveries.

Woken when news arrives (a missed deadline, a contact, an acknowledgement): a full pass. Between news, a full pass
(which reads every open item) runs once per `scan_seconds` of the service's clock, and pending deliveries (retries)
are looked at every poll. Tests call
`run_once()` after moving a ManualClock; nothing here sleeps on the wall clock to decide what is due.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.notify.domain.mailer import Mailer
from services.notify.handlers.climb import climb_items
from services.notify.handlers.dispatch import DispatchConfig, dispatch_digests
from services.notify.domain.webhook import WebhookPoster
from services.notify.handlers.send import SendConfig, SendPass, send_pending
from services.runtime.clock import wait_or_timeout
from services.runtime.service import ServiceRuntime

log = logging.getLogger("tiendo.notify.loop")


@dataclass
class Pass:
    raised: list[str]
    digests: list[str]
    sent: SendPass


class EscalationLoop:
    def __init__(self, rt: ServiceRuntime, mailer: Mailer, poster: WebhookPoster, dispatch: DispatchConfig, send: SendConfig,
                 poll_seconds: float, scan_seconds: float = 30.0) -> None:
        self.rt, self.mailer, self.poster, self.dispatch, self.send, self.poll_seconds = rt, mailer, poster, dispatch, send, poll_seconds
        self.scan = timedelta(seconds=scan_seconds)
        self._last_full: datetime | None = None
        self._woken = asyncio.Event()
        self._lock = asyncio.Lock()

    def wake(self) -> None:
        self._woken.set()

    async def run_once(self) -> Pass:
        async with self._lock:  # one pass at a time, whoever calls
            raised = await climb_items(self.rt.store, self.rt.events, self.rt.clock)
            digests = await dispatch_digests(self.rt.store, self.rt.clock, self.dispatch)
            sent = await send_pending(self.rt.store, self.rt.events, self.rt.clock, self.mailer, self.poster, self.send)
        if raised or digests or sent.delivered or sent.failed:
            log.info("escalation pass: %d rungs raised, %d digests, %s", len(raised), len(digests), sent)
        return Pass(raised, digests, sent)

    async def run_due(self) -> None:
        now = self.rt.clock.now()
        if self._woken.is_set() or self._last_full is None or not (self._last_full <= now < self._last_full + self.scan):
            self._woken.clear()
            self._last_full = now
            await self.run_once()
        else:
            async with self._lock:
                await send_pending(self.rt.store, self.rt.events, self.rt.clock, self.mailer, self.poster, self.send)

    async def run(self) -> None:
        while True:
            try:
                await self.run_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("escalation pass failed; trying again")
            await wait_or_timeout(self._woken, self.poll_seconds)
