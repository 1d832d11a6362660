"""HTTP API of credentials (administrators only): keys for agencies, units and administrators; list; revoke.

A key is in the response once and never again. Passing `overlap_hours` makes the issue a rotation.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path

from schemas.credentials import IssueCredential, RevokeCredential
from schemas.rejections import NotFound
from services.plans.entrypoints.deps import Caused
from services.plans.handlers import credentials, directory
from services.runtime.auth import Admin
from services.runtime.http import Runtime
from services.runtime.service import ServiceRuntime
from services.runtime.problems import problems

router = APIRouter(tags=["credentials"])
Name = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:@-]+$")]


@router.post("/agencies/{agency_id}/credentials", status_code=201, responses=problems(404, 409))
async def agency_credential(agency_id: str, body: IssueCredential, rt: Runtime, admin: Admin, cause: Caused) -> dict:
    """A key an agency system reports with (shown once)."""
    await _known(rt, directory.AGENCIES, agency_id, "agency")
    return await _issue(rt, "agency", agency_id, body, cause)


@router.post("/units/{unit_id}/credentials", status_code=201, responses=problems(404, 409))
async def unit_credential(unit_id: str, body: IssueCredential, rt: Runtime, admin: Admin, cause: Caused,
                          role: Literal["viewer", "standing_body"] = "viewer") -> dict:
    """A key to read the unit's subtree (viewer) or to manage its plans too (standing_body); shown once."""
    await _known(rt, directory.UNITS, unit_id, "unit")
    return await _issue(rt, role, unit_id, body, cause)


@router.post("/administrators/{name}/credentials", status_code=201, responses=problems(409))
async def administrator_credential(name: Name, body: IssueCredential, rt: Runtime, admin: Admin, cause: Caused) -> dict:
    return await _issue(rt, "administrator", name, body, cause)


@router.get("/credentials")
async def list_credentials(rt: Runtime, admin: Admin, subject: str | None = None,
                           role: Literal["agency", "viewer", "standing_body", "administrator"] | None = None) -> list[dict]:
    """Every key plans handed out (id, role, subject, validity), never the keys."""
    return await credentials.list_credentials(rt.store, subject, role)


@router.post("/credentials/{key_id}/revoke", responses=problems(404, 409))
async def revoke(key_id: str, body: RevokeCredential, rt: Runtime, admin: Admin, cause: Caused) -> dict:
    """Stop accepting a key, in every service as soon as the revocation reaches it."""
    return await credentials.revoke_credential(key_id, body.reason, rt.store, rt.events, cause)


async def _issue(rt: ServiceRuntime, role: str, subject: str, body: IssueCredential, cause) -> dict:
    return await credentials.issue_credential(role, subject, body.valid_days, body.overlap_hours, rt.settings.token_secret,
                                              rt.store, rt.events, cause)


async def _known(rt: ServiceRuntime, collection: str, doc_id: str, what: str) -> None:
    if await rt.store.get(collection, doc_id) is None:
        raise NotFound(f"no {what} with id {doc_id!r}")
