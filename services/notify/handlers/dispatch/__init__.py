"""The digest pass: route every notice to its recipient, and compose one digest per recipient whose timers say so.

Composing records, in one transaction, the digest, its deliveries (in-app inbox plus the preferred channel) and
what each recipient has now been told; sending happens in handlers/send.py from the deliveries. On a national
holiday nothing is composed (deferred to the next working day, never dropped).
"""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field, replace
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
from services.notify.handlers.dispatch.provinces import Province, links, open_items_of, partitions, provinces_of
from services.notify.handlers.dispatch.quiet import (
    SCOPE_IDS, QuietPart, RouteState, due_by_province, full_route_due, kept_mark, read_state, recipients, scope, seeds_of, write_state,
)
from services.notify.handlers.dispatch.report_reminders import KEY as REMINDER_KEY, route_report_reminders
from services.notify.handlers.repository import (
    AGENCIES, CONTACTS, DELIVERIES, DIGESTS, GROUPS, ITEMS, NEXT_AT, PLANS, REMIND_FROM, REPORT_REMINDERS, RETRY_AT, ROUTE_ON,
    ROUTING_CHANGES, SILENCES, TASK_CHANGES, TASKS, UNITS, PolicyMemo,
)
from services.notify.domain.reports import PREFIX as REPORT_PREFIX

REPORT_REMINDER = REMINDER_KEY + REPORT_PREFIX  # notice keys of reminders before a periodic report's deadline
from services.runtime.clock import Clock, local_today
from services.runtime.ports import Store


MAX_GROUPS = 1_000_000  # recipients' timers looked at in one pass
MAX_TASKS = 1_000_000  # tasks in their reminder window looked at in one pass
MAX_FRESH = 2_000  # items with news read at the start of a pass; more, and the pass routes every item


@dataclass(frozen=True)
class DispatchConfig:
    secret: str
    public_url: str = "http://127.0.0.1:8004"
    timers: grouping.Timers = field(default_factory=grouping.Timers)
    ack_link_days: int = 14
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    weekends_off: bool = True  # for reminders (items follow their own frozen policy)
    by_province: bool = True  # a pass per province when nothing links two (False: one global pass, as before)
    quiet: bool = True  # route only the recipients who may hear something now (dispatch/quiet.py); False: every item, every pass


@dataclass
class PassSoFar:
    """What the provinces' passes found, for the end of the pass."""

    routed: set[str] = field(default_factory=set)  # every recipient decided on (a few thousand ids)
    orphans: bool = False  # a global pass met an open item of a unit notify does not know
    items_routed: int = 0  # open items routed (what the quiet pass saves)


def _state(doc: dict | None) -> grouping.GroupState:
    if not doc:
        return grouping.GroupState()
    parse = lambda v: datetime.fromisoformat(v) if v else None  # noqa: E731
    return grouping.GroupState(parse(doc.get("pending_since")), parse(doc.get("last_sent_at")))


def _state_doc(contact_id: str, state: grouping.GroupState, next_at: datetime | None) -> dict:
    return {"contact_id": contact_id, "pending_since": state.pending_since.isoformat() if state.pending_since else None,
            "last_sent_at": state.last_sent_at.isoformat() if state.last_sent_at else None,
            NEXT_AT: next_at.isoformat() if next_at else None}


@dataclass(frozen=True)
class PassReads:
    """What every province's share of a pass reads alike, read once a pass (a few thousand documents each)."""

    units: list[dict]
    base: Directory  # the units alone (agencies are added per province: Directory.with_agencies)
    plans: dict[str, dict]
    chairmen: list[dict]  # the chairmen's contacts
    standing: list[dict]  # the standing bodies
    silences: list[dict]  # every silence (those in force are picked per pass)
    memo: PolicyMemo

    @classmethod
    async def of(cls, store: Store) -> "PassReads":
        units = await store.find(UNITS)
        return cls(units, Directory.of(units, []), {p["plan_id"]: p for p in await store.find(PLANS)},
                   await store.find(CONTACTS, role=Responsibility.unit_head.value), await store.find(AGENCIES, standing_body=True),
                   await store.find(SILENCES), await PolicyMemo.of(store))


