"""The quiet digest pass: route only the recipients who may hear something now, not every open item.

A recipient may hear something now when an item of theirs has news (its view's `route_on` day has come: started,
climbed a rung, moved, resolved, or a pause ended), when their digest timers came (`next_at` of their group: group
wait, group interval, the repeat), or when a reminder is due to them (a task's or a periodic report's). Those are the
pass's recipients; for each, every open item that can reach them is read (the items their agency leads; the items of
the units under the unit whose chairman or standing body they are), with the parents and children those items fold
with, so each digest lists what a pass over every item would list. Nobody else is decided on: with no news and no timer
come, a pass over every item would neither send to them nor change what it remembers of them.

Some changes reach recipients no item's news names; after them the next pass routes every item, as before: the first
pass on a store written before `route_on` existed (no routing state stored), a change of who holds a role or can be
reached or of what is silenced (ROUTING_CHANGES), a silence starting or ending, the first working day after a weekend
or holiday (items deferred on days off), and anything linking two provinces (the pass is then global). A process's
first pass is no exception: the marks, timers and positions a pass reads are stored with what they mark, so a restart
loses none of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from schemas.notify import Role, Target
from services.notify.domain.calendar import WorkingCalendar
from services.notify.domain.routing import Directory, Holder, resolve
from services.notify.handlers.dispatch.notices import Routed
from services.notify.handlers.dispatch.provinces import TOP, Province, open_items_of
from services.notify.handlers.repository import AGENCIES, COUNTERS, ITEMS, ROUTE_ON, TASKS
from services.runtime.clock import local_today
from services.runtime.ports import Store

STATE = "routing"  # COUNTERS doc: when the last pass ran, the routing changes it saw, whether it had to be global
MAX_DAYS_OFF_LOOKED_AT = 31  # a longer gap between passes routes everything anyway
SCOPE_IDS = 200  # agencies and units read by id for a province's recipients; beyond, the province's items are read whole


@dataclass(frozen=True)
class RouteState:
    last_at: datetime | None = None
    changes: int = 0
    linked: bool = False  # the last pass was global: something linked two provinces or sat in none
    reminded_on: str | None = None  # the local day reminders were last looked at in every province
    task_changes: int = 0  # TASK_CHANGES then


async def read_state(store: Store) -> RouteState:
    doc = await store.get(COUNTERS, STATE)
    if not doc:
        return RouteState()
    return RouteState(datetime.fromisoformat(doc["last_at"]), doc["changes"], doc["linked"], doc.get("reminded_on"), doc.get("task_changes", 0))


async def write_state(store: Store, state: RouteState) -> None:
    await store.put(COUNTERS, STATE, {"last_at": state.last_at.isoformat(), "changes": state.changes, "linked": state.linked,
                                      "reminded_on": state.reminded_on, "task_changes": state.task_changes})


def full_route_due(state: RouteState, changes: int, now: datetime, silences: list[dict], calendar: WorkingCalendar,
                   weekends_off: bool = True) -> str | None:
    """Why this pass must route every item (None: a quiet pass will do)."""
    if state.last_at is None:
        return "first pass"
    if changes != state.changes:
        return "directory, contacts or silences changed"
    if state.linked:
        return "global"
    if now < state.last_at:
        return "clock moved back"
    if any(state.last_at < datetime.fromisoformat(s[k]) <= now for s in silences for k in ("starts_at", "ends_at")):
        return "a silence started or ended"
    today, day = local_today(now), local_today(state.last_at)
    if (today - day).days > MAX_DAYS_OFF_LOOKED_AT:
        return "long gap"
    off = lambda d: calendar.is_day_off(d, weekends_off)  # noqa: E731
    if day < today and not off(today) and any(off(day + timedelta(days=n)) for n in range((today - day).days)):
        return "first working day after days off"
    return None


def kept_mark(view: dict, today: date) -> str | None:
    """What `route_on` becomes once the item was routed: the end of a pause still to come (news again then), else None."""
    if not view["open"]:
        return None
    ends = [until for _, until in view.get("pauses") or () if until > today.isoformat()]
    return min(ends) if ends else None


@dataclass
class QuietPart:
    """A province's share of a quiet pass: the items with news and the recipients whose timers came."""

    fresh: list[str]
    due: set[str]


