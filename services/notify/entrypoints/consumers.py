"""Kafka entrypoints of notify: the directory (and its reorganisations) and tasks from plans; missed deadlines,
completions and transfers from tasks."""
from __future__ import annotations

from typing import Callable

from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS, Event
from schemas.reports import PeriodicReportSubmitted
from schemas.tasks import DeadlineMissed, StatusReported, TaskCompleted, TaskDeadlineChanged, TaskTransferred
from services.notify.handlers.directory import learn_directory
from services.notify.handlers.intake import resolve_completed, start_items
from services.notify.handlers.reports import record_reports
from services.notify.handlers.transfers import follow_transfers
from services.runtime.service import ServiceRuntime

# what on_task_events' handlers look at: records of other types (TaskAssigned, extensions, waits) are not decoded
ESCALATION_TYPES = [m.__name__ for m in (TaskCompleted, StatusReported, TaskDeadlineChanged, TaskTransferred, PeriodicReportSubmitted,
                                         DeadlineMissed)]


TASK_EVENTS_USED = (DeadlineMissed, TaskCompleted, TaskDeadlineChanged, TaskTransferred, PeriodicReportSubmitted)


def wanted(event: Event) -> bool:
    """The task events notify acts on: a status report only when it names a period (it may resolve that period's item)."""
    return isinstance(event.payload, TASK_EVENTS_USED) or (isinstance(event.payload, StatusReported) and event.payload.period is not None)


def register(rt: ServiceRuntime, on_news: Callable[[], None]) -> None:
    async def on_plan_events(batch: list[Event]) -> None:
        await learn_directory(batch, rt.store)
        on_news()

    async def on_task_events(batch: list[Event]) -> None:
        batch = [e for e in batch if wanted(e)]  # most of tasks' events are status reports notify has no use for
        if not batch:
            return
        await resolve_completed(batch, rt.store, rt.events)
        moved = await follow_transfers(batch, rt.store)
        await record_reports(batch, rt.store, rt.events)
        started = await start_items(batch, rt.store, rt.events, rt.clock, rt.settings.weekends_off)
        if started or moved:  # something to tell someone (a resolved item only drops out of the next digest)
            on_news()

    rt.subscribe_events([PLANS_EVENTS], "notify.directory", on_plan_events)
    rt.subscribe_events([TASKS_EVENTS], "notify.escalations", on_task_events, types=ESCALATION_TYPES)
