"""Composition root of tasks: the only place its concrete adapters are built."""
from __future__ import annotations

from fastapi import FastAPI

from schemas.catalog import TASKS_EVENTS
from services.runtime.auth.revocations import track_revocations
from services.runtime.bus import Bus
from services.runtime.clock import Clock, clock_from_setting
from services.runtime.http import build_app
from services.runtime.ports import Store
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store
from services.tasks.entrypoints import consumers, http, lifecycle_http, periodic_http, scanner

# Every index is written on every snapshot write (one per report): each is here for its queries. task_id: a batch's tasks
# (report, assign); lead, plan_id: GET /tasks; attention_on: the deadline schedule (handlers/scan.py); parent_task_id: the
# units below a task (views.py); unit_id: transfers (with open, filtered on the unit's few rows: `open` has no index of its
# own, it would split the rows in two halves only); waiting_condition: the few tasks waiting on a condition; condition: the
# awaited-condition documents a PlanIssued batch releases (handlers/conditions.py).
INDEXES = {"tasks": ["task_id", "lead", "plan_id", "attention_on", "parent_task_id", "unit_id", "waiting_condition", "condition"],
           "attachments": ["task_id"]}


async def create_app(settings: ServiceSettings, *, clock: Clock | None = None, store: Store | None = None, bus: Bus | None = None) -> FastAPI:
    store = store or await open_store(settings.store_url, "tiendo_tasks", INDEXES)
    runtime = ServiceRuntime("tasks", settings, store, clock or clock_from_setting(settings.clock), bus)
    runtime.relay_to(TASKS_EVENTS)
    consumers.register(runtime)
    track_revocations(runtime)
    scanner.register(runtime)
    periodic_http.register(runtime)
    return build_app(runtime, [http.router, lifecycle_http.router, periodic_http.router], title="tiendo tasks")
