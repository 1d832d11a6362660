"""HTTP intake of periodic reports, with the same agency credential and validation as status reports."""
from __future__ import annotations

from fastapi import APIRouter

from schemas.catalog import PLANS_EVENTS
from schemas.reports import PeriodicReport
from services.runtime.http import Runtime
from services.runtime.service import ServiceRuntime
from services.runtime.problems import problems
from services.tasks.entrypoints.deps import Agency, Caused
from services.tasks.handlers.periodic import learn_directory, submit_periodic_report

router = APIRouter(tags=["periodic reports"])


@router.post("/periodic-reports", status_code=201, responses=problems(404, 409))
async def post_periodic_report(body: PeriodicReport, agency_id: Agency, rt: Runtime, cause: Caused) -> dict:
    """Gửi báo cáo định kỳ của cơ quan (hoặc của đơn vị, do cơ quan thường trực gửi) cho một kỳ
    / Submit an agency's (or, by its standing body, a unit's) periodic report for one period.

    Answer: report_id, revision (1, then 2, 3… for corrections), on_time, deadline, event_ids."""
    appended = await submit_periodic_report(agency_id, body, rt.store, rt.events, rt.clock, cause)
    payload = appended[-1].payload
    return {"report_id": payload["report_id"], "revision": payload["revision"], "on_time": payload["on_time"],
            "deadline": payload["deadline"], "event_ids": [str(e.event_id) for e in appended]}


def register(rt: ServiceRuntime) -> None:
    """Learn plans, agencies and units from the plans topic, for validating periodic reports."""

    async def on_plan_events(batch) -> None:
        await learn_directory(batch, rt.store)

    rt.subscribe_events([PLANS_EVENTS], "tasks.periodic.directory", on_plan_events)
