"""Reads of reporting's read model for one unit's subtree: units, tasks, plans and agencies.

Only reads; the collections are those the projection writes (domain/projection.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schemas.rejections import NotFound
from services.reporting.dashboard.unittree import UnitTree
from services.reporting.domain import rollup
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.domain.projection import AGENCIES, PLANS, TASKS, UNITS, Doc
from services.reporting.domain.timeline import KEEP, TIMELINE_ENTRIES, TIMELINES, joined
from services.runtime.ports import DocumentStore



@dataclass
class Scope:
    """A unit, the hierarchy around it and the task documents of its subtree."""

    unit: Doc
    units: dict[str, Doc]
    parents: dict[str, str | None]
    subtree: list[str]
    tasks: list[Doc]

    def children(self) -> list[str]:
        return rollup.children(self.parents, self.unit["unit_id"])

    def path(self) -> list[Doc]:
        """The unit's ancestors, the top first, then the unit: the breadcrumb."""
        chain = rollup.ancestors(self.parents, self.unit["unit_id"])
        return [self.units[u] for u in reversed(chain)] + [self.unit]


async def hierarchy(store: DocumentStore, tree: UnitTree | None = None, wanted: str | None = None) -> tuple[dict[str, Doc], dict[str, str | None]]:
    """Units by id and parents by id: from the app's kept tree when there is one, else read now."""
    if tree is not None:
        return await tree.get(store, wanted)
    units = {doc["unit_id"]: doc for doc in await store.find(UNITS)}
    return units, {unit_id: doc.get("parent_id") for unit_id, doc in units.items()}


async def scope(store: DocumentStore, unit_id: str, *, with_tasks: bool = True, open_only: bool = False,
                tree: UnitTree | None = None) -> Scope:
    units, parents = await hierarchy(store, tree, unit_id)
    if unit_id not in units:
        raise NotFound(f"no unit with id {unit_id!r}", field="unit_id")
    below = rollup.subtree(parents, unit_id)
    where = {"open": True} if open_only else {}
    tasks = await store.find(TASKS, unit_id=below, **where) if with_tasks else []
    return Scope(units[unit_id], units, parents, below, tasks)


async def most_overdue(store: DocumentStore, subtree: list[str], total: dict[str, int], day: date, wanted: int) -> list[Doc]:
    """Open tasks of the subtree due earliest before `day`: at least `wanted` of them when there are that many.

    The subtree's total counters say how many open tasks fall due on each day (`a|open|<due>`, adjusted basis), so
    only the earliest days' tasks are read, never every open task of a province."""
    first = day.isoformat()
    days = sorted((key[7:], n) for key, n in total.items() if key.startswith("a|open|") and key[7:] < first and n > 0)
    chosen, found = [], 0
    for due, count in days:
        chosen.append(due)
        found += count
        if found >= wanted:
            break
    return await store.find(TASKS, unit_id=subtree, open=True, due=chosen) if chosen else []


async def blocked(store: DocumentStore, subtree: list[str]) -> list[Doc]:
    """Open tasks of the subtree whose latest report says blocked (few: read by their status)."""
    return await store.find(TASKS, unit_id=subtree, open=True, status="blocked")


async def task(store: DocumentStore, task_id: str) -> Doc:
    doc = await store.get(TASKS, task_id)
    if doc is None:
        raise NotFound(f"no task with id {task_id!r}", field="task_id")
    return doc


async def timeline(store: DocumentStore, task_id: str, keep: int = KEEP) -> Doc | None:
    """A task's whole timeline (task_id, entries oldest first, versions, dropped), None if it has none: its head and its
    entry documents (one indexed query), the newest `keep` chosen as domain/timeline.joined does."""
    head = await store.get(TIMELINES, task_id)
    return joined(head, await store.find(TIMELINE_ENTRIES, task_id=task_id), keep)


async def plans(store: DocumentStore, subtree: list[str]) -> dict[str, Doc]:
    """The plans issued by the units of a subtree (a unit's tasks come from its own plans)."""
    return {doc["plan_id"]: doc for doc in await store.find(PLANS, unit_id=subtree)}


async def agencies(store: DocumentStore, subtree: list[str]) -> dict[str, Doc]:
    return {doc["agency_id"]: doc for doc in await store.find(AGENCIES, unit_id=subtree)}


async def agencies_by_id(store: DocumentStore, agency_ids: list[str]) -> dict[str, Doc]:
    """By key, one read each: agency_id is not an indexed field, so a find() would scan every agency."""
    found = {a: await store.get(AGENCIES, a) for a in dict.fromkeys(agency_ids)}
    return {a: doc for a, doc in found.items() if doc is not None}


async def escalations(store: DocumentStore, subtree: list[str]) -> list[Doc]:
    """The open items whose lead agency sits in the subtree (notify's EscalationStarted.unit_id)."""
    return await store.find(ESCALATIONS, unit_id=subtree, open=True)
