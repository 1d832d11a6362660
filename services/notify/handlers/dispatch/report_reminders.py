"""Reminders before a periodic report is due: each reporter a plan's schedule binds, that has not sent the current
period's report, hears from the policy's reminder days on (default 7, 3, 1 and 0 days before the deadline), once per
threshold. The reporter is the agency's head, or the chairman of a unit that reports as a unit."""
from __future__ import annotations

from datetime import date

from schemas.notify import Role, Target
from schemas.plans import ReportingSchedule
from services.notify.domain import digest as d
from services.notify.domain import reports
from services.notify.domain.routing import Directory, Holder, resolve
from services.notify.handlers.dispatch.notices import Facts, Notice, Routed
from services.notify.handlers.repository import REPORT_REMINDERS, REPORTS
from services.notify.handlers.repository.policies import PolicyCache
from services.runtime.ports import Store

KEY = "reminder:"  # notice key: "reminder:" + the report's item id


async def route_report_reminders(store: Store, routed: Routed, facts: Facts, directory: Directory, contacts: dict[str, dict],
                                 today: date, weekends_off: bool = True) -> dict[str, dict]:
    """Routes the reminders due today; returns the reminder marks read (report id -> doc), for recording what is sent."""
    marks: dict[str, dict] = {}
    if weekends_off and today.weekday() >= 5:
        return marks
    cache, owed_now = PolicyCache(store, weekends_off), []
    for plan in facts.plans.values():
        for raw in plan.get("reporting_schedules") or ():
            schedule = ReportingSchedule.model_validate(raw)
            current = reports.current_period(schedule, today)
            if current is None or (current[1] - today).days > 60:
                continue
            period, due = current
            unit_id = directory.current(plan["unit_id"])
            wanted = (await cache.get(plan["plan_id"], unit_id)).reminder_days
            left = (due - today).days
            threshold = min((t for t in wanted if t >= left), default=None)
            if threshold is None:
                continue
            owed_now += [(reports.Owed(plan["plan_id"], schedule.schedule_id, period, reporter, due), plan, threshold, left)
                         for reporter in reports.reporters(schedule, *directory.below(unit_id))]
    if not owed_now:
        return marks
    ids = [owed.report_id for owed, *_ in owed_now]  # what was received and who was reminded: two queries for the pass
    received = {r["report_id"] for r in await store.find(REPORTS, report_id=ids)}
    known = {m["report_id"]: m for m in await store.find(REPORT_REMINDERS, report_id=ids)}
    for owed, plan, threshold, left in owed_now:
        if owed.report_id not in received:
            _remind(routed, owed, plan, threshold, left, directory, contacts, marks, known)
    return marks


def _remind(routed: Routed, owed: reports.Owed, plan: dict, threshold: int, left: int, directory: Directory,
            contacts: dict[str, dict], marks: dict[str, dict], known: dict[str, dict]) -> None:
    role = Role.chairman if owed.by_unit else Role.lead_agency_head
    who = resolve(Target(role=role), owed.owner, owed.owner, directory)
    if not isinstance(who, Holder) or who.contact_id not in contacts:
        return
    mark = marks.setdefault(owed.report_id, known.get(owed.report_id) or {"report_id": owed.report_id, "reminded": {}})
    if threshold in mark["reminded"].get(who.contact_id, []):
        return
    entry = d.Entry(item_id=owed.item_id, kind=d.REMINDER, code=None, content=reports.describe(owed.item_id, owed.plan_id, owed.period),
                    plan=f"Kế hoạch {plan.get('number') or plan['plan_id']}", clause=None, agency_name=who.of, due=owed.due,
                    days=left, new=True, period=owed.period)
    routed.add(who, Notice(KEY + owed.item_id, entry, True, threshold))
