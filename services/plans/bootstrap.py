"""Composition root of plans: the only place its concrete adapters are built."""
from __future__ import annotations


from fastapi import FastAPI

from schemas.catalog import PLANS_EVENTS
from services.plans.contact_handoff import ContactHandoff
from services.plans.entrypoints import accounts_http, cascade_http, credentials_http, drafts_http, http, reorganisation_http
from services.runtime.bus import Bus
from services.runtime.clock import Clock, clock_from_setting
from services.runtime.http import build_app
from services.runtime.ports import Store
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store

INDEXES = {"units": ["parent_id", "level", "unit_id", "code"], "agencies": ["unit_id", "agency_id"], "plans": ["unit_id", "plan_id"], "task_owners": ["task_id"], "drafts": ["unit_id"],
           "credentials": ["subject"]}


async def create_app(settings: ServiceSettings, *, clock: Clock | None = None, store: Store | None = None, bus: Bus | None = None) -> FastAPI:
    store = store or await open_store(settings.store_url, "tiendo_plans", INDEXES)
    runtime = ServiceRuntime("plans", settings, store, clock or clock_from_setting(settings.clock), bus)
    runtime.relay_to(PLANS_EVENTS)
    if getattr(settings, "notify_url", None):  # heads' contacts go to notify's own API, never into an event
        handoff = ContactHandoff(store, settings.notify_url, settings.token_secret)
        runtime.on_append(handoff.wake)
        runtime.run_loop(handoff.run)
    routers = [http.router, drafts_http.router, credentials_http.router, accounts_http.router, cascade_http.router, reorganisation_http.router]
    return build_app(runtime, routers, title="tiendo plans")
