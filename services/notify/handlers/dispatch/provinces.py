"""A digest pass one province at a time, so only one province's items, views and facts are in memory at once.

Every recipient sits under one province: the head of an agency under its unit's, a chairman or standing body under
the unit's, and a ladder climbs only inside a province (routing.Directory.ancestor). So a pass per province sends the
same digests as one global pass, provided nothing links two provinces: an item or a task in its reminder window led
by an agency of another province, a child task escalating under a parent of another province, or something notify
cannot place (a plan, an open alert or an open item of a unit it does not know). `partitions` checks that, reading one
province's open items at a time, and answers None when a link exists: the pass is then global, as before.

An open item of a unit notify never registered (a task transferred to one, or missed in one no plan names) sits in no
province, so no province's reads find it. Every item is news when it starts or moves (`route_on`), and `links` looks at
every item with news: such an item makes that pass global, and the passes stay global (every item routed) while the
global pass still meets one (dispatch.PassSoFar.orphans).
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from services.notify.domain.routing import Directory
from services.notify.handlers.repository import AGENCIES, ALERTS, ITEMS, REMIND_FROM, TASKS
from services.runtime.ports import Store

TOP = 64  # levels climbed to find a unit's province (a province has no parent; successions are followed)


@dataclass(frozen=True)
class Province:
    """One province's share of a pass: its units (those ceased too), its plans and the ids of its tasks in their reminder
    window (read again in the province's turn: only one province's tasks in memory at once)."""

    province_id: str
    units: list[str]
    plans: frozenset[str]
    tasks: tuple[str, ...]


def province_of(directory: Directory, unit_id: str) -> str:
    return directory.ancestor(unit_id, TOP)


def provinces_of(directory: Directory) -> dict[str, str]:
    """unit id -> its province, for every unit notify knows (ceased ones too)."""
    return {unit_id: province_of(directory, unit_id) for unit_id in directory.units}


async def partitions(store: Store, directory: Directory, plans: list[dict], today: date, max_tasks: int,
                     items: bool = True) -> list[Province] | None:
    """The provinces of the installation, each with what its pass reads; None when something links two provinces.
    `items=False` leaves out the check of every open item (a quiet pass checks only the items with news: `links`)."""
    if not directory.units:
        return None
    top = provinces_of(directory)
    units: dict[str, list[str]] = {}
    for unit_id, province in top.items():
        units.setdefault(province, []).append(unit_id)
    own: dict[str, set[str]] = {}  # province -> its plans
    for plan in plans:
        if plan["unit_id"] not in top:
            return None
        own.setdefault(top[plan["unit_id"]], set()).add(plan["plan_id"])
    if any(a["kind"] in ("no_contact", "vacant") and a.get("unit_id") not in top for a in await store.find(ALERTS, open=True)):
        return None
    await asyncio.sleep(0)  # (every open alert read: 18k at 201k tasks)
    window = await store.find_lowest(TASKS, REMIND_FROM, max_tasks, upto=today.isoformat())
    leads = await _agencies_province(store, top, {t["lead"] for t in window if t.get("lead")})
    tasks: dict[str, list[str]] = {}
    for task in window:
        province = top.get(task.get("unit_id") or "")
        if province is None or leads.get(task.get("lead"), province) != province:
            return None
        tasks.setdefault(province, []).append(task["task_id"])
    del window
    await asyncio.sleep(0)
    if not items:
        return [Province(p, sorted(units[p]), frozenset(own.get(p, ())), tuple(tasks.get(p, ()))) for p in sorted(units)]
    escalating: dict[str, str] = {}  # task id of an open item -> its province
    parents: list[tuple[str, str]] = []  # (province, parent task id) of the open items naming a parent
    for province in sorted(units):
        views = await open_items_of(store, units[province])
        leads = await _agencies_province(store, top, {v["agency_id"] for v in views})
        for view in views:
            if leads.get(view["agency_id"], province) != province:
                return None
            escalating[view["task_id"]] = province
            if view.get("parent_task_id"):
                parents.append((province, view["parent_task_id"]))
        del views
        await asyncio.sleep(0)  # the store is synchronous: between provinces, HTTP, heartbeats and consumers get a turn
    if any(escalating.get(parent, province) != province for province, parent in parents):
        return None
    return [Province(p, sorted(units[p]), frozenset(own.get(p, ())), tuple(tasks.get(p, ()))) for p in sorted(units)]


async def links(store: Store, top: dict[str, str], views: list[dict]) -> bool:
    """Whether any of these items (those with news) links two provinces or sits in no province notify knows (an item of
    a unit never registered, e.g. after a transfer to one): its lead agency's province, its parent's or its children's
    items' province differs from its own. Such an item makes the pass global, where every item is routed."""
    views = [v for v in views if v["open"]]
    if not views:
        return False
    if any(v["unit_id"] not in top for v in views):
        return True
    leads = await _agencies_province(store, top, {v["agency_id"] for v in views})
    if any(leads.get(v["agency_id"], top[v["unit_id"]]) != top[v["unit_id"]] for v in views):
        return True
    parents = sorted({v["parent_task_id"] for v in views if v.get("parent_task_id")})
    children = sorted({t["task_id"] for t in await store.find(TASKS, parent_task_id=sorted({v["task_id"] for v in views}))})
    related = [v for v in (await store.find(ITEMS, task_id=sorted({*parents, *children})) if parents or children else []) if v["open"]]
    by_task: dict[str, set[str | None]] = {}  # task id -> the provinces of its open items
    for v in [*views, *related]:
        by_task.setdefault(v["task_id"], set()).add(top.get(v["unit_id"]))
    return any(p != top.get(v["unit_id"]) for v in [*views, *related] for p in by_task.get(v.get("parent_task_id") or "", ()))


async def open_items_of(store: Store, units: list[str]) -> list[dict]:
    """A province's open items, read by unit only: with `open` in the query too, SQLite's planner walks the `open`
    index through every open item of the country for each province."""
    return [v for v in await store.find(ITEMS, unit_id=sorted(units)) if v["open"]]


async def _agencies_province(store: Store, top: dict[str, str], agency_ids: set[str]) -> dict[str, str | None]:
    """agency id -> the province of its unit (None: a unit notify does not know); agencies not registered are left out
    (they reach nobody: routing raises an alert in the item's own province)."""
    if not agency_ids:
        return {}
    return {a["agency_id"]: top.get(a["unit_id"]) for a in await store.find(AGENCIES, agency_id=sorted(agency_ids))}
