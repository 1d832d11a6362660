"""HTTP API of a task's life cycle: conditions met, requests for more time, waits on coordinating agencies,
evidence attachments, and the tasks below a task (the cascade)."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from schemas.rejections import Invalid
from schemas.tasks import MAX_ATTACHMENT_BYTES
from services.runtime.clock import local_today
from services.runtime.http import Runtime
from services.tasks import views
from services.tasks.entrypoints.deps import Caused, Lead, StandingBody, TaskReader, check_task_reader
from services.runtime.auth import allow
from services.runtime.problems import problems
from services.tasks.handlers import attachments, conditions, lifecycle

router = APIRouter(prefix="/tasks/{task_id}", tags=["life cycle"])
CascadeReader = allow("agency", "viewer", "standing_body", "administrator")  # figures per unit, no personal data


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConditionDeclared(Strict):
    met_on: date | None = Field(default=None, description="the day the condition was met; today when absent")
    document: str | None = Field(default=None, min_length=1, max_length=300, description='what met it: "Chỉ thị số 05/CT-UBND"')


class ExtensionRequest(Strict):
    request_id: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    reason: str = Field(min_length=1, max_length=4000)
    proposed_due: date


class ExtensionDecision(Strict):
    approve: bool
    reason: str = Field(default="", max_length=4000)


class Wait(Strict):
    agency_id: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=4000)


def _answer(task_id: str, appended: list) -> dict:
    return {"task_id": task_id, "version": appended[-1].stream_version, "event_ids": [str(e.event_id) for e in appended]}


@router.post("/condition", status_code=201, responses=problems(404, 409))
async def declare_condition(task_id: str, body: ConditionDeclared, decider: StandingBody, rt: Runtime, cause: Caused) -> dict:
    appended = await conditions.declare_condition(task_id, decider, body.met_on, body.document, rt.settings.condition_immediate_days,
                                                  rt.store, rt.events, rt.clock, cause)
    return _answer(task_id, appended)


@router.post("/extensions", status_code=201, responses=problems(404, 409))
async def request_extension(task_id: str, body: ExtensionRequest, agency_id: Lead, rt: Runtime, cause: Caused) -> dict:
    appended = await lifecycle.request_extension(task_id, agency_id, body.reason, body.proposed_due, body.request_id,
                                                 rt.store, rt.events, rt.clock, cause)
    return {**_answer(task_id, appended), "request_id": appended[-1].payload["request_id"]}


@router.post("/extensions/{request_id}/decision", status_code=201, responses=problems(404, 409))
async def decide_extension(task_id: str, request_id: str, body: ExtensionDecision, decider: StandingBody, rt: Runtime,
                           cause: Caused) -> dict:
    appended = await lifecycle.decide_extension(task_id, request_id, body.approve, body.reason, decider, rt.store, rt.events,
                                                rt.clock, cause)
    return _answer(task_id, appended)


@router.post("/waiting-on", status_code=201, responses=problems(404, 409))
async def wait_on_agency(task_id: str, body: Wait, agency_id: Lead, rt: Runtime, cause: Caused) -> dict:
    return _answer(task_id, await lifecycle.wait_on_agency(task_id, agency_id, body.agency_id, body.reason, rt.store, rt.events,
                                                           rt.clock, cause))


@router.delete("/waiting-on/{waited_on}", responses=problems(404, 409))
async def stop_waiting(task_id: str, waited_on: str, agency_id: Lead, rt: Runtime, cause: Caused) -> dict:
    return _answer(task_id, await lifecycle.stop_waiting(task_id, agency_id, waited_on, rt.store, rt.events, rt.clock, cause))


@router.post("/attachments", status_code=201, responses=problems(404, 409))
async def upload_attachment(task_id: str, file: Annotated[UploadFile, File()], agency_id: Lead, rt: Runtime) -> dict:
    """Upload before reporting done; then name it in evidence.attachments by its sha256 (the response)."""
    data = await file.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Invalid(f"an attachment may be at most {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB", field="file")
    return await attachments.upload(task_id, agency_id, file.filename or "", data, rt.store, rt.events)


@router.get("/attachments/{sha256}", responses=problems(404))
async def download_attachment(task_id: str, sha256: str, rt: Runtime, who: TaskReader) -> Response:
    check_task_reader(who, await views.task_doc(rt.store, task_id))
    meta, data = await attachments.content(rt.store, task_id, sha256)
    return Response(data, media_type=meta["media_type"], headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(meta['filename'], safe='')}",
                                                                 "X-Content-Type-Options": "nosniff"})


@router.get("/below", responses=problems(404))
async def below(task_id: str, rt: Runtime, who: CascadeReader) -> dict:
    """The tasks carrying this one out at every level below, with the units that have done their part and those late."""
    return await views.below(rt.store, task_id, local_today(rt.clock.now()))
