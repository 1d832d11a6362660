"""HTTP API of reporting per period: obligations and non-reporters, indicators against targets, rankings."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from services.reporting import indicators, obligations, rankings, views
from services.reporting.compiled.compile import compiled_file
from services.reporting.entrypoints.deps import AsOf, Basis, Today, Viewer, plain_json
from services.runtime.http import Runtime
from services.runtime.problems import problems

router = APIRouter(tags=["periodic reporting"])
Period = Annotated[str, Query(description="Kỳ báo cáo: 2026-12, 2026-Q4, 2026-H1, 2026 / the reporting period")]


@router.get("/units/{unit_id}/obligations", responses=problems(404))
async def unit_obligations(unit_id: str, period: Period, rt: Runtime, viewer: Viewer, today: Today, as_of: AsOf) -> dict:
    """Báo cáo định kỳ phải nhận của đơn vị trong kỳ: đã nhận, đúng hạn, đơn vị/cơ quan chưa báo cáo
    / The periodic reports owed to the unit for the period: received, on time, and who has not reported."""
    await views.check_scope(rt.store, viewer, unit_id)
    await views.unit_exists(rt.store, unit_id)
    return {"unit_id": unit_id, **await obligations.period_obligations(rt.store, unit_id, period, today, as_of)}


@router.get("/units/{unit_id}/indicators", responses=problems(404))
async def unit_indicators(unit_id: str, period: Period, rt: Runtime, viewer: Viewer) -> dict:
    """Chỉ tiêu của kỳ: giá trị của đơn vị, cộng dồn cấp dưới theo quy tắc của chỉ tiêu, so với mục tiêu
    / Indicators for the period: the unit's value, rolled up by each indicator's rule, against its target."""
    await views.check_scope(rt.store, viewer, unit_id)
    return await indicators.unit_indicators(rt.store, unit_id, period)


@router.get("/units/{unit_id}/ranking", response_model=dict, responses=problems(404))
async def unit_ranking(unit_id: str, rt: Runtime, viewer: Viewer, today: Today, as_of: AsOf, basis: Basis,
                       of: Annotated[str, Query(description="children: xếp hạng đơn vị trực thuộc / rank the units below; "
                                                            "agencies: xếp hạng cơ quan (phần chủ trì) / rank the agencies (lead part)")] = "children") -> JSONResponse:
    """Xếp hạng theo điểm có công thức đi kèm (formula) / a ranking by a documented score, the formula returned beside it."""
    await views.check_scope(rt.store, viewer, unit_id)
    return plain_json(await rankings.unit_ranking(rt.store, unit_id, today, of=of, as_of=as_of, basis=basis))


@router.get("/ranking", response_model=dict)
async def level_ranking(rt: Runtime, viewer: Viewer, today: Today, as_of: AsOf, basis: Basis,
                        level: Annotated[str, Query(description="Cấp đơn vị xếp hạng toàn quốc / the level ranked nationwide")] = "province") -> JSONResponse:
    """Xếp hạng mọi đơn vị của một cấp: toàn quốc, hoặc trong phạm vi đơn vị của người xem (within)
    / every unit of a level ranked nationwide; a viewer scoped to a unit gets the units of that level below it (`within`)."""
    return plain_json(await rankings.level_ranking(rt.store, level, today, as_of=as_of, basis=basis, within=viewer))


@router.get("/units/{unit_id}/reports/{period}", response_class=Response,
            responses={200: {"content": {"application/pdf": {}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}},
                       **problems(404)})
async def compiled_report(unit_id: str, period: str, rt: Runtime, viewer: Viewer, today: Today, as_of: AsOf,
                          format: Annotated[str, Query(description="docx hoặc pdf / docx or pdf")] = "pdf") -> Response:
    """Báo cáo kết quả thực hiện Đề án 06 của đơn vị cho kỳ (2026-12, 2026-Q4, 2026-H1, 2026), DOCX hoặc PDF; kỳ đã kết thúc
    thì được chốt số liệu ở lần lập đầu tiên; as_of: lập lại như tại ngày đó (không chốt) / the unit's compiled periodic report;
    a closed period's report is frozen when first compiled; with as_of it is compiled as on that day (and not stored)."""
    await views.check_scope(rt.store, viewer, unit_id)
    await views.unit_exists(rt.store, unit_id)
    body, media_type, name = await compiled_file(rt.store, unit_id, period, as_of or today, format, keep=as_of is None)
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
