"""FastAPI dependencies of the plans API: the cause of a write (its actor is the caller), and unit scope checks."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from schemas.rejections import Forbidden
from services.plans.handlers.directory import UNITS
from services.runtime.auth import Acting, Admin, Principal
from services.runtime.events import Cause, new_correlation_id
from services.runtime.ports import DocumentStore


def cause(principal: Acting, x_correlation_id: Annotated[str | None, Header(max_length=100)] = None) -> Cause:
    return Cause(actor=principal.actor, correlation_id=x_correlation_id or new_correlation_id())


async def check_covers(store: DocumentStore, principal: Principal, unit_id: str) -> None:
    """A standing body acts for its own unit and the units below it; administrators for every unit."""
    ancestors, current = [], await store.get(UNITS, unit_id)
    while current and current.get("parent_id") and len(ancestors) < 20:
        ancestors.append(current["parent_id"])
        current = await store.get(UNITS, current["parent_id"])
    if not principal.covers(unit_id, ancestors):
        raise Forbidden(f"this credential is for unit {principal.unit_id!r} and the units below it, not {unit_id!r}", field="unit_id")


Caused = Annotated[Cause, Depends(cause)]


async def check_draft(store: DocumentStore, principal: Principal, draft_id: str) -> None:
    """A standing body works on the drafts of its unit and below (an unknown draft is left to the handler's 404)."""
    draft = await store.get("drafts", draft_id)
    if draft is not None:
        await check_covers(store, principal, draft["unit_id"])


def administrator(principal: Admin) -> str:
    """Who reorganises the directory: an administrator (the actor its events record)."""
    return principal.actor


Administrator = Annotated[str, Depends(administrator)]
