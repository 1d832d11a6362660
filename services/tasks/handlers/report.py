"""Status reports: one report on a task (the lead's 'done' with its evidence and uploaded attachments), and a batch
from one agency, each item answered on its own, in order.

Fast path: the batch's snapshots are read in one indexed query, each task is decided with the
domain's rule (`report_status`), and every accepted decision is appended at once (one version
check and one insert) with the snapshots written together. A task named by more than one item
of the batch, a 'done' (evidence to check), or a batch that meets another writer
(ConcurrencyError) goes through the slow path instead: item by item, as a single report does
(`report_status`, below). Call it inside the
caller's transaction, so the whole batch commits once.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from schemas.envelope import Envelope
from schemas.rejections import NotFound, Rejected
from schemas.tasks import StatusReport, TaskStatus, TaskStatusReport
from services.runtime.clock import Clock, local_today
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause
from services.runtime.ports import ConcurrencyError, Store
from services.tasks.domain import task as domain
from services.tasks.domain.task import Task, evolve
from services.tasks.handlers.repository import TASKS, decide_and_save, stream_of, uploaded_for


async def report_status(task_id: str, agency_id: str, report: StatusReport, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[Envelope]:
    today = local_today(clock.now())
    uploaded = await uploaded_for(store, task_id) if report.status == TaskStatus.done and report.evidence else {}
    return await decide_and_save(
        store, events, task_id, lambda t: domain.report_status(t, agency_id, report, today, uploaded), cause, report.expected_version
    )


async def report_statuses(items: list[TaskStatusReport], agency_id: str, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[dict]:
    today = local_today(clock.now())
    # slow path: a task named twice, and 'done' (its evidence and uploaded attachments are the single report's to check)
    repeated = {task_id for task_id, n in Counter(i.task_id for i in items).items() if n > 1}
    repeated |= {i.task_id for i in items if i.status == TaskStatus.done}
    tasks = {d["task_id"]: Task.from_doc(d) for d in await store.find(TASKS, task_id=[i.task_id for i in items if i.task_id not in repeated])}
    results: list[dict | None] = [None] * len(items)
    decided: list[tuple[int, Task, list]] = []
    for n, item in enumerate(items):
        task = tasks.get(item.task_id)
        if item.task_id in repeated:
            continue
        try:
            if task is None:
                raise NotFound(f"no task with id {item.task_id!r}", field="task_id")
            if item.expected_version is not None and item.expected_version != task.version:
                raise ConcurrencyError(task.task_id, item.expected_version, task.version)
            decided.append((n, task, domain.report_status(task, agency_id, _report(item), today)))
        except (Rejected, ConcurrencyError) as error:
            results[n] = _refusal(item.task_id, error)
    try:
        appended = await events.append_many([(stream_of(t.task_id), t.version, payloads, cause) for _, t, payloads in decided])
    except ConcurrencyError:  # a snapshot was behind its stream: every decided item goes the slow way
        decided, appended = [], []
    snapshots = {}
    for (n, task, payloads), envelopes in zip(decided, appended):
        for envelope, payload in zip(envelopes, payloads):
            task = evolve(task, envelope, payload)
        snapshots[task.task_id] = task.to_doc()
        results[n] = {"task_id": task.task_id, "status": 201, "version": task.version}
    await store.bulk_put(TASKS, snapshots)
    for n, item in enumerate(items):
        if results[n] is None:
            results[n] = await _report_one(item, agency_id, store, events, clock, cause)
    return results  # type: ignore[return-value]


async def _report_one(item: TaskStatusReport, agency_id: str, store: Store, events: EventLog, clock: Clock, cause: Cause) -> dict:
    try:
        appended = await report_status(item.task_id, agency_id, _report(item), store, events, clock, cause)
        return {"task_id": item.task_id, "status": 201, "version": appended[-1].stream_version}
    except (Rejected, ConcurrencyError) as error:
        return _refusal(item.task_id, error)


def _report(item: TaskStatusReport) -> StatusReport:
    return StatusReport.model_construct(**{k: getattr(item, k) for k in StatusReport.model_fields})  # validated already


def _refusal(task_id: str, error: Exception) -> dict[str, Any]:
    if isinstance(error, ConcurrencyError):
        return {"task_id": task_id, "status": 409, "title": "version conflict", "detail": str(error)}
    assert isinstance(error, Rejected)
    return {"task_id": task_id, "status": error.status, "title": error.title, "detail": error.detail, "field": error.field}
