"""HTTP API of reorganisations: merge, split, rename, re-parent units, abolish a level; the directory on a day."""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from schemas.directory import AbolishLevel, MergeUnits, MoveUnit, RenameUnit, SplitUnit, UnitLevel
from services.plans.entrypoints.deps import Administrator, Caused
from services.plans.handlers import reorganisation
from services.runtime.auth import Authenticated
from services.runtime.http import Runtime
from services.runtime.problems import problems

router = APIRouter(tags=["reorganisation"])


@router.post("/reorganisations/merge", status_code=201, responses=problems(404, 409))
async def merge(body: MergeUnits, rt: Runtime, cause: Caused, _: Administrator) -> list[dict]:
    return await reorganisation.merge(body, rt.store, rt.events, rt.clock, cause)


@router.post("/reorganisations/split", status_code=201, responses=problems(404, 409))
async def split(body: SplitUnit, rt: Runtime, cause: Caused, _: Administrator) -> list[dict]:
    return await reorganisation.split(body, rt.store, rt.events, rt.clock, cause)


@router.post("/reorganisations/abolish-level", status_code=201, responses=problems(404, 409))
async def abolish_level(body: AbolishLevel, rt: Runtime, cause: Caused, _: Administrator) -> list[dict]:
    return await reorganisation.abolish_level(body, rt.store, rt.events, rt.clock, cause)


@router.post("/units/{unit_id}/rename", status_code=201, responses=problems(404, 409))
async def rename(unit_id: str, body: RenameUnit, rt: Runtime, cause: Caused, _: Administrator) -> list[dict]:
    return await reorganisation.rename(unit_id, body, rt.store, rt.events, rt.clock, cause)


@router.post("/units/{unit_id}/move", status_code=201, responses=problems(404, 409))
async def move(unit_id: str, body: MoveUnit, rt: Runtime, cause: Caused, _: Administrator) -> list[dict]:
    return await reorganisation.move(unit_id, body, rt.store, rt.events, rt.clock, cause)


@router.get("/directory/{day}", responses=problems(404))
async def directory_on(day: date, rt: Runtime, who: Authenticated, level: UnitLevel | None = None) -> list[dict]:
    """The units as they stood on `day`: e.g. 2025-06-30 gives the three-level tree, 2025-07-01 the two-level one."""
    return await reorganisation.directory_on(rt.store, day, level.value if level else None)
