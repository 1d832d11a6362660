"""The digest pass: route every notice to its recipient, and compose one digest per recipient whose timers say so.

Composing records, in one transaction, the digest, its deliveries (in-app inbox plus the preferred channel) and
what each recipient has now been told; sending happens in handlers/send.py from the deliveries. On a national
holiday nothing is composed (deferred to the next working day, never dropped).
"""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from schemas.deadlines import is_overdue
from schemas.notify import Responsibility
from services.notify.domain import ack_link, grouping
from services.notify.domain.calendar import WorkingCalendar
from services.notify.domain.digest import Addressee, copied
from services.notify.domain.digest_html import render
from services.notify.domain.routing import Directory
from services.notify.handlers.dispatch.alerts import route_alerts
from services.notify.handlers.dispatch.notices import Facts, Notice, Routed, route_items, route_reminders
from services.notify.handlers.dispatch.provinces import Province, open_items_of, partitions
from services.notify.handlers.dispatch.report_reminders import KEY as REMINDER_KEY, route_report_reminders
from services.notify.handlers.repository import (
    AGENCIES, CONTACTS, DELIVERIES, DIGESTS, GROUPS, ITEMS, NEXT_AT, PLANS, REMIND_FROM, REPORT_REMINDERS, RETRY_AT, SILENCES, TASKS,
    UNITS, PolicyMemo,
)
from services.notify.domain.reports import PREFIX as REPORT_PREFIX

REPORT_REMINDER = REMINDER_KEY + REPORT_PREFIX  # notice keys of reminders before a periodic report's deadline
from services.runtime.clock import Clock, local_today
from services.runtime.ports import Store


MAX_GROUPS = 1_000_000  # recipients' timers looked at in one pass
MAX_TASKS = 1_000_000  # tasks in their reminder window looked at in one pass


@dataclass(frozen=True)
class DispatchConfig:
    secret: str
    public_url: str = "http://127.0.0.1:8004"
    timers: grouping.Timers = field(default_factory=grouping.Timers)
    ack_link_days: int = 14
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    weekends_off: bool = True  # for reminders (items follow their own frozen policy)
    by_province: bool = True  # a pass per province when nothing links two (False: one global pass, as before)


def _state(doc: dict | None) -> grouping.GroupState:
    if not doc:
        return grouping.GroupState()
    parse = lambda v: datetime.fromisoformat(v) if v else None  # noqa: E731
    return grouping.GroupState(parse(doc.get("pending_since")), parse(doc.get("last_sent_at")))


def _state_doc(contact_id: str, state: grouping.GroupState, next_at: datetime | None) -> dict:
    return {"contact_id": contact_id, "pending_since": state.pending_since.isoformat() if state.pending_since else None,
            "last_sent_at": state.last_sent_at.isoformat() if state.last_sent_at else None,
            NEXT_AT: next_at.isoformat() if next_at else None}


async def load_facts(store: Store, now: datetime, views: list[dict], units: list[dict] | None = None,
                     plans: dict[str, dict] | None = None, part: Province | None = None,
                     chairmen: list[dict] | None = None) -> tuple[Directory, dict[str, dict], Facts]:
    """What a pass needs besides the open items (`views`), read by index, not whole collections: of the tasks those
    the items name and those whose reminder window has opened (a province's pass: the province's, `part.tasks`); of
    the agencies those the items and tasks name, the standing bodies and the agencies of units whose plans (the
    province's) require reports; their heads' contacts and the chairmen's; every unit, plan and silence (a few
    thousand; `units`, `plans` and the chairmen's contacts when the caller read them already)."""
    units = units if units is not None else await store.find(UNITS)
    plans = plans if plans is not None else {p["plan_id"]: p for p in await store.find(PLANS)}
    if part is None:
        tasks = {t["task_id"]: t for t in await store.find_lowest(TASKS, REMIND_FROM, MAX_TASKS, upto=local_today(now).isoformat())}
    else:  # the province's tasks in their window (as find_lowest reads them: `remind_from` set and come)
        upto = local_today(now).isoformat()
        tasks = {t["task_id"]: t for t in (await store.find(TASKS, task_id=list(part.tasks)) if part.tasks else [])
                 if t.get(REMIND_FROM) and t[REMIND_FROM] <= upto}
    named = sorted({v["task_id"] for v in views} - tasks.keys())
    tasks |= {t["task_id"]: t for t in (await store.find(TASKS, task_id=named) if named else []) if not t.get("done")}
    named = sorted({v["agency_id"] for v in views} | {t["lead"] for t in tasks.values() if t.get("lead")})
    successors = Directory.of(units, [])  # a plan's unit that ceased: its successor's agencies report
    own = plans.values() if part is None else (plans[p] for p in part.plans if p in plans)
    reporting = sorted({successors.current(p["unit_id"]) for p in own if p.get("reporting_schedules")})
    agencies = {a["agency_id"]: a for found in (await store.find(AGENCIES, standing_body=True) if part is None else
                                                 [a for a in await store.find(AGENCIES, unit_id=part.units) if a.get("standing_body")],
                                                 await store.find(AGENCIES, agency_id=named) if named else [],
                                                 await store.find(AGENCIES, unit_id=reporting) if reporting else []) for a in found}
    directory = Directory.of(units, list(agencies.values()))
    heads = await store.find(CONTACTS, agency_id=sorted(agencies)) if agencies else []
    chairmen = chairmen if chairmen is not None else await store.find(CONTACTS, role=Responsibility.unit_head.value)
    contacts = {c["contact_id"]: c for c in [*heads, *chairmen]}
    silences = [s for s in await store.find(SILENCES) if s["starts_at"] <= now.isoformat() < s["ends_at"]]
    return directory, contacts, Facts(plans, tasks, silences)


