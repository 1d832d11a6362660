"""Escalations in progress for a unit's subtree: item, rung, who was told (roles), who acknowledged and until when, days overdue.

Read from reporting's `escalations` view of notify's topic (handlers/escalations.py). The most overdue first; at most
MAX_ROWS rows (a province can have hundreds of items open), the count of all of them beside.
"""
from __future__ import annotations

from datetime import date, datetime

from schemas import deadlines

from services.reporting.dashboard import queries
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.formatting import shorten
from services.reporting.dashboard.roles import Directory, contact, target
from services.reporting.domain.projection import LOCAL_TZ, TASKS
from services.runtime.ports import DocumentStore


MAX_ROWS = 200


async def escalations(store: DocumentStore, unit_id: str, page: PageContext, max_rows: int = MAX_ROWS) -> dict:
    scope = await queries.scope(store, unit_id, with_tasks=False, tree=page.tree)
    items = [e for e in await queries.escalations(store, scope.subtree) if e.get("rung", 0) >= 1]
    items.sort(key=lambda e: (e["due"], -e["rung"], e["item_id"]))  # the earliest due is the most overdue
    shown = items[:max_rows]
    directory = await _directory(store, scope, shown)
    tasks = {d["task_id"]: d for d in await store.find(TASKS, task_id=sorted({e["task_id"] for e in shown}))} if shown else {}
    rows = [_row(item, tasks.get(item["task_id"]), directory, page) for item in shown]
    return {"scope": scope, "escalations": rows, "total": len(items), "max_rows": max_rows}


def _row(item: dict, task: dict | None, directory: Directory, page: PageContext) -> dict:
    told = [target(t["role"], t["up"], item["agency_id"], item["unit_id"], directory, page.lang) for t in item["told"]]
    cc = [target(t["role"], t["up"], item["agency_id"], item["unit_id"], directory, page.lang) for t in item.get("cc", [])]
    ack = item.get("acknowledged")
    shown, rest = shorten((task or {}).get("content") or item["task_id"], 100)
    return {
        "item_id": item["item_id"], "task_id": item["task_id"], "code": (task or {}).get("code") or "", "shown": shown, "rest": rest,
        "href": page.link(f"/dashboard/tasks/{item['task_id']}"), "rung": item["rung"], "rungs": item.get("rungs"),
        "told": told, "cc": cc, "raised_at": local_day(item.get("raised_at")), "due": item["due"], "period": item.get("period"),
        "days_overdue": deadlines.days_overdue(date.fromisoformat(item["due"]), page.as_of),
        "unit": directory.units.get(item["unit_id"], {}).get("name", item["unit_id"]),
        "agency": directory.agencies.get(item["agency_id"], {}).get("name", item["agency_id"]),
        "acknowledged_by": contact(ack["by"], directory, page.lang) if ack else None,
        "acknowledged_at": local_day(ack["at"]) if ack else None, "until": ack["expected_on"] if ack else None,
    }


async def _directory(store: DocumentStore, scope: queries.Scope, items: list[dict]) -> Directory:
    """The lead agencies of the items and the agencies of every unit up the chain (their standing bodies)."""
    chain: set[str] = set()
    for unit_id in {i["unit_id"] for i in items}:
        while unit_id and unit_id not in chain:
            chain.add(unit_id)
            unit_id = scope.parents.get(unit_id)
    agencies = await queries.agencies_by_id(store, sorted({i["agency_id"] for i in items})) if items else {}
    agencies.update(await queries.agencies(store, sorted(chain)) if chain else {})
    return Directory(scope.units, scope.parents, agencies)


def local_day(moment: str | None) -> str | None:
    """The local day (Asia/Ho_Chi_Minh) of a stored UTC timestamp."""
    return datetime.fromisoformat(moment).astimezone(LOCAL_TZ).date().isoformat() if moment else None
