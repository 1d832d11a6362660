"""The escalation loop on the service's Clock: climb ladders, compose due digests, send pending deliveries.

Woken when news arrives (a missed deadline, a contact, an acknowledgement), else polling. Tests call
`run_once()` after moving a ManualClock; nothing here sleeps on the wall clock to decide what is due.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from services.notify.domain.mailer import Mailer
from services.notify.handlers.climb import climb_items
from services.notify.handlers.dispatch import DispatchConfig, dispatch_digests
from services.notify.handlers.send import SendConfig, SendPass, WebhookPoster, send_pending
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
                 poll_seconds: float) -> None:
        self.rt, self.mailer, self.poster, self.dispatch, self.send, self.poll_seconds = rt, mailer, poster, dispatch, send, poll_seconds
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

    async def run(self) -> None:
        while True:
            self._woken.clear()
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("escalation pass failed; trying again")
            await wait_or_timeout(self._woken, self.poll_seconds)
