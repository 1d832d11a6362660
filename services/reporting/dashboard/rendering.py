"""The Jinja2 environment of the dashboard and the one function that renders a page."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.reporting.dashboard import formatting
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.pages.units import heat_class

HERE = Path(__file__).parent
TEMPLATES, STATIC = HERE / "templates", HERE / "static"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=formatting.number, percent=formatting.percent, day=formatting.day, heat=heat_class)
    return env


def render(request: Request, template: str, page: PageContext, model: dict, *, unit_id: str | None, active: str) -> HTMLResponse:
    env: Environment = request.app.state.dashboard_templates
    scope = model.get("scope")
    trail = [u for u in scope.path()] if scope else []
    if page.viewer and scope:
        ids = [u["unit_id"] for u in trail]
        trail = trail[ids.index(page.viewer):] if page.viewer in ids else trail[-1:]
    html = env.get_template(template).render(
        page=page, t=page.t, m=model, unit_id=unit_id, active=active, trail=trail,
        lang_switch=page.switch_language(request.url.path, _kept(request)),
        hidden={k: v for k, v in request.query_params.items() if k != "as_of"},
        today_link=replace(page, pinned=False).link(request.url.path, **_kept(request)),
    )
    return HTMLResponse(html)


def _kept(request: Request) -> dict[str, str]:
    """The page's own parameters (filters), without those every link carries anyway."""
    return {k: v for k, v in request.query_params.items() if k not in ("lang", "token", "as_of")}