async def load_facts(store: Store, now: datetime, views: list[dict], reads: PassReads | None = None,
                     part: Province | None = None) -> tuple[Directory, dict[str, dict], Facts]:
    """What a pass needs besides the open items (`views`), read by index, not whole collections: of the tasks those
    the items name and those whose reminder window has opened (a province's pass: the province's, `part.tasks`); of
    the agencies those the items and tasks name, the standing bodies and the agencies of units whose plans (the
    province's) require reports; their heads' contacts and the chairmen's; every unit, plan and silence (`reads`, read
    once a pass)."""
    reads = reads or await PassReads.of(store)
    plans, upto = reads.plans, local_today(now).isoformat()
    if part is None:
        tasks = {t["task_id"]: t for t in await store.find_lowest(TASKS, REMIND_FROM, MAX_TASKS, upto=upto)}
    else:  # the province's tasks in their window (as find_lowest reads them: `remind_from` set and come)
        tasks = {t["task_id"]: t for t in (await store.find(TASKS, task_id=list(part.tasks)) if part.tasks else [])
                 if t.get(REMIND_FROM) and t[REMIND_FROM] <= upto}
    named = sorted({v["task_id"] for v in views} - tasks.keys())
    tasks |= {t["task_id"]: t for t in (await store.find(TASKS, task_id=named) if named else []) if not t.get("done")}
    named = sorted({v["agency_id"] for v in views} | {t["lead"] for t in tasks.values() if t.get("lead")})
    own = plans.values() if part is None else (plans[p] for p in part.plans if p in plans)
    reporting = sorted({reads.base.current(p["unit_id"]) for p in own if p.get("reporting_schedules")})  # a ceased unit: its successor's
    mine = set(part.units) if part is not None else None
    agencies = {a["agency_id"]: a for found in ([a for a in reads.standing if mine is None or a["unit_id"] in mine],
                                                 await store.find(AGENCIES, agency_id=named) if named else [],
                                                 await store.find(AGENCIES, unit_id=reporting) if reporting else []) for a in found}
    directory = reads.base.with_agencies(list(agencies.values()))
    heads = await store.find(CONTACTS, agency_id=sorted(agencies)) if agencies else []
    contacts = {c["contact_id"]: c for c in [*heads, *reads.chairmen]}
    silences = [s for s in reads.silences if s["starts_at"] <= now.isoformat() < s["ends_at"]]
    return directory, contacts, Facts(plans, tasks, silences)


async def dispatch_pass(store: Store, clock: Clock, config: DispatchConfig, full: bool = False) -> tuple[list[str], PassSoFar]:
    """The digests composed, and what the pass looked at. A pass per province (handlers/dispatch/provinces.py) when
    nothing links two provinces, else one global pass: the same digests at the same moments either way, with one
    province's items in memory at a time. A quiet pass (dispatch/quiet.py) routes only the recipients who may hear
    something now; `full`, or a change only a pass over every item sees (the stored routing state says which), routes every
    item. A process's first pass reads the same stored state: after a restart it is quiet unless that state asks more."""
    now = clock.now()
    today = local_today(now)
    if config.calendar.holiday(today):  # deferred: the first pass of the next working day routes everything again
        due = await store.find_lowest(GROUPS, NEXT_AT, MAX_GROUPS, upto=now.isoformat())
        await store.bulk_put(GROUPS, {g["contact_id"]: {**g, NEXT_AT: None} for g in due})
        return [], PassSoFar()
    reads = await PassReads.of(store)
    state, changes, task_changes = await read_state(store), await store.get_position(ROUTING_CHANGES), await store.get_position(TASK_CHANGES)
    every = "asked" if full or not config.quiet else full_route_due(state, changes, now, reads.silences, config.calendar)
    remind = every is not None or state.reminded_on != today.isoformat() or state.task_changes != task_changes
    fresh = await store.find_lowest(ITEMS, ROUTE_ON, MAX_FRESH + 1, upto=today.isoformat())
    if len(fresh) > MAX_FRESH:  # much news (a quarter end): every item is routed, each province's news marks cleared with it
        every, fresh = every or "much news", []
    due = await store.find_lowest(GROUPS, NEXT_AT, MAX_GROUPS, upto=now.isoformat())
    top = provinces_of(reads.base)
    parts = None
    if config.by_province:
        parts = await partitions(store, reads.base, list(reads.plans.values()), today, MAX_TASKS, items=every is not None)
        if parts is not None and await links(store, top, fresh):
            parts = None
    so_far = PassSoFar()
    composed: list[str] = []
    if parts is None:  # one global pass over every item
        composed += await _dispatch(store, now, config, reads, None, so_far, [f["item_id"] for f in fresh])
    else:
        fresh_in: dict[str, list[str]] = {}
        for view in fresh:
            fresh_in.setdefault(top.get(view["unit_id"], ""), []).append(view["item_id"])
        due_in = await due_by_province(store, top, due) if every is None else {}
        for part in parts:
            due_here = due_in.get(part.province_id, set())
            quiet = None if every is not None or len(due_here) > SCOPE_IDS else QuietPart(fresh_in.get(part.province_id, []), due_here)
            # (a repeat day, when most of a province's recipients are due: its items are read whole anyway)
            if quiet is not None and not (quiet.fresh or quiet.due or remind):
                continue  # no news, no timer come, and today's reminders were looked at: nothing to read here
            composed += await _dispatch(store, now, config, reads, part, so_far, fresh_in.get(part.province_id, []), quiet)
            await asyncio.sleep(0)  # the store is synchronous: between provinces, HTTP, heartbeats and consumers get a turn
    await _sweep(store, today, reads, so_far)
    idle = {g["contact_id"]: {**g, NEXT_AT: None} for g in due if g["contact_id"] not in so_far.routed}
    if idle:  # timers that came due with nothing to tell: nothing to wait for any more
        await store.bulk_put(GROUPS, idle)
    after = RouteState(now, changes, config.by_province and (parts is None or so_far.orphans),
                       today.isoformat() if remind or parts is None else state.reminded_on, task_changes)
    if every is not None or replace(after, last_at=state.last_at) != state or local_today(state.last_at) != today:
        await write_state(store, after)  # a quiet pass that changed nothing on the day of the last one writes nothing:
    return composed, so_far  # its last_at serves the days-off and silence checks, which a full pass moves on


