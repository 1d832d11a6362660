"""The deadline scanner: DeadlineMissed once per task and due date, when the clock passes the due date."""
from __future__ import annotations

from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause, new_correlation_id
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store
from services.tasks.domain import task as domain
from services.tasks.domain.task import Task
from services.tasks.handlers.repository import TASKS, decide_and_save


async def scan_deadlines(store: Store, events: EventLog, clock: Clock) -> int:
    today = local_today(clock.now())
    missed = 0
    for doc in await store.find(TASKS, open=True):
        task = Task.from_doc(doc)
        if not domain.miss_deadline(task, today):
            continue
        cause = Cause("tasks.deadline-scanner", new_correlation_id())
        try:
            missed += len(await decide_and_save(store, events, task.task_id, lambda t: domain.miss_deadline(t, today), cause))
        except ConcurrencyError:
            continue  # another writer moved the task on; the next scan looks again
    return missed
