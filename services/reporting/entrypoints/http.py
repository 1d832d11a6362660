"""HTTP API of reporting: progress per unit, rolled up the hierarchy, and drill-down to tasks. Read only."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.reporting import agencies, views
from services.reporting.entrypoints.deps import AsOf, Basis, Descendants, Lang, Progress, Today, Viewer, plain_json
from services.runtime.auth import Admin
from services.runtime.http import Runtime
from services.runtime.problems import problems

router = APIRouter()


@router.get("/units")
async def list_units(rt: Runtime, viewer: Viewer, parent_id: str | None = None) -> list[dict]:
    """The children of `parent_id`; without it, the roots of the hierarchy (for a viewer: its unit)."""
    return await views.list_units(rt.store, parent_id, viewer)


@router.get("/units/{unit_id}/summary", response_model=dict, responses=problems(404))
async def unit_summary(unit_id: str, rt: Runtime, viewer: Viewer, today: Today, lang: Lang, as_of: AsOf, basis: Basis,
                       include_descendants: Descendants) -> JSONResponse:
    """Tiến độ của đơn vị: số nhiệm vụ theo nhóm, tỷ lệ hoàn thành, đúng hạn, báo cáo; riêng đơn vị và cộng dồn cấp dưới.
    / A unit's progress: counts per bucket, completion, on-time and reporting rates; own and rolled up.

    completion_rate = hoàn thành ÷ đã đến hạn (done ÷ fallen due); on_time_rate = hoàn thành đúng hạn ÷ đã đến hạn.
    Rates, fallen_due and aging are {own, total}; `own`/`total` hold the bucket counts."""
    await views.check_scope(rt.store, viewer, unit_id)
    return plain_json(await views.unit_summary(rt.store, unit_id, today, lang, as_of=as_of, basis=basis, include_descendants=include_descendants))


@router.get("/units/{unit_id}/children", response_model=dict, responses=problems(404))
async def unit_children(unit_id: str, rt: Runtime, viewer: Viewer, today: Today, lang: Lang, as_of: AsOf, basis: Basis) -> JSONResponse:
    """Các đơn vị trực thuộc với số liệu cộng dồn / the units below with their rolled-up figures."""
    await views.check_scope(rt.store, viewer, unit_id)
    return plain_json(await views.unit_children(rt.store, unit_id, today, lang, as_of=as_of, basis=basis))


@router.get("/units/{unit_id}/agencies", responses=problems(404))
async def unit_agencies(unit_id: str, rt: Runtime, viewer: Viewer, today: Today, as_of: AsOf, basis: Basis) -> dict:
    """Các cơ quan của đơn vị: phần chủ trì (lead) và phần phối hợp (support) tính riêng, có phân loại quá hạn theo số ngày.
    / The unit's agencies: their lead part and coordinating part counted apart, with overdue aging (1-7, 8-30, 31-120, >120 days)."""
    await views.check_scope(rt.store, viewer, unit_id)
    return await agencies.unit_agencies(rt.store, unit_id, today, as_of=as_of, basis=basis)


@router.get("/units/{unit_id}/tasks", responses=problems(404))
async def unit_tasks(unit_id: str, rt: Runtime, viewer: Viewer, today: Today, lang: Lang, category: str | None = None) -> dict:
    await views.check_scope(rt.store, viewer, unit_id)
    return await views.unit_tasks(rt.store, unit_id, today, lang, category)


@router.get("/tasks/{task_id}", responses=problems(404))
async def task_detail(task_id: str, rt: Runtime, viewer: Viewer, today: Today, lang: Lang) -> dict:
    await views.check_task_scope(rt.store, viewer, task_id)
    return await views.task_detail(rt.store, task_id, today, lang)


@router.get("/projection", tags=["operations"])
async def projection(progress: Progress, admin: Admin) -> dict:
    """How many events this process's consumer received, applied, and skipped as already applied."""
    return progress.as_dict()
