"""Kafka entrypoints of notify: the directory from plans, missed deadlines and completions from tasks."""
from __future__ import annotations

from typing import Callable

from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS, Event
from services.notify.handlers.directory import learn_directory
from services.notify.handlers.escalate import escalate_missed_deadlines, note_completions
from services.runtime.service import ServiceRuntime


def register(rt: ServiceRuntime, on_escalated: Callable[[], None]) -> None:
    async def on_plan_events(batch: list[Event]) -> None:
        await learn_directory(batch, rt.store)

    async def on_task_events(batch: list[Event]) -> None:
        await note_completions(batch, rt.store)
        if await escalate_missed_deadlines(batch, rt.store, rt.events):
            on_escalated()

    rt.bus.subscribe_events([PLANS_EVENTS], rt.group("directory"), "notify.directory", on_plan_events)
    rt.bus.subscribe_events([TASKS_EVENTS], rt.group("escalations"), "notify.escalations", on_task_events)
