"""HTTP API of the cascade: the plans a draft implements, and candidate parent tasks for its tasks."""
from __future__ import annotations

from fastapi import APIRouter

from services.plans.handlers import cascade
from services.plans.entrypoints.deps import check_draft
from services.runtime.auth import PlanManager
from services.runtime.http import Runtime
from services.runtime.problems import problems

router = APIRouter(prefix="/drafts", tags=["drafts"])


@router.put("/{draft_id}/implements", responses=problems(404, 409))
async def set_implements(draft_id: str, body: cascade.Implements, rt: Runtime, who: PlanManager) -> dict:
    await check_draft(rt.store, who, draft_id)
    return await cascade.set_implements(rt.store, draft_id, body)


@router.get("/{draft_id}/tasks/{index}/parent-candidates", responses=problems(404))
async def parent_candidates(draft_id: str, index: int, rt: Runtime, who: PlanManager) -> list[dict]:
    """Tasks of the implemented plans most alike this task; confirm one with PUT …/tasks/{index}/parent."""
    await check_draft(rt.store, who, draft_id)
    return await cascade.candidates(rt.store, draft_id, index)


@router.put("/{draft_id}/tasks/{index}/parent", responses=problems(404, 409))
async def confirm_parent(draft_id: str, index: int, body: cascade.Parent, rt: Runtime, who: PlanManager) -> dict:
    await check_draft(rt.store, who, draft_id)
    return await cascade.confirm_parent(rt.store, draft_id, index, body)