async def dispatch_digests(store: Store, clock: Clock, config: DispatchConfig) -> list[str]:
    """A pass per province (handlers/dispatch/provinces.py) when nothing links two provinces, else one global pass:
    the same digests at the same moments either way, with one province's items in memory at a time."""
    now = clock.now()
    today = local_today(now)
    if config.calendar.holiday(today):  # deferred: the first pass of the next working day routes everything again
        due = await store.find_lowest(GROUPS, NEXT_AT, MAX_GROUPS, upto=now.isoformat())
        await store.bulk_put(GROUPS, {g["contact_id"]: {**g, NEXT_AT: None} for g in due})
        return []
    units, plans = await store.find(UNITS), {p["plan_id"]: p for p in await store.find(PLANS)}
    memo, chairmen = await PolicyMemo.of(store), await store.find(CONTACTS, role=Responsibility.unit_head.value)
    parts = await partitions(store, Directory.of(units, []), list(plans.values()), today, MAX_TASKS) if config.by_province else None
    composed: list[str] = []
    routed: set[str] = set()  # every recipient routed in this pass (a few thousand ids)
    for part in parts or [None]:
        composed += await _dispatch(store, now, config, memo, units, plans, chairmen, part, routed)
        await asyncio.sleep(0)  # the store is synchronous: between provinces, HTTP, heartbeats and consumers get a turn
    due = await store.find_lowest(GROUPS, NEXT_AT, MAX_GROUPS, upto=now.isoformat())
    idle = {g["contact_id"]: {**g, NEXT_AT: None} for g in due if g["contact_id"] not in routed}
    if idle:  # timers that came due with nothing to tell: nothing to wait for any more
        await store.bulk_put(GROUPS, idle)
    return composed


async def _dispatch(store: Store, now: datetime, config: DispatchConfig, memo: PolicyMemo, units: list[dict], plans: dict[str, dict],
                    chairmen: list[dict], part: Province | None, routed_contacts: set[str]) -> list[str]:
    """Route and compose for one province (`part`), or for the whole installation (None); records in one transaction."""
    today = local_today(now)
    views = await open_items_of(store, part.units) if part else await store.find(ITEMS, open=True)
    directory, contacts, facts = await load_facts(store, now, views, units, plans, part, chairmen)
    routed = route_items(views, facts, directory, contacts, today, memo)
    del views
    route_reminders(routed, facts, directory, contacts, today, config.weekends_off)
    own = facts if part is None else Facts({p: plans[p] for p in sorted(part.plans) if p in plans}, facts.tasks, facts.silences)
    report_marks = await route_report_reminders(store, routed, own, directory, contacts, today, config.weekends_off)
    alerts = await route_alerts(store, routed, directory, contacts, now, part.units if part else None)
    groups = {g["contact_id"]: g for g in await store.find(GROUPS, contact_id=sorted(routed.notices))} if routed.notices else {}
    routed_contacts.update(routed.notices)
    writes: dict[str, dict[str, dict]] = {ITEMS: {}, TASKS: _past_due(facts, today), GROUPS: {}, DIGESTS: {}, DELIVERIES: {},
                                          REPORT_REMINDERS: report_marks}
    composed: list[str] = []
    for contact_id, notices in routed.notices.items():
        state = _state(groups.get(contact_id))
        repeat, news = timedelta(days=min(n.repeat_days for n in notices)), any(n.news for n in notices)
        send, kept = grouping.decide_send(state, news, True, repeat, now, config.timers)
        if not send:
            doc = _state_doc(contact_id, kept, grouping.next_check(kept, news, repeat, config.timers))
            if doc != groups.get(contact_id):
                writes[GROUPS][contact_id] = doc
            continue
        digest_id = _compose(contact_id, notices, routed, contacts[contact_id], config, now, writes, facts, alerts)
        writes[GROUPS][contact_id] = _state_doc(contact_id, grouping.sent(now), now + repeat)
        composed.append(digest_id)
    writes[REPORT_REMINDERS] = {k: {f: x for f, x in v.items() if f != "changed"} for k, v in report_marks.items() if v.get("changed")}
    async with store.transaction():
        for collection, docs in writes.items():
            if docs:
                await store.bulk_put(collection, docs)
        for alert in alerts.values():
            await store.put("alerts", alert["alert_id"], alert)
    return composed


