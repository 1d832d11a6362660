"""HTTP API of plan drafts: upload a document, review and correct the draft, issue it."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, UploadFile
from pydantic import BaseModel, Field

from schemas.rejections import Invalid
from services.plans.entrypoints.deps import Caused, check_covers
from services.runtime.auth import PlanManager, Principal
from services.runtime.service import ServiceRuntime
from services.runtime.http import Runtime
from services.plans.handlers import drafts
from services.plans.importer import MAX_INPUT_BYTES

router = APIRouter(prefix="/drafts", tags=["drafts"])


class IssueDraft(BaseModel):
    plan_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    title: str | None = Field(default=None, max_length=1000)


@router.post("", status_code=201)
async def upload(rt: Runtime, who: PlanManager, file: Annotated[UploadFile, File()], unit_id: Annotated[str, Form(min_length=1, max_length=100)]) -> dict:
    await check_covers(rt.store, who, unit_id)
    data = await file.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise Invalid(f"the document is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB", field="file")
    return await drafts.import_draft(data, file.filename or "document.txt", unit_id, rt.store)


@router.get("/{draft_id}")
async def get(draft_id: str, rt: Runtime, who: PlanManager) -> dict:
    await _check_draft(rt, who, draft_id)
    return await drafts.get_draft(rt.store, draft_id)


@router.patch("/{draft_id}/tasks/{index}")
async def correct(draft_id: str, index: int, rt: Runtime, who: PlanManager, changes: Annotated[dict[str, Any], Body()]) -> dict:
    await _check_draft(rt, who, draft_id)
    return await drafts.correct_task(rt.store, draft_id, index, changes)


@router.delete("/{draft_id}/tasks/{index}")
async def remove(draft_id: str, index: int, rt: Runtime, who: PlanManager) -> dict:
    await _check_draft(rt, who, draft_id)
    return await drafts.remove_task(rt.store, draft_id, index)


@router.post("/{draft_id}/issue", status_code=201)
async def issue(draft_id: str, body: IssueDraft, rt: Runtime, who: PlanManager, cause: Caused) -> dict:
    await _check_draft(rt, who, draft_id)
    return await drafts.issue_draft(rt.store, rt.events, draft_id, body.plan_id, body.title, cause)


async def _check_draft(rt: ServiceRuntime, who: Principal, draft_id: str) -> None:
    """A standing body works on the drafts of its unit and below (an unknown draft is left to the handler's 404)."""
    draft = await rt.store.get(drafts.DRAFTS, draft_id)
    if draft is not None:
        await check_covers(rt.store, who, draft["unit_id"])
