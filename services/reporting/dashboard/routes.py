"""HTTP routes of the dashboard pages, and `install(app)`, the hook reporting's bootstrap calls."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from services.reporting import views
from services.reporting.dashboard.context import Page
from services.reporting.dashboard.errors import install_error_pages
from services.reporting.dashboard.pages.escalations import escalations
from services.reporting.dashboard.pages.overview import overview
from services.reporting.dashboard.pages.reports import reports
from services.reporting.dashboard.pages.task import task_page
from services.reporting.dashboard.pages.tasklist import TaskFilter, task_list
from services.reporting.dashboard.pages.units import units
from services.reporting.dashboard.rendering import STATIC, environment, render
from services.reporting.dashboard.trendcache import TrendCache
from services.reporting.dashboard.unittree import UnitTree
from services.reporting.domain import rollup
from services.reporting.dashboard.queries import hierarchy
from services.runtime.http import Runtime

router = APIRouter(tags=["dashboard"], include_in_schema=False)


def install(app: FastAPI) -> None:
    """Add the dashboard's pages, its static assets (CSS, JS) and its HTML error pages to reporting's app."""
    app.state.dashboard_templates = environment()
    install_error_pages(app, app.state.dashboard_templates)
    app.state.dashboard_trend = TrendCache()
    app.state.dashboard_units = UnitTree()
    app.mount("/dashboard/static", StaticFiles(directory=STATIC), name="dashboard-static")
    app.include_router(router)


@router.get("/dashboard")
async def start(rt: Runtime, page: Page) -> RedirectResponse:
    """The viewer's own unit; without viewer credentials, the first root of the hierarchy."""
    units, parents = await hierarchy(rt.store, page.tree)
    target = page.viewer or next(iter(rollup.roots(parents)), None)
    return RedirectResponse(page.link(f"/dashboard/{target}") if target else page.link("/docs"))


@router.get("/dashboard/tasks/{task_id}", response_class=HTMLResponse)
async def task(task_id: str, request: Request, rt: Runtime, page: Page) -> HTMLResponse:
    await views.check_task_scope(rt.store, page.viewer, task_id)
    model = await task_page(rt.store, task_id, page)
    return render(request, "task.html", page, model, unit_id=model["doc"]["unit_id"], active="tasks")


@router.get("/dashboard/{unit_id}", response_class=HTMLResponse)
async def unit_overview(unit_id: str, request: Request, rt: Runtime, page: Page) -> HTMLResponse:
    await views.check_scope(rt.store, page.viewer, unit_id)
    model = await overview(rt.store, unit_id, page, request.app.state.dashboard_trend)
    return render(request, "overview.html", page, model, unit_id=unit_id, active="overview")


@router.get("/dashboard/{unit_id}/units", response_class=HTMLResponse)
async def unit_children(unit_id: str, request: Request, rt: Runtime, page: Page) -> HTMLResponse:
    await views.check_scope(rt.store, page.viewer, unit_id)
    return render(request, "units.html", page, await units(rt.store, unit_id, page), unit_id=unit_id, active="units")


@router.get("/dashboard/{unit_id}/tasks", response_class=HTMLResponse)
async def unit_tasks(unit_id: str, request: Request, rt: Runtime, page: Page, bucket: str | None = None,
                     group: Annotated[int | None, Query(ge=1, le=5)] = None, lead: str | None = None, plan: str | None = None,
                     min_overdue: Annotated[int | None, Query(ge=0)] = None, q: str | None = None) -> HTMLResponse:
    await views.check_scope(rt.store, page.viewer, unit_id)
    chosen = TaskFilter(bucket or None, group, lead or None, plan or None, min_overdue, (q or "").strip() or None)
    model = await task_list(rt.store, unit_id, page, chosen)
    return render(request, "tasks.html", page, model, unit_id=unit_id, active="tasks")


@router.get("/dashboard/{unit_id}/escalations", response_class=HTMLResponse)
async def unit_escalations(unit_id: str, request: Request, rt: Runtime, page: Page) -> HTMLResponse:
    await views.check_scope(rt.store, page.viewer, unit_id)
    return render(request, "escalations.html", page, await escalations(rt.store, unit_id, page), unit_id=unit_id, active="escalations")


@router.get("/dashboard/{unit_id}/reports", response_class=HTMLResponse)
async def unit_reports(unit_id: str, request: Request, rt: Runtime, page: Page) -> HTMLResponse:
    await views.check_scope(rt.store, page.viewer, unit_id)
    model = await reports(rt.store, request.app, unit_id, page)
    return render(request, "reports.html", page, model, unit_id=unit_id, active="reports")
