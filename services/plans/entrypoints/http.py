"""HTTP API of plans: the directory of units and agencies, and plans with their tasks."""
from __future__ import annotations

from fastapi import APIRouter, Query

from schemas.directory import LoadDirectory, RegisterAgency, RegisterUnit, UnitLevel
from schemas.plans import IssuePlan, IssuePlans
from schemas.rejections import NotFound
from services.plans.entrypoints.deps import Caused, check_covers
from services.runtime.auth import Admin, Authenticated, PlanManager, allow
from services.runtime.http import Runtime
from services.runtime.problems import problems
from services.plans.handlers import credentials, directory, issue

router = APIRouter()
RollOut = allow("standing_body", "administrator")  # who issues plans in bulk


@router.post("/units", status_code=201, responses=problems(404, 409))
async def register_unit(body: RegisterUnit, rt: Runtime, admin: Admin, cause: Caused) -> dict:
    return await directory.register_unit(body, rt.store, rt.events, cause)


@router.post("/directory", responses=problems(404, 409))
async def load_directory(body: LoadDirectory, rt: Runtime, admin: Admin, cause: Caused) -> dict:
    """Bulk, idempotent registration of units and agencies (`tiendo directory load`); administrators only."""
    return await directory.load_directory(body, rt.store, rt.events, cause)


@router.get("/units")
async def list_units(
    rt: Runtime, who: Authenticated, parent_id: str | None = None, level: UnitLevel | None = None,
    limit: int = Query(default=100, ge=1, le=1000), offset: int = Query(default=0, ge=0),
) -> dict:
    """A page of units (by id) with the `total` matching the filters."""
    where = {k: v for k, v in {"parent_id": parent_id, "level": level.value if level else None}.items() if v is not None}
    found = await rt.store.find(directory.UNITS, **where)
    return {"total": len(found), "limit": limit, "offset": offset, "items": found[offset : offset + limit]}


@router.get("/units/{unit_id}", responses=problems(404))
async def get_unit(unit_id: str, rt: Runtime, who: Authenticated) -> dict:
    """A unit by its slug or by its official code ("cao-bang" or "04")."""
    return await directory.unit_by_id_or_code(rt.store, unit_id)


@router.get("/units/{unit_id}/working-group", responses=problems(404))
async def working_group(unit_id: str, rt: Runtime, who: Authenticated) -> dict:
    """The unit's Đề án 06 working group: leader (chairman), standing deputy (head of police), members."""
    unit = await directory.unit_by_id_or_code(rt.store, unit_id)
    return directory.working_group(unit, await rt.store.find(directory.AGENCIES, unit_id=unit["unit_id"]))


@router.post("/units/{unit_id}/viewer-credential", status_code=201, responses=problems(404, 409))
async def viewer_credential(unit_id: str, rt: Runtime, admin: Admin, cause: Caused) -> dict:
    """A credential to read the progress of this unit and every unit below it (reporting, dashboard); shown once."""
    unit_id = (await directory.unit_by_id_or_code(rt.store, unit_id))["unit_id"]
    key = await credentials.issue_credential("viewer", unit_id, rt.settings.credential_days, None, rt.settings.token_secret,
                                             rt.store, rt.events, cause)
    return {"unit_id": unit_id, **key}


@router.post("/agencies", status_code=201, responses=problems(404, 409))
async def register_agency(body: RegisterAgency, rt: Runtime, admin: Admin, cause: Caused) -> dict:
    """Register an agency; the response holds its first key (shown once: `token`, `key_id`, `expires_at`)."""
    view = await directory.register_agency(body, rt.store, rt.events, cause)
    key = await credentials.issue_credential("agency", body.agency_id, rt.settings.credential_days, None, rt.settings.token_secret,
                                             rt.store, rt.events, cause)
    return {**view, "token": key["token"], "key_id": key["key_id"], "expires_at": key["expires_at"]}


@router.get("/agencies")
async def list_agencies(rt: Runtime, who: Authenticated, unit_id: str | None = None) -> list[dict]:
    return await rt.store.find(directory.AGENCIES, **({"unit_id": unit_id} if unit_id else {}))


@router.get("/agencies/{agency_id}", responses=problems(404))
async def get_agency(agency_id: str, rt: Runtime, who: Authenticated) -> dict:
    return await _get(rt, directory.AGENCIES, agency_id, "agency")


@router.post("/plans", status_code=201, responses=problems(404, 409))
async def issue_plan(body: IssuePlan, rt: Runtime, who: PlanManager, cause: Caused) -> dict:
    await check_covers(rt.store, who, body.unit_id)
    return await issue.issue_plan(body, rt.store, rt.events, cause)


@router.post("/plans/bulk", responses=problems(404, 409))
async def issue_plans(body: IssuePlans, rt: Runtime, who: RollOut, cause: Caused) -> dict:
    """Many plans in one request and one transaction (a roll-out to every province and commune), all or nothing; plans
    already issued are skipped. A standing body issues for its unit and the units below it; administrators for all."""
    for unit_id in dict.fromkeys(p.unit_id for p in body.plans):
        await check_covers(rt.store, who, unit_id)
    return await issue.issue_plans(body, rt.store, rt.events, cause)


@router.get("/plans")
async def list_plans(rt: Runtime, who: Authenticated, unit_id: str | None = None) -> list[dict]:
    return await rt.store.find(issue.PLANS, **({"unit_id": unit_id} if unit_id else {}))


@router.get("/plans/{plan_id}", responses=problems(404))
async def get_plan(plan_id: str, rt: Runtime, who: Authenticated) -> dict:
    return await _get(rt, issue.PLANS, plan_id, "plan")


async def _get(rt: Runtime, collection: str, doc_id: str, what: str) -> dict:
    doc = await rt.store.get(collection, doc_id)
    if doc is None:
        raise NotFound(f"no {what} with id {doc_id!r}")
    return doc