def _past_due(facts: Facts, today: date) -> dict[str, dict]:
    """Tasks whose due day has passed leave the reminder window (reminders stop at the due day; escalation takes over)."""
    return {t["task_id"]: {**t, REMIND_FROM: None} for t in facts.tasks.values()
            if t.get(REMIND_FROM) and t.get("due") and is_overdue(date.fromisoformat(t["due"]), None, today)}


def _compose(contact_id: str, notices: list[Notice], routed: Routed, contact: dict, config: DispatchConfig, now: datetime,
             writes: dict, facts: Facts, alerts: dict) -> str:
    holder = routed.holders[contact_id]
    to = Addressee(holder.title, contact.get("name") or holder.name, holder.of, contact.get("language") or "vi")
    expires = now + timedelta(days=config.ack_link_days)
    entries = []
    for notice in notices:
        entry = notice.entry
        if entry.kind == "overdue" and not entry.cc:
            token = ack_link.issue(config.secret, ack_link.AckGrant(notice.key, contact_id, expires, uuid.uuid4().hex))
            entry = copied(entry, ack_url=f"{config.public_url}/ack/{token}")
        entries.append(entry)
        _mark_told(notice, contact_id, now, routed, writes, facts, alerts)
    digest = render(to, entries, local_today(now))
    digest_id = f"{contact_id}:{now.strftime('%Y%m%dT%H%M%S')}:{uuid.uuid4().hex[:8]}"
    items = [n.key for n in notices]
    writes[DIGESTS][digest_id] = {"digest_id": digest_id, "contact_id": contact_id, "subject": digest.subject, "text": digest.text,
                                  "html": digest.html, "items": items, "composed_at": now.isoformat(), "read_at": None}
    channels = ["inbox", contact.get("channel") or "email"]
    for channel in dict.fromkeys(channels):
        writes[DELIVERIES][f"{digest_id}/{channel}"] = {
            "delivery_id": f"{digest_id}/{channel}", "digest_id": digest_id, "contact_id": contact_id, "channel": channel,
            "status": "pending", "attempt": 0, "next_attempt_at": now.isoformat(), RETRY_AT: now.isoformat(), "last_error": None,
            "items": items}
    return digest_id


def _mark_told(notice: Notice, contact_id: str, now: datetime, routed: Routed, writes: dict, facts: Facts, alerts: dict) -> None:
    if notice.key in routed.views:
        view = writes[ITEMS].get(notice.key) or {**routed.views[notice.key], "told": dict(routed.views[notice.key]["told"])}
        view["told"][contact_id] = notice.mark
        view.setdefault("told_at", {})[contact_id] = now.isoformat()
        writes[ITEMS][notice.key] = view
    elif notice.key.startswith(REPORT_REMINDER):
        mark = writes[REPORT_REMINDERS][notice.key.removeprefix(REPORT_REMINDER)]
        mark["reminded"][contact_id] = [*mark["reminded"].get(contact_id, []), notice.mark]
        mark["changed"] = True
    elif notice.key.startswith("reminder:"):
        task_id = notice.key.removeprefix("reminder:")
        task = writes[TASKS].get(task_id) or {**facts.tasks[task_id], "reminded": dict(facts.tasks[task_id].get("reminded") or {})}
        task["reminded"][contact_id] = [*task["reminded"].get(contact_id, []), notice.mark]
        writes[TASKS][task_id] = task
    elif notice.key in alerts:
        alerts[notice.key]["told"][contact_id] = now.isoformat()
