"""Cascade in drafts: name the plans a draft implements; suggest, for each task, the task above it carries out."""
from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.bounds import Id
from schemas.rejections import Conflict, Invalid, NotFound
from services.plans.domain.cascade import parent_candidates
from services.plans.handlers.repository import DRAFTS, PLANS, ancestors, get_draft
from services.runtime.ports import Store


class Implements(BaseModel):
    plan_ids: list[Id] = Field(max_length=20)


class Parent(BaseModel):
    parent_task_id: str | None = Field(max_length=200, description="null to clear")


async def _open(store: Store, draft_id: str) -> dict:
    doc = await get_draft(store, draft_id)
    if doc["status"] != "draft":
        raise Conflict(f"draft {draft_id!r} was already issued as plan {doc['plan_id']!r}", field="draft_id")
    return doc


async def set_implements(store: Store, draft_id: str, body: Implements) -> dict:
    """The plans the draft carries out: each issued by a unit above the draft's unit."""
    doc = await _open(store, draft_id)
    above = set(await ancestors(store, doc["unit_id"]))
    for n, plan_id in enumerate(body.plan_ids):
        plan = await store.get(PLANS, plan_id)
        if plan is None:
            raise NotFound(f"no plan with id {plan_id!r}", field=f"plan_ids.{n}")
        if plan["unit_id"] not in above:
            raise Invalid(f"plan {plan_id!r} was not issued by a unit above {doc['unit_id']!r}", field=f"plan_ids.{n}")
    doc["implements"] = list(dict.fromkeys(body.plan_ids))
    await store.put(DRAFTS, draft_id, doc)
    return doc


async def candidates(store: Store, draft_id: str, index: int) -> list[dict]:
    doc = await get_draft(store, draft_id)
    if not 0 <= index < len(doc["tasks"]):
        raise NotFound(f"draft has no task {index}", field="index")
    if not doc.get("implements"):
        raise Invalid("name the plans this draft implements first (PUT /drafts/{id}/implements)", field="implements")
    plans = [p for plan_id in doc["implements"] if (p := await store.get(PLANS, plan_id))]
    return parent_candidates(doc["tasks"][index]["content"], plans)


async def confirm_parent(store: Store, draft_id: str, index: int, body: Parent) -> dict:
    """A person confirms (or clears) the task above that task `index` carries out; it must be a task of an implemented plan."""
    doc = await _open(store, draft_id)
    if not 0 <= index < len(doc["tasks"]):
        raise NotFound(f"draft has no task {index}", field="index")
    parents = dict(doc.get("parents", {}))
    content = doc["tasks"][index]["content"]
    if body.parent_task_id is None:
        parents.pop(content, None)
    else:
        plans = [p for plan_id in doc.get("implements", []) if (p := await store.get(PLANS, plan_id))]
        if not any(t["task_id"] == body.parent_task_id for p in plans for t in p.get("tasks", [])):
            raise NotFound(f"task {body.parent_task_id!r} is not a task of the plans this draft implements", field="parent_task_id")
        parents[content] = body.parent_task_id
    doc["parents"] = parents
    await store.put(DRAFTS, draft_id, doc)
    return doc
