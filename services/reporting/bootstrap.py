"""Composition root of reporting: the only place its concrete adapters are built. No relay: reporting writes no events."""
from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI

from services.reporting.dashboard.routes import install as install_dashboard
from services.reporting.entrypoints import autocompile, consumers, http, periods_http
from services.runtime.auth.revocations import track_revocations
from services.runtime.bus import Bus
from services.runtime.clock import Clock, clock_from_setting
from services.runtime.http import build_app
from services.runtime.ports import Store
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store

INDEXES = {"tasks": ["task_id", "unit_id", "plan_id"], "units": ["parent_id", "level", "unit_id"], "agencies": ["unit_id"], "plans": ["unit_id"], "periodic_reports": ["plan_id", "unit_id"], "compiled_reports": ["unit_id"], "counters": ["owner"], "group_counters": ["owner"], "report_counts": ["owner"], "counter_months": ["owner", "month"], "report_months": ["owner", "month"], "escalations": ["unit_id", "item_id"], "timelines": ["task_id"], "timeline_entries": ["task_id"]}  # the fields views and the projection `find` on


def switch_file(store_url: str) -> Path | None:
    """Where a rebuild leaves the switch to its new copy, for a sqlite store: `<file>.switch.json`."""
    return Path(store_url.removeprefix("sqlite:///") + ".switch.json") if store_url.startswith("sqlite:///") else None


def switched(settings: ServiceSettings) -> ServiceSettings:
    """The settings with a rebuild's switch applied: its store and its consumer group (see rebuild.py)."""
    target = switch_file(settings.store_url)
    if target is None or not target.exists():
        return settings
    return settings.model_copy(update=json.loads(target.read_text()))


async def create_app(settings: ServiceSettings, *, clock: Clock | None = None, store: Store | None = None, bus: Bus | None = None) -> FastAPI:
    settings = settings if store is not None else switched(settings)
    store = store or await open_store(settings.store_url, "tiendo_reporting", INDEXES)
    runtime = ServiceRuntime("reporting", settings, store, clock or clock_from_setting(settings.clock), bus)
    progress = consumers.register(runtime, moved=consumers.moved_checkpoints(runtime, store))  # one consumer; a store of two moves to it
    track_revocations(runtime)
    autocompile.register(runtime)
    app = build_app(runtime, [http.router, periods_http.router], title="tiendo reporting")
    install_dashboard(app)
    app.state.projection = progress
    return app