async def seeds_of(store: Store, fresh: list[str]) -> tuple[list[dict], list[dict]]:
    """(the items with news as stored now, the open ones among them and the open children of those resolved: a
    child folded into its parent's entry is news of its own once the parent is resolved)."""
    found = await store.find(ITEMS, item_id=sorted(fresh)) if fresh else []
    resolved = sorted({v["task_id"] for v in found if not v["open"]})
    children = sorted({t["task_id"] for t in await store.find(TASKS, parent_task_id=resolved)}) if resolved else []
    opened = [v for v in found if v["open"]]
    opened += [v for v in (await store.find(ITEMS, task_id=children) if children else []) if v["open"]]
    return found, list({v["item_id"]: v for v in opened}.values())


def recipients(probe: Routed, due: set[str], directory: Directory) -> set[str]:
    """Who may hear something now: the recipients of the items with news and of the reminders due, whoever an alert
    for an unreachable target goes to, and the recipients whose timers came."""
    found = set(probe.notices) | due
    for _, view in probe.vacancies.values():
        for role in (Role.standing_body, Role.chairman):
            who = resolve(Target(role=role), view["agency_id"], view["unit_id"], directory)
            if isinstance(who, Holder):
                found.add(who.contact_id)
    return found


def _lineage(directory: Directory, unit_id: str) -> set[str]:
    """The unit, the unit answering for it now, and every unit above up to the province."""
    found, at = {unit_id}, directory.current(unit_id)
    for _ in range(TOP):
        found.add(at)
        parent = (directory.units.get(at) or {}).get("parent_id")
        if not parent or parent == at:
            break
        at = directory.current(parent)
    return found


async def scope(store: Store, directory: Directory, part: Province, only: set[str], seeds: list[dict]) -> list[dict]:
    """Every open item that can reach the recipients `only` (contact ids), with the items they fold with."""
    agencies, units = set(), set()
    for contact_id in only:
        owner, _, role = contact_id.rpartition(".")
        if role == "agency_head":
            agencies.add(owner)
            body = directory.agencies.get(owner)
            if body and body.get("standing_body"):  # copied on, or climbed to, the items of its unit and those below
                units.add(directory.current(body["unit_id"]))
        elif role == "unit_head":
            units.add(owner)
    below = sorted(u for u in part.units if units & _lineage(directory, u))
    if len(agencies) + len(below) > SCOPE_IDS:  # most of the province: its items in one read (parents and children are in it)
        return list({v["item_id"]: v for v in [*seeds, *await open_items_of(store, part.units)]}.values())
    found = {v["item_id"]: v for v in seeds}
    for view in [*(await store.find(ITEMS, agency_id=sorted(agencies)) if agencies else []),
                 *(await store.find(ITEMS, unit_id=below) if below else [])]:
        if view["open"]:
            found[view["item_id"]] = view
    tasks = {v["task_id"] for v in found.values()}
    parents = {v["parent_task_id"] for v in found.values() if v.get("parent_task_id")} - tasks
    children = {t["task_id"] for t in (await store.find(TASKS, parent_task_id=sorted(tasks)) if tasks else [])} - tasks
    for view in (await store.find(ITEMS, task_id=sorted(parents | children)) if parents or children else []):
        if view["open"]:
            found.setdefault(view["item_id"], view)
    return list(found.values())


async def due_by_province(store: Store, top: dict[str, str], due: list[dict]) -> dict[str, set[str]]:
    """province -> the contact ids among `due` (groups whose timers came) that sit in it."""
    agency_ids = sorted({g["contact_id"].rpartition(".")[0] for g in due if g["contact_id"].endswith(".agency_head")})
    unit_of = {a["agency_id"]: a["unit_id"] for a in (await store.find(AGENCIES, agency_id=agency_ids) if agency_ids else [])}
    found: dict[str, set[str]] = {}
    for group in due:
        owner, _, role = group["contact_id"].rpartition(".")
        province = top.get(unit_of.get(owner, "") if role == "agency_head" else owner)
        if province is not None:
            found.setdefault(province, set()).add(group["contact_id"])
    return found
