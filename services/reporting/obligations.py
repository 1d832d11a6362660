"""Reporting obligations of a unit: expected periodic reports, received, on time (filled in by item 3)."""
from __future__ import annotations

from datetime import date

from services.runtime.ports import DocumentStore


async def reporting_figures(store: DocumentStore, unit: dict, day: date, include_descendants: bool) -> dict:
    empty = {"own": None, "total": None}
    return {"reporting_rate": dict(empty), "on_time_reporting_rate": dict(empty)}
