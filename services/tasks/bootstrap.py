"""Composition root of tasks: the only place its concrete adapters are built."""
from __future__ import annotations

from fastapi import FastAPI

from schemas.catalog import TASKS_EVENTS
from services.runtime.bus import Bus
from services.runtime.clock import Clock, clock_from_setting
from services.runtime.http import build_app
from services.runtime.ports import Store
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store
from services.tasks.entrypoints import consumers, http, lifecycle_http, scanner

INDEXES = {"tasks": ["task_id", "lead", "plan_id", "open", "parent_task_id", "unit_id", "waiting_condition"], "attachments": ["task_id"]}


async def create_app(settings: ServiceSettings, *, clock: Clock | None = None, store: Store | None = None, bus: Bus | None = None) -> FastAPI:
    store = store or await open_store(settings.store_url, "tiendo_tasks", INDEXES)
    runtime = ServiceRuntime("tasks", settings, store, clock or clock_from_setting(settings.clock), bus)
    runtime.relay_to(TASKS_EVENTS)
    consumers.register(runtime)
    scanner.register(runtime)
    return build_app(runtime, [http.router, lifecycle_http.router], title="tiendo tasks")
