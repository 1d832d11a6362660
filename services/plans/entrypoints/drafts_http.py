"""HTTP API of plan drafts: upload a document, review and correct the draft, issue it."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Request, Response, UploadFile
from pydantic import BaseModel, Field

from schemas.rejections import Invalid
from services.plans.entrypoints.deps import Caused, check_covers, check_draft
from services.runtime.auth import PlanManager, Principal
from services.runtime.service import ServiceRuntime
from services.runtime.http import Runtime
from services.runtime.problems import problems
from services.plans.handlers import drafts
from importer import MAX_INPUT_BYTES

router = APIRouter(prefix="/drafts", tags=["drafts"])


class IssueDraft(BaseModel):
    plan_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    title: str | None = Field(default=None, max_length=1000)


@router.post("", status_code=201, response_model=None, responses=problems(404, 409))
async def upload(rt: Runtime, request: Request, who: PlanManager, file: Annotated[UploadFile, File()],
                 unit_id: Annotated[str, Form(min_length=1, max_length=100)]) -> dict | Response:
    await check_covers(rt.store, who, unit_id)
    data = await file.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise Invalid(f"the document is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB", field="file")
    try:
        return await drafts.import_draft(data, file.filename or "document.txt", unit_id, rt.store,
                                         gone=_disconnected(request))
    except drafts.ClientGone:
        return Response(status_code=499)  # nobody is listening; nothing was stored


async def _disconnected(request: Request) -> None:
    """Completes when the client goes away (the body is already read, so the next message is the disconnect)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


@router.get("/{draft_id}", responses=problems(404))
async def get(draft_id: str, rt: Runtime, who: PlanManager) -> dict:
    await check_draft(rt.store, who, draft_id)
    return await drafts.get_draft(rt.store, draft_id)


@router.patch("/{draft_id}/tasks/{index}", responses=problems(404, 409))
async def correct(draft_id: str, index: int, rt: Runtime, who: PlanManager, changes: Annotated[dict[str, Any], Body()]) -> dict:
    await check_draft(rt.store, who, draft_id)
    return await drafts.correct_task(rt.store, draft_id, index, changes)


@router.delete("/{draft_id}/tasks/{index}", responses=problems(404, 409))
async def remove(draft_id: str, index: int, rt: Runtime, who: PlanManager) -> dict:
    await check_draft(rt.store, who, draft_id)
    return await drafts.remove_task(rt.store, draft_id, index)


@router.post("/{draft_id}/issue", status_code=201, responses=problems(404, 409))
async def issue(draft_id: str, body: IssueDraft, rt: Runtime, who: PlanManager, cause: Caused) -> dict:
    await check_draft(rt.store, who, draft_id)
    return await drafts.issue_draft(rt.store, rt.events, draft_id, body.plan_id, body.title, cause)
