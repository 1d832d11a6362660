"""Composition root of plans: the only place its concrete adapters are built."""
from __future__ import annotations

import gc

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


# A bulk issue keeps ≈ 20 objects per task alive until it commits (payloads, envelopes, views): with the default young
# generation of 700 objects the collector walked them again and again, a fifth to a quarter of the request's CPU
# (bench/national_dataset.py --in-process, same run: 4,436 tasks per CPU s with the default, 5,985 with this, 6,399 with
# no collection at all). Collections still run, every 50,000 allocations; cycles are rare in plans' objects.
YOUNG_GENERATION = 50_000


def tune_collector() -> None:
    """For plans' process (its entry point, and the in-process bench that stands for it): the start-up's objects out of
    every collection (gc.freeze), and a larger young generation."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION, 20, 20)


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
