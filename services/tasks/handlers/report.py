"""Status reports: one report on a task (the lead's 'done' with its evidence and uploaded attachments), and a batch
of reports, each item answered on its own, in order.

A batch may mix agencies and causes (the command topic's batch: one ReportStatus per record, each with its own
credential and command id); an HTTP batch is one agency's with one cause. Fast path: the batch's snapshots are read
in one indexed query, each task is decided with the domain's rule (`report_status`), and every accepted decision is
appended at once (one version check and one insert) with the snapshots written together, each made from the
snapshot read (`evolve_doc`: the fields the report changed written again, not all 32). A task named by more than
one item of the batch, a 'done' (evidence to check), or a batch that meets another writer (ConcurrencyError) goes
through the slow path instead: item by item, as a single report does (`report_status`, below). Call it inside the
caller's transaction, so the whole batch commits once.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from schemas.envelope import Envelope
from schemas.rejections import NotFound, Rejected
from schemas.tasks import StatusReport, TaskStatus, TaskStatusReport
from services.runtime.clock import Clock, local_today
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause
from services.runtime.ports import ConcurrencyError, JsonDocument, Store
from services.tasks.domain import task as domain
from services.tasks.domain.task import Task, evolve_doc
from services.tasks.handlers.repository import TASKS, decide_and_save, stream_of, uploaded_for

Refusal = Rejected | ConcurrencyError


@dataclass(frozen=True)
class Reported:
    """One item of a batch: what is reported (validated at the edge), by which agency, and the cause its events carry."""
    report: TaskStatusReport
    agency_id: str
    cause: Cause


async def report_status(task_id: str, agency_id: str, report: StatusReport, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[Envelope]:
    today = local_today(clock.now())
    uploaded = await uploaded_for(store, task_id) if report.status == TaskStatus.done and report.evidence else {}
    return await decide_and_save(
        store, events, task_id, lambda t: domain.report_status(t, agency_id, report, today, uploaded), cause, report.expected_version
    )


async def report_statuses(items: list[TaskStatusReport], agency_id: str, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[dict]:
    """One agency's batch (HTTP): each item's answer, in order."""
    decided = await decide_reports([Reported(item, agency_id, cause) for item in items], store, events, clock)
    return [_answer(item.task_id, outcome) for item, outcome in zip(items, decided)]


async def decide_reports(items: list[Reported], store: Store, events: EventLog, clock: Clock) -> list[list[Envelope] | Refusal]:
    """Each item's appended events, or the refusal that answers it, in order."""
    today = local_today(clock.now())
    # slow path: a task named twice, and 'done' (its evidence and uploaded attachments are the single report's to check)
    repeated = {task_id for task_id, n in Counter(i.report.task_id for i in items).items() if n > 1}
    repeated |= {i.report.task_id for i in items if i.report.status == TaskStatus.done}
    wanted = [i.report.task_id for i in items if i.report.task_id not in repeated]
    docs = {d["task_id"]: d for d in await store.find(TASKS, task_id=wanted)} if wanted else {}
    tasks = {task_id: Task.from_doc(d) for task_id, d in docs.items()}
    outcomes: list[list[Envelope] | Refusal | None] = [None] * len(items)
    decided: list[tuple[int, Task, list]] = []
    for n, item in enumerate(items):
        report = item.report
        if report.task_id in repeated:
            continue
        task = tasks.get(report.task_id)
        try:
            if task is None:
                raise NotFound(f"no task with id {report.task_id!r}", field="task_id")
            if report.expected_version is not None and report.expected_version != task.version:
                raise ConcurrencyError(task.task_id, report.expected_version, task.version)
            decided.append((n, task, domain.report_status(task, item.agency_id, report, today)))  # an item is a StatusReport
        except (Rejected, ConcurrencyError) as error:
            outcomes[n] = error
    try:
        appended = await events.append_many([(stream_of(t.task_id), t.version, payloads, items[n].cause) for n, t, payloads in decided])
    except ConcurrencyError:  # a snapshot was behind its stream: every decided item goes the slow way
        decided, appended = [], []
    snapshots = {}
    for (n, task, payloads), envelopes in zip(decided, appended):
        doc = docs[task.task_id]
        for envelope, payload in zip(envelopes, payloads):
            task, doc = evolve_doc(task, doc, envelope, payload)
        snapshots[task.task_id] = JsonDocument(doc)
        outcomes[n] = envelopes
    if snapshots:
        await store.bulk_put(TASKS, snapshots)
    for n, item in enumerate(items):
        if outcomes[n] is None:
            outcomes[n] = await _report_one(item, store, events, clock)
    return outcomes  # type: ignore[return-value]


async def _report_one(item: Reported, store: Store, events: EventLog, clock: Clock) -> list[Envelope] | Refusal:
    try:
        return await report_status(item.report.task_id, item.agency_id, item.report, store, events, clock, item.cause)
    except (Rejected, ConcurrencyError) as error:
        return error


def _answer(task_id: str, outcome: list[Envelope] | Refusal) -> dict[str, Any]:
    if isinstance(outcome, ConcurrencyError):
        return {"task_id": task_id, "status": 409, "title": "version conflict", "detail": str(outcome)}
    if isinstance(outcome, Rejected):
        return {"task_id": task_id, "status": outcome.status, "title": outcome.title, "detail": outcome.detail, "field": outcome.field}
    return {"task_id": task_id, "status": 201, "version": outcome[-1].stream_version}
