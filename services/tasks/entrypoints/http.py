"""HTTP API of tasks: agencies report status and read the tasks they lead or support; administrators read every task."""
from __future__ import annotations

import time

from fastapi import APIRouter, Body, Request
from pydantic import Field, TypeAdapter
from typing import Annotated, Any

from schemas.rejections import NotFound
from schemas.tasks import MAX_REPORTS_PER_REQUEST, StatusReport, TaskStatusReport
from services.runtime.auth import Role, require
from services.tasks.entrypoints.deps import Agency, Caused, TaskReader, cause_of, check_task_reader, correlation_id
from services.runtime.http import Runtime, direct, json_body
from services.runtime.problems import problems
from services.tasks.handlers.report import report_status
from services.tasks.handlers.report import report_statuses
from services.tasks.handlers.repository import TASKS

router = APIRouter()
REPORTS_STAGE = "tasks.status reports over HTTP"  # Stages' figures (/ready): requests, reports, their transactions' wall and CPU seconds

# The two ways an agency reports status resolve their own arguments (DirectRoute): an agency's credential first, then the
# X-Correlation-Id header, then the body, each checked as the signature declares it for the document.
REPORT = TypeAdapter(StatusReport)
REPORTS = TypeAdapter(Annotated[list[TaskStatusReport], Field(min_length=1, max_length=MAX_REPORTS_PER_REQUEST)])


async def reporter(request: Request) -> dict[str, Any]:
    principal = await require(request, [Role.agency.value])
    cause = cause_of(principal, correlation_id(request.headers.get("x-correlation-id")))
    return {"agency_id": principal.subject, "rt": request.app.state.runtime, "cause": cause}


async def report_arguments(request: Request) -> dict[str, Any]:
    return {**await reporter(request), "task_id": request.path_params["task_id"], "body": await json_body(request, REPORT)}


async def batch_arguments(request: Request) -> dict[str, Any]:
    return {**await reporter(request), "body": await json_body(request, REPORTS)}


async def post_status(task_id: str, body: StatusReport, agency_id: Agency, rt: Runtime, cause: Caused) -> dict:
    appended = await report_status(task_id, agency_id, body, rt.store, rt.events, rt.clock, cause)
    return {"task_id": task_id, "version": appended[-1].stream_version, "event_ids": [str(e.event_id) for e in appended]}


async def post_status_batch(body: Annotated[list[TaskStatusReport], Body(min_length=1, max_length=MAX_REPORTS_PER_REQUEST)],
                            agency_id: Agency, rt: Runtime, cause: Caused) -> dict:
    """Up to 500 reports of one agency in one request (and at most the service's body limit, 1 MiB by default); each
    item is answered on its own, in order. The batch is committed at once: an invalid item refuses the whole request
    (422 naming it, e.g. `3.progress`) and nothing of it is written; an item refused by the rules (404, 403, 409, 422)
    is answered in `results` and the others are written. Send an `Idempotency-Key` to retry safely."""
    began, cpu = time.monotonic(), time.thread_time()
    async with rt.store.transaction():  # one commit for the batch
        results = await report_statuses(body, agency_id, rt.store, rt.events, rt.clock, cause)
    rt.bus.stages.add(REPORTS_STAGE, requests=1, reports=len(body), decide_commit_s=time.monotonic() - began,
                      decide_commit_cpu_s=time.thread_time() - cpu)
    return {"accepted": sum(r["status"] == 201 for r in results), "results": results}


router.add_api_route("/tasks/{task_id}/status", post_status, methods=["POST"], status_code=201, responses=problems(404, 409),
                     route_class_override=direct(report_arguments))
router.add_api_route("/status-reports", post_status_batch, methods=["POST"], responses=problems(409), route_class_override=direct(batch_arguments))


@router.get("/tasks/{task_id}", responses=problems(404))
async def get_task(task_id: str, rt: Runtime, who: TaskReader) -> dict:
    doc = await rt.store.get(TASKS, task_id)
    if doc is None:
        raise NotFound(f"no task with id {task_id!r}")
    check_task_reader(who, doc)
    return doc


@router.get("/tasks")
async def list_tasks(rt: Runtime, who: TaskReader, lead: str | None = None, plan_id: str | None = None) -> list[dict]:
    """For an agency, only the tasks it leads or supports."""
    where = {k: v for k, v in {"lead": lead, "plan_id": plan_id}.items() if v}
    docs = await rt.store.find(TASKS, **where)
    return [d for d in docs if who.role.value != "agency" or who.subject == d["lead"] or who.subject in d.get("support", [])]
