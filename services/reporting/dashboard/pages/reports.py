"""Periodic reports: the compiled report per period with downloads, and the units that did not report.

Downloads link to reporting's `GET /units/{unit_id}/reports/{period}?format=docx|pdf` only when the
running app has that route (issue 7, point 6); until then the page says so instead of linking nowhere.
"""
from __future__ import annotations

from fastapi import FastAPI

from services.reporting.dashboard import queries, reported
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.pages.overview import month_ends
from services.runtime.ports import DocumentStore

REPORT_ROUTE = "/units/{unit_id}/reports/{period}"
SHAPE = "GET /units/{unit_id}/reports/{period}?format=docx|pdf (period 2026-12, 2026-Q4, 2026-H1, 2026)"


async def reports(store: DocumentStore, app: FastAPI, unit_id: str, page: PageContext) -> dict:
    scope = await queries.scope(store, unit_id, with_tasks=False, tree=page.tree)
    period = f"{page.as_of.year}-{page.as_of.month:02d}"
    offered = REPORT_ROUTE in app.openapi().get("paths", {})  # the app's own API description (cached after the first call)
    periods = [f"{end.year}-{end.month:02d}" for end in reversed(month_ends(page.as_of))] if offered else []
    return {
        "scope": scope, "offered": offered, "shape": SHAPE,
        "periods": [{"period": p, "label": f"{p[5:]}/{p[:4]}",
                     "docx": page.link(f"/units/{unit_id}/reports/{p}", format="docx"),
                     "pdf": page.link(f"/units/{unit_id}/reports/{p}", format="pdf")} for p in periods],
        "obligations": (owed := await reported.non_reporters(store, unit_id, period, page)), "period": period,
        "not_reported": owed["non_reporters"],
    }
