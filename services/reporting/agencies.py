"""Figures per agency of a unit, its part as lead agency and as coordinating agency counted apart.

A coordinating agency is not answerable for the lead's lateness, but its own part is shown: the
tasks it supports, by the same buckets and overdue aging, under `support`.
"""
from __future__ import annotations

from datetime import date

from schemas.rejections import Invalid
from services.reporting.domain.counters import LEAD, SUPPORT
from services.reporting.domain.figures import aging, buckets, rates
from services.reporting.domain.projection import AGENCIES
from services.reporting.reading import counts_of
from services.reporting.summaries import unit_doc
from services.runtime.ports import DocumentStore


def agency_figures(counts: dict[str, int], day: date, basis: str) -> dict:
    """{lead: {...}, support: {...}}, each with counts, fallen_due, rates and aging."""
    parts = {}
    for role in (LEAD, SUPPORT):
        counted = buckets(counts, day, basis, prefix=f"{role}|")
        parts[role] = {"counts": counted, **rates(counted), "aging": aging(counts, day, basis, prefix=f"{role}|")}
    return parts


async def unit_agencies(store: DocumentStore, unit_id: str, today: date, *, as_of: date | None = None, basis: str = "a") -> dict:
    """Shape: {unit, today, agencies: [{agency, lead: {counts, fallen_due, completion_rate, on_time_rate, aging},
    support: {…same}}]}, agencies sorted by id."""
    if as_of is not None:
        raise Invalid("figures per agency are kept for today only; as_of is not available for them", field="as_of")
    unit = await unit_doc(store, unit_id)
    agencies = sorted(await store.find(AGENCIES, unit_id=unit_id), key=lambda a: a["agency_id"])
    counts = await counts_of(store, [f"agency:{a['agency_id']}" for a in agencies], as_of)
    day = as_of or today
    return {"unit": unit, "today": day.isoformat(), "as_of": day.isoformat(),
            "agencies": [{"agency": a, **agency_figures(counts[f"agency:{a['agency_id']}"], day, basis)} for a in agencies]}
