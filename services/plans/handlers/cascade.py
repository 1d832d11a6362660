"""Cascade in drafts: name the plans a draft implements; suggest, for each task, the task above it carries out."""
from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.bounds import Id
from schemas.rejections import Conflict, Invalid, NotFound
from services.plans.domain.cascade import parent_candidates
from services.plans.handlers.drafts import DRAFTS, get_draft
from services.plans.handlers.issue import PLANS, ancestors
from services.runtime.ports import Store


class Implements(BaseModel):
    plan_ids: list[Id] = Field(max_length=20)


async def set_implements(store: Store, draft_id: str, body: Implements) -> dict:
    """The plans the draft carries out: each issued by a unit above the draft's unit."""
    doc = await get_draft(store, draft_id)
    if doc["status"] != "draft":
        raise Conflict(f"draft {draft_id!r} was already issued as plan {doc['plan_id']!r}", field="draft_id")
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
