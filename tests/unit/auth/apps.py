"""The four services' apps built through their composition roots on memory stores, lifespans not started (no broker)."""
from __future__ import annotations

from fastapi import FastAPI

from services.notify.bootstrap import create_app as create_notify
from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.runtime.clock import Clock
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from services.tasks.bootstrap import create_app as create_tasks
from tests.unit.notify.memory_mailer import MemoryMailer

SECRET = "a-unit-test-secret-that-is-long-enough"
SERVICES = ("plans", "tasks", "reporting", "notify")


async def build(name: str, clock: Clock | None = None) -> FastAPI:
    settings = ServiceSettings(environment="test", store_url="memory://", token_secret=SECRET)
    extra = {"mailer": MemoryMailer()} if name == "notify" else {}
    create = {"plans": create_plans, "tasks": create_tasks, "reporting": create_reporting, "notify": create_notify}[name]
    return await create(settings, clock=clock, store=MemoryStore(), **extra)
