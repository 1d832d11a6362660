"""Compile (and so freeze) each unit's report for the periods that have just closed under its plans' schedules."""
from __future__ import annotations

from datetime import date
from typing import AsyncIterator

from schemas.periods import bounds, closed_periods
from schemas.plans import ReportingSchedule
from services.reporting.compiled.compile import COMPILED, compiled_content
from services.reporting.domain.projection import PLANS, UNITS
from services.runtime.ports import DocumentStore


async def compile_closed_periods(store: DocumentStore, today: date, *, latest_only: bool = True) -> list[str]:
    """Ids (unit:period) compiled now: for each plan's schedule, its last closed period (over, and past its deadline)."""
    compiled = []
    async for plan in _plans(store):
        start = date.fromisoformat(plan.get("issued_on") or plan.get("received_on") or today.isoformat())
        for raw in plan.get("reporting_schedules") or ():
            schedule = ReportingSchedule.model_validate(raw)
            if schedule.frequency.value in ("daily", "weekly"):
                continue  # compiled reports are monthly and longer
            periods = [p for p in closed_periods(start, today, schedule.frequency, schedule) if bounds(p)[1] < today]
            for period in periods[-1:] if latest_only else periods:
                doc_id = f"{plan['unit_id']}:{period}"
                if doc_id not in compiled and await store.get(COMPILED, doc_id) is None:
                    await compiled_content(store, plan["unit_id"], period, today)
                    compiled.append(doc_id)
    return compiled


PLANS_AT_ONCE = 200  # units whose plans are read at once: every plan at national size (3,355, ~7 MB of JSON) held at once
# was a 40 MB peak, which the process kept as resident memory after each pass


async def _plans(store: DocumentStore) -> AsyncIterator[dict]:
    """Every plan, read PLANS_AT_ONCE issuing units at a time (plans are issued by registered units)."""
    units = sorted(u["unit_id"] for u in await store.find(UNITS))
    for start in range(0, len(units), PLANS_AT_ONCE):
        for plan in await store.find(PLANS, unit_id=units[start:start + PLANS_AT_ONCE]):
            yield plan
