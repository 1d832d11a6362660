"""Kafka entrypoints of notify: the directory (and its reorganisations) and tasks from plans; missed deadlines,
completions and transfers from tasks."""
from __future__ import annotations

from typing import Callable

from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS, Event
from schemas.reports import PeriodicReportSubmitted
from schemas.tasks import DeadlineMissed, StatusReported, TaskCompleted, TaskDeadlineChanged, TaskTransferred
from services.notify.handlers.directory import learn_directory
from services.notify.handlers.intake import open_period_items, resolve_completed, start_items
from services.notify.handlers.reports import record_reports
from services.notify.handlers.transfers import follow_transfers
from services.runtime.service import ServiceRuntime
from services.runtime.subscriptions import Headers

# what on_task_events' handlers look at: records of other types (TaskAssigned, extensions, waits) are not decoded
ESCALATION_TYPES = [m.__name__ for m in (TaskCompleted, StatusReported, TaskDeadlineChanged, TaskTransferred, PeriodicReportSubmitted,
                                         DeadlineMissed)]


TASK_EVENTS_USED = (DeadlineMissed, TaskCompleted, TaskDeadlineChanged, TaskTransferred, PeriodicReportSubmitted)
TASK_STREAM = "task-"  # tasks' stream of a task: its prefix and the task id


def wanted(event: Event) -> bool:
    """The task events notify acts on: a status report only when it names a period (it may resolve that period's item)."""
    return isinstance(event.payload, TASK_EVENTS_USED) or (isinstance(event.payload, StatusReported) and event.payload.period is not None)


class TaskEvents:
    """notify's consumer of tasks' events, and what it needs decoded. A status report can change something here only by
    resolving the open item of a missed period of its task, so one on a task that has no such item is passed over by
    its headers, undecoded (`wants`; most reports: tasks keeps them, reporting shows them, notify has no use for them).

    `watched`, the task streams that may have an open period item, is a superset, never less: every stream with an open
    item that names a period when the process read them (`load`, once, at the start, by their index), and every stream
    a DeadlineMissed came on since (its headers seen before the batch is applied, so a miss and a report of one batch
    are both decoded). Until the read is done every record is decoded, as before."""

    def __init__(self, rt: ServiceRuntime, on_news: Callable[[], None]) -> None:
        self.rt, self.on_news = rt, on_news
        self.watched: set[str] | None = None
        self.missed_since: set[str] = set()  # streams with a DeadlineMissed seen while `load` read

    async def load(self) -> None:
        streams = {TASK_STREAM + v["task_id"] for v in await open_period_items(self.rt.store)}
        self.watched = streams | self.missed_since
        self.missed_since = set()

    def wants(self, head: Headers) -> bool:
        """Whether a record of a type this consumer handles is to be decoded, by its headers (`head.claim`: its stream)."""
        if head.event_type == "DeadlineMissed":
            (self.missed_since if self.watched is None else self.watched).add(head.claim[0])
        elif head.event_type == "StatusReported" and self.watched is not None:
            return head.claim[0] in self.watched
        return True

    async def __call__(self, batch: list[Event]) -> None:
        store, events = self.rt.store, self.rt.events
        batch = [e for e in batch if wanted(e)]  # most of tasks' events are status reports notify has no use for
        if not batch:
            return
        moved = await follow_transfers(batch, store)
        # items start before anything resolves them: a miss and the completion, period report or new deadline after it
        # on its stream may come in one batch (the other way round, a task's stream never has them)
        started = await start_items(batch, store, events, self.rt.clock, self.rt.settings.weekends_off)
        await resolve_completed(batch, store, events)
        await record_reports(batch, store, events)
        if started or moved:  # something to tell someone (a resolved item only drops out of the next digest)
            self.on_news()


def register(rt: ServiceRuntime, on_news: Callable[[], None]) -> TaskEvents:
    async def on_plan_events(batch: list[Event]) -> None:
        await learn_directory(batch, rt.store)
        on_news()

    on_task_events = TaskEvents(rt, on_news)
    rt.subscribe_events([PLANS_EVENTS], "notify.directory", on_plan_events)
    rt.subscribe_events([TASKS_EVENTS], "notify.escalations", on_task_events, types=ESCALATION_TYPES)
    rt.run_loop(on_task_events.load)
    return on_task_events
