"""Composition root of notify: the only place its concrete adapters are built."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from schemas.catalog import NOTIFY_EVENTS
from services.notify.adapters.mailer import SmtpMailer
from services.notify.adapters.webhook import HttpWebhookPoster
from services.notify.domain.calendar import WorkingCalendar
from services.notify.domain.grouping import Timers
from services.notify.domain.mailer import Mailer
from services.notify.entrypoints import consumers, http, http_items
from services.notify.entrypoints.loop import EscalationLoop
from services.notify.handlers.dispatch import DispatchConfig
from services.notify.handlers.repository import INDEXES
from services.notify.domain.webhook import WebhookPoster
from services.notify.handlers.send import SendConfig
from services.notify.settings import NotifySettings
from services.runtime.auth.revocations import track_revocations
from services.runtime.bus import Bus
from services.runtime.clock import Clock, SystemClock, clock_from_setting
from services.runtime.http import build_app
from services.runtime.ports import Store
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store

HOLIDAYS = Path(__file__).parent / "data" / "holidays_vn.json"


def load_calendar(path: Path = HOLIDAYS) -> WorkingCalendar:
    return WorkingCalendar.from_data(json.loads(path.read_text(encoding="utf-8")))


async def create_app(settings: ServiceSettings, *, clock: Clock | None = None, store: Store | None = None, bus: Bus | None = None,
                     mailer: Mailer | None = None, poster: WebhookPoster | None = None, calendar: WorkingCalendar | None = None) -> FastAPI:
    if not isinstance(settings, NotifySettings):
        settings = NotifySettings(**settings.model_dump())
    store = store or await open_store(settings.store_url, "tiendo_notify", INDEXES)
    runtime = ServiceRuntime("notify", settings, store, clock or clock_from_setting(settings.clock), bus)
    runtime.relay_to(NOTIFY_EVENTS)
    mailer = mailer or SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_sender, settings.smtp_timeout_seconds)
    dispatch = DispatchConfig(
        secret=settings.token_secret, public_url=settings.public_url.rstrip("/"), ack_link_days=settings.ack_link_days,
        timers=Timers(timedelta(seconds=settings.group_wait_seconds), timedelta(seconds=settings.group_interval_seconds)),
        calendar=calendar or load_calendar(), weekends_off=settings.weekends_off)
    send = SendConfig(webhook_secret=settings.token_secret, webhook_max_attempts=settings.webhook_max_attempts,
                      retry_base=timedelta(seconds=settings.webhook_retry_base_seconds))
    jumps = not isinstance(runtime.clock, SystemClock)  # a file or manual clock moves by hand: look at it often (no store read)
    loop = EscalationLoop(runtime, mailer, poster or HttpWebhookPoster(settings.webhook_timeout_seconds), dispatch, send,
                          settings.delivery_poll_seconds if jumps else settings.scan_seconds, settings.scan_seconds,
                          settings.news_gap_seconds)
    consumers.register(runtime, on_news=loop.wake)
    track_revocations(runtime)
    runtime.run_loop(loop.run)
    app = build_app(runtime, [http.router, http_items.router], title="tiendo notify")
    app.state.escalation_loop = loop
    return app
