"""Periodic reports enter tasks' log: the plans and agencies they answer to are learnt from the plans topic."""
from __future__ import annotations

from schemas.catalog import Event
from schemas.directory import AgencyRegistered, UnitMoved, UnitRegistered
from schemas.envelope import Envelope
from schemas.plans import PlanIssued
from schemas.rejections import NotFound
from schemas.reports import PeriodicReport
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store
from services.tasks.domain import periodic

PLANS, AGENCIES, UNITS = "periodic_plans", "periodic_agencies", "periodic_units"
LEDGER = "tasks.periodic.directory"


async def learn_directory(batch: list[Event], store: Store) -> None:
    """Keep what validating a periodic report needs: plans' schedules and targets, agencies, units' parents."""
    async with store.transaction():
        fresh = await store.unseen(LEDGER, [str(e.envelope.event_id) for e in batch])
        for event in batch:
            payload = event.payload
            if str(event.envelope.event_id) not in fresh:
                continue
            if isinstance(payload, PlanIssued):
                await store.put(PLANS, payload.plan_id, payload.model_dump(mode="json", include={"plan_id", "unit_id", "reporting_schedules", "targets"}))
            elif isinstance(payload, AgencyRegistered):
                await store.put(AGENCIES, payload.agency_id, payload.model_dump(mode="json"))
            elif isinstance(payload, UnitRegistered):
                await store.put(UNITS, payload.unit_id, {"unit_id": payload.unit_id, "parent_id": payload.parent_id})
            elif isinstance(payload, UnitMoved):
                await store.put(UNITS, payload.unit_id, {"unit_id": payload.unit_id, "parent_id": payload.to_parent})
        await store.mark(LEDGER, fresh)


async def submit_periodic_report(agency_id: str, body: PeriodicReport, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[Envelope]:
    plan = await store.get(PLANS, body.plan_id)
    if plan is None:
        raise NotFound(f"no plan with id {body.plan_id!r}", field="plan_id")
    agency = await store.get(AGENCIES, agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id!r} is not registered", field="Authorization")
    unit = await store.get(UNITS, agency["unit_id"]) or {}
    reporter = f"unit:{agency['unit_id']}" if body.for_unit else f"agency:{agency_id}"
    stream = f"report-{periodic.report_id(body.plan_id, body.schedule_id, body.period, reporter)}"
    async with store.transaction():
        version = len(await events.load(stream))
        event = periodic.submit(plan, agency, unit.get("parent_id"), body, local_today(clock.now()), version + 1)
        return await events.append(stream, version, [event], cause)
