"""The escalation loop on the service's Clock: climb ladders, compose due digests, send pending deliveries.

A schedule, not a poll of every item: a full pass runs when news wakes the loop (a missed deadline, a contact, an
acknowledgement) or when the schedule's next moment comes (handlers/schedule.py: the next local midnight, a
recipient's digest timers, a silence boundary); a send runs when a pending delivery's retry moment comes. Between
them the loop sleeps until the earliest moment, looking at the clock every `poll_seconds` (the service clock may
jump: a file clock in demos) and re-reading the schedule (a few index seeks) at least every `scan_seconds`.
Tests call `run_once()` after moving a ManualClock; nothing here sleeps on the wall clock to decide what is due.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime

from services.notify.domain.mailer import Mailer
from services.notify.handlers.climb import climb_items, schedule_old_views
from services.notify.handlers.dispatch import DispatchConfig, dispatch_pass
from services.notify.domain.webhook import WebhookPoster
from services.notify.handlers.reports import start_missing_reports
from services.notify.handlers.schedule import Schedule, read_schedule
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
                 poll_seconds: float, scan_seconds: float = 30.0, news_gap_seconds: float = 0.0) -> None:
        self.rt, self.mailer, self.poster, self.dispatch, self.send = rt, mailer, poster, dispatch, send
        self.poll_seconds, self.scan_seconds = poll_seconds, scan_seconds
        self.news_gap_seconds = news_gap_seconds  # news arriving sooner than this after a pass waits for it (batches of news, one pass)
        self._news = False  # news arrived that no pass has looked at yet
        self._full_mono = float("-inf")  # monotonic time of the last full pass
        self._last_full: datetime | None = None
        self._schedule: Schedule | None = None
        self._read_at = float("-inf")  # monotonic time the schedule was last read
        self._woken = asyncio.Event()
        self._lock = asyncio.Lock()
        self.passes = {"full": 0, "send": 0, "schedule_reads": 0, "items_routed": 0, "recipients_decided": 0}
        self.first_pass: dict[str, float] | None = None  # when the process's first full pass ended, and what it took

    def figures(self) -> dict:
        return {"passes": dict(self.passes), "first_pass": self.first_pass}

    def wake(self) -> None:
        self._woken.set()

    async def run_once(self) -> Pass:
        started, cpu = time.time(), time.process_time()
        async with self._lock:  # one pass at a time, whoever calls
            self._last_full, self._schedule, self._full_mono = self.rt.clock.now(), None, time.monotonic()
            self.passes["full"] += 1
            missing = await start_missing_reports(self.rt.store, self.rt.events, self.rt.clock, self.dispatch.weekends_off)
            await asyncio.sleep(0)  # the store is synchronous: between stages, HTTP, heartbeats and consumers get a turn
            raised = await climb_items(self.rt.store, self.rt.events, self.rt.clock)
            await asyncio.sleep(0)
            # a process's first pass is quiet too when the stored routing state allows it: the news marks, timers and
            # change positions it reads are in the store, written with what they mark (dispatch/quiet.py)
            digests, so_far = await dispatch_pass(self.rt.store, self.rt.clock, self.dispatch)
            self.passes["items_routed"] += so_far.items_routed
            self.passes["recipients_decided"] += len(so_far.routed)
            await asyncio.sleep(0)
            sent = await send_pending(self.rt.store, self.rt.events, self.rt.clock, self.mailer, self.poster, self.send)
        if self.first_pass is None:
            self.first_pass = {"ended_at": time.time(), "wall_s": round(time.time() - started, 3),
                               "cpu_s": round(time.process_time() - cpu, 3)}
        if missing or raised or digests or sent.delivered or sent.failed:
            log.info("escalation pass: %d missing reports, %d rungs raised, %d digests, %s", len(missing), len(raised), len(digests), sent)
        return Pass(raised, digests, sent)

    async def _schedule_now(self) -> Schedule:
        if self._schedule is None or time.monotonic() - self._read_at >= self.scan_seconds:
            self._schedule = await read_schedule(self.rt.store, self._last_full or self.rt.clock.now())
            self._read_at = time.monotonic()
            self.passes["schedule_reads"] += 1
        return self._schedule

    async def run_due(self) -> float:
        """Do what is due now; the seconds to sleep before looking again."""
        now = self.rt.clock.now()
        if self._last_full is None and (count := await schedule_old_views(self.rt.store)):
            log.info("escalation loop: %d older items and deliveries scheduled", count)
        if self._woken.is_set():
            self._woken.clear()
            self._news = True
        settled = time.monotonic() - self._full_mono >= self.news_gap_seconds  # news waits no longer than this (then a group wait)
        if (self._news and settled) or self._last_full is None or now < self._last_full:  # news, first look, clock moved back
            self._news = False
            await self.run_once()
        else:
            schedule = await self._schedule_now()
            if schedule.full_at <= now:
                await self.run_once()
            elif schedule.send_at is not None and schedule.send_at <= now:
                async with self._lock:
                    self.passes["send"] += 1
                    await send_pending(self.rt.store, self.rt.events, self.rt.clock, self.mailer, self.poster, self.send)
                self._schedule = None
        schedule, now = await self._schedule_now(), self.rt.clock.now()
        ahead = (schedule.earliest() - now).total_seconds()
        pause = min(self.poll_seconds, ahead) if ahead > 0 else self.poll_seconds  # a moment already past: look again soon
        if self._news:  # news that waits for the gap
            pause = min(pause, max(0.0, self.news_gap_seconds - (time.monotonic() - self._full_mono)))
        return pause

    async def run(self) -> None:
        while True:
            pause = self.poll_seconds
            try:
                pause = await self.run_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("escalation pass failed; trying again")
            await wait_or_timeout(self._woken, pause)
