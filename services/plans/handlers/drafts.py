"""Draft plans from documents: import, review and correct, then issue.

A draft is a document in plans' store, not an event: it becomes facts (PlanIssued, TaskAssigned)
only when a person issues it. Import writes the whole draft or nothing.
"""
from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any, Awaitable, Callable

from pydantic import ValidationError

from schemas.plans import IssuePlan, PlannedTask, Timing
from schemas.rejections import Conflict, Invalid, NotFound
from services.plans.domain import from_draft
from services.plans.handlers.repository import AGENCIES, DRAFTS, UNITS, get_draft, issue_plan
from importer import Draft, DraftTask, PlanImportError, import_document
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

PARSE_TIMEOUT_S = 20.0


class ClientGone(Exception):
    """The uploader went away before the document was read: nothing is stored."""


async def import_draft(data: bytes, filename: str, unit_id: str, store: Store, *, gone: Awaitable | None = None,
                       timeout: float = PARSE_TIMEOUT_S, parse: Callable[..., Draft] = import_document) -> dict:
    """Read the document against the directory of the unit and its child units; store the draft.

    Reading runs in a worker thread bounded by `timeout`; when `gone` completes first (the client
    disconnected) the reading is abandoned. Either way nothing is stored. The importer's own caps
    (input size, unpacked size, XML part size, line count) bound how long an abandoned read goes on."""
    if await store.get(UNITS, unit_id) is None:
        raise NotFound(f"no unit with id {unit_id!r}", field="unit_id")
    children = [u["unit_id"] for u in await store.find(UNITS, parent_id=unit_id)]
    agencies = await store.find(AGENCIES, unit_id=[unit_id, *children])
    directory = [(a["agency_id"], a["name"]) for a in agencies]
    reading = asyncio.ensure_future(asyncio.to_thread(parse, data, filename, directory))
    watching = asyncio.ensure_future(gone) if gone is not None else None
    try:
        done, _ = await asyncio.wait({reading, watching} - {None}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if watching is not None:
            watching.cancel()
    if reading not in done:
        reading.cancel()  # the thread finishes on its own; its result is dropped
        if watching is not None and watching in done:
            raise ClientGone("the client disconnected while the document was being read")
        raise Invalid(f"the document took longer than {timeout:g} s to read; refused", field="file")
    try:
        draft = reading.result()
    except PlanImportError as error:
        raise Invalid(error.reason, field="file") from error
    doc = {"draft_id": str(uuid.uuid4()), "unit_id": unit_id, "filename": filename, "status": "draft", "plan_id": None,
           **draft.to_json_dict()}
    await store.put(DRAFTS, doc["draft_id"], doc)
    return doc


async def correct_task(store: Store, draft_id: str, index: int, changes: dict[str, Any]) -> dict:
    """Apply a reviewer's corrections to one task of a draft (only while it is not issued)."""
    doc = await _open_draft(store, draft_id)
    if not 0 <= index < len(doc["tasks"]):
        raise NotFound(f"draft has no task {index}", field="index")
    try:
        task = DraftTask.model_validate({**doc["tasks"][index], **changes})
        Timing.model_validate(task.timing.model_dump())  # dates must be real ISO dates, start not after due
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise Invalid(first["msg"], field=where if where.startswith(tuple(DraftTask.model_fields)) else f"timing.{where}") from error
    doc["tasks"][index] = task.model_dump(mode="json")
    await store.put(DRAFTS, draft_id, doc)
    return doc


async def remove_task(store: Store, draft_id: str, index: int) -> dict:
    doc = await _open_draft(store, draft_id)
    if not 0 <= index < len(doc["tasks"]):
        raise NotFound(f"draft has no task {index}", field="index")
    del doc["tasks"][index]
    await store.put(DRAFTS, draft_id, doc)
    return doc


async def issue_draft(store: Store, events: EventLog, draft_id: str, plan_id: str, title: str | None, cause: Cause) -> dict:
    """Issue the reviewed draft as a plan: every task needs a lead agency from the directory."""
    doc = await _open_draft(store, draft_id)
    draft = Draft.model_validate({k: doc[k] for k in Draft.model_fields})
    parents = doc.get("parents", {})  # confirmed in the cascade, keyed by the task's content
    tasks = [_planned(n, t, plan_id, parents.get(t.content)) for n, t in enumerate(draft.tasks)]
    try:
        day, month = from_draft.issued_on(draft.plan.issued_on)
        command = IssuePlan(plan_id=plan_id, unit_id=doc["unit_id"], number=draft.plan.number,
                            title=title or draft.plan.title or doc["filename"], issued_on=day, issued_period=month,
                            issuer=draft.plan.issuer, references=draft.plan.references, implements=doc.get("implements", []),
                            reporting_schedules=from_draft.schedules(draft.reporting), targets=from_draft.targets(draft.targets),
                            tasks=tasks)
    except ValidationError as error:
        first = error.errors()[0]
        raise Invalid(first["msg"], field=".".join(str(p) for p in first["loc"])) from error
    async with store.transaction():  # the plan and the draft's new status together, or neither
        issued = await issue_plan(command, store, events, cause)
        await store.put(DRAFTS, draft_id, {**doc, "status": "issued", "plan_id": plan_id})
    return issued


def _planned(n: int, task: DraftTask, plan_id: str, parent_task_id: str | None) -> PlannedTask:
    if not task.lead_ids:
        raise Invalid(f"task {task.code} has no lead agency from the directory; set lead_ids", field=f"tasks.{n}.lead_ids")
    lead, *co_leads = task.lead_ids
    support = [a for a in dict.fromkeys([*co_leads, *task.support_ids]) if a != lead]
    try:
        timing = Timing(raw=task.timing.raw, due=task.timing.due, start=task.timing.start,
                        recurring=task.timing.recurring, condition=task.timing.condition)
    except ValidationError as error:
        raise Invalid(error.errors()[0]["msg"], field=f"tasks.{n}.timing") from error
    return PlannedTask(task_id=f"{plan_id}.{n + 1:03d}", code=task.code[:50], content=task.content, lead=lead, support=support,
                       timing=timing, parent_task_id=parent_task_id)


async def _open_draft(store: Store, draft_id: str) -> dict:
    doc = await get_draft(store, draft_id)
    if doc["status"] != "draft":
        raise Conflict(f"draft {draft_id!r} was already issued as plan {doc['plan_id']!r}", field="draft_id")
    return doc
