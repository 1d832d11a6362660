"""Composition root of notify: the only place its concrete adapters are built."""
from __future__ import annotations

from fastapi import FastAPI

from schemas.catalog import NOTIFY_EVENTS
from services.notify.adapters.mailer import Mailer, SmtpMailer
from services.notify.entrypoints import consumers, http
from services.notify.entrypoints.delivery import DeliveryLoop
from services.notify.handlers.repository import INDEXES
from services.notify.settings import NotifySettings
from services.runtime.auth.revocations import track_revocations
from services.runtime.bus import Bus
from services.runtime.clock import Clock, clock_from_setting
from services.runtime.http import build_app
from services.runtime.ports import Store
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store


async def create_app(settings: ServiceSettings, *, clock: Clock | None = None, store: Store | None = None, bus: Bus | None = None,
                     mailer: Mailer | None = None) -> FastAPI:
    if not isinstance(settings, NotifySettings):
        settings = NotifySettings(**settings.model_dump())
    store = store or await open_store(settings.store_url, "tiendo_notify", INDEXES)
    runtime = ServiceRuntime("notify", settings, store, clock or clock_from_setting(settings.clock), bus)
    runtime.relay_to(NOTIFY_EVENTS)
    mailer = mailer or SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_sender, settings.smtp_timeout_seconds)
    delivery = DeliveryLoop(runtime, mailer, settings.delivery_poll_seconds, settings.escalate_to_unit_head_after_days)
    consumers.register(runtime, on_escalated=delivery.wake)
    track_revocations(runtime)
    runtime.run_loop(delivery.run)
    app = build_app(runtime, [http.router], title="tiendo notify")
    app.state.delivery = delivery
    return app