async def _sweep(store: Store, today: date, reads: PassReads, so_far: PassSoFar) -> None:
    """News marks left after the provinces' passes: resolved items' marks are cleared (every item was routed, or
    their children were); an open item no province holds makes the next pass global; an open item that came in
    during the pass keeps its mark for the next one. Read a slice at a time."""
    skipped: set[str] = set()
    while True:
        left = [v for v in await store.find_lowest(ITEMS, ROUTE_ON, len(skipped) + MAX_FRESH, upto=today.isoformat())
                if v["item_id"] not in skipped]
        so_far.orphans = so_far.orphans or any(v["open"] and v["unit_id"] not in reads.base.units for v in left)
        done = {v["item_id"]: {**v, ROUTE_ON: None} for v in left if not v["open"]}
        skipped |= {v["item_id"] for v in left if v["open"]}
        if not done:
            return
        await store.bulk_put(ITEMS, done)


async def _routes(store: Store, now: datetime, config: DispatchConfig, reads: PassReads, part: Province | None,
                  views: list[dict]) -> tuple[Routed, Directory, Facts, dict, dict]:
    """Every notice of these items and of the reminders due: (routed, directory, facts, contacts, report reminder marks)."""
    today, plans = local_today(now), reads.plans
    directory, contacts, facts = await load_facts(store, now, views, reads, part)
    routed = route_items(views, facts, directory, contacts, today, await reads.memo.cover(store, views))
    route_reminders(routed, facts, directory, contacts, today, config.weekends_off)
    own = facts if part is None else Facts({p: plans[p] for p in sorted(part.plans) if p in plans}, facts.tasks, facts.silences)
    report_marks = await route_report_reminders(store, routed, own, directory, contacts, today, config.weekends_off)
    return routed, directory, facts, contacts, report_marks


async def _dispatch(store: Store, now: datetime, config: DispatchConfig, reads: PassReads, part: Province | None, so_far: PassSoFar,
                    fresh: list[str], quiet: QuietPart | None = None) -> list[str]:
    """Route and compose for one province (`part`), or for the whole installation (None); records in one transaction.
    `quiet`: only the recipients who may hear something now are decided on, with the items that can reach them."""
    today = local_today(now)
    found, seeds = await seeds_of(store, fresh)
    only: set[str] | None = None
    if quiet is not None:
        probe, directory, facts, _, _ = await _routes(store, now, config, reads, part, seeds)
        only = recipients(probe, quiet.due, directory)
        if not only:  # nobody to decide on: the news (if any) reaches nobody now
            await _record(store, {ITEMS: _unmarked(found, {}, today), TASKS: _past_due(facts, today)}, {})
            return []
        views = await scope(store, directory, part, only, seeds)
    else:
        views = await open_items_of(store, part.units) if part else await store.find(ITEMS, open=True)
        so_far.orphans = so_far.orphans or (part is None and any(v["unit_id"] not in reads.base.units for v in views))
        known = {v["item_id"] for v in found}
        found += [v for v in views if (v.get(ROUTE_ON) or "~") <= today.isoformat() and v["item_id"] not in known]
    so_far.items_routed += len(views)
    routed, directory, facts, contacts, report_marks = await _routes(store, now, config, reads, part, views)
    del views
    alerts = await route_alerts(store, routed, directory, contacts, now, part.units if part else None,
                                set(routed.views) if only is not None else None)
    if only is not None:  # the others neither hear anything now nor change what notify remembers of them
        routed.notices = {c: n for c, n in routed.notices.items() if c in only}
    groups = {g["contact_id"]: g for g in await store.find(GROUPS, contact_id=sorted(routed.notices))} if routed.notices else {}
    so_far.routed.update(routed.notices)
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
    writes[ITEMS] |= _unmarked(found, writes[ITEMS], today)
    await _record(store, writes, alerts)
    return composed


def _unmarked(found: list[dict], written: dict[str, dict], today: date) -> dict[str, dict]:
    """The items with news, routed: their news is with their recipients now (or waits on their timers)."""
    return {v["item_id"]: {**(written.get(v["item_id"]) or v), ROUTE_ON: kept_mark(written.get(v["item_id"]) or v, today)} for v in found}


async def _record(store: Store, writes: dict[str, dict[str, dict]], alerts: dict[str, dict]) -> None:
    async with store.transaction():
        for collection, docs in writes.items():
            if docs:
                await store.bulk_put(collection, docs)
        for alert in alerts.values():
            await store.put("alerts", alert["alert_id"], alert)


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
    items = sorted(n.key for n in notices)  # the same list however the pass read the items
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
