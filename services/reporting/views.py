"""Read queries of reporting: a unit's counts (own and rolled up), its children's, and drill-down to tasks.

Rollups are computed at query time: the unit documents give the hierarchy, the task documents
of the unit's subtree give each unit's own counts, and `rollup.subtree_totals` adds them up.
A late UnitRegistered therefore needs no repair: the unit's tasks count from the next query.
"""
from __future__ import annotations

from datetime import date

from schemas.rejections import Forbidden, Invalid, NotFound
from services.reporting.domain import rollup
from services.reporting.domain.categories import BLOCKED, LABELS, Category, categorize, empty_counts, is_blocked, tally
from services.reporting.domain.projection import TASKS, UNITS, Doc, facts_of
from services.runtime.ports import DocumentStore

LANGUAGES = ("vi", "en")
FILTERS = (*(c.value for c in Category), BLOCKED)


def labels(lang: str) -> dict[str, dict[str, str]]:
    return {name: {"vi": label.vi, "en": label.en, "text": getattr(label, lang)} for name, label in LABELS.items()}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise Invalid(f"lang must be one of {', '.join(LANGUAGES)}", field="lang")
    return lang


async def unit_summary(store: DocumentStore, unit_id: str, today: date, lang: str) -> dict:
    units, parents = await _hierarchy(store)
    unit = _known(units, unit_id)
    totals, own = await _counts(store, parents, unit_id, today)
    return {
        "unit": unit, "today": today.isoformat(), "lang": lang,
        "own": own.get(unit_id, empty_counts()), "total": totals[unit_id],
        "reports": await _reports_received(store, parents, unit_id),
        "children": [{"unit": units[c], "total": totals[c]} for c in rollup.children(parents, unit_id)],
        "labels": labels(lang),
    }


async def unit_children(store: DocumentStore, unit_id: str, today: date, lang: str) -> dict:
    units, parents = await _hierarchy(store)
    unit = _known(units, unit_id)
    totals, own = await _counts(store, parents, unit_id, today)
    return {
        "unit": unit, "today": today.isoformat(), "lang": lang,
        "children": [
            {"unit": units[c], "own": own.get(c, empty_counts()), "total": totals[c]} for c in rollup.children(parents, unit_id)
        ],
        "labels": labels(lang),
    }


async def unit_tasks(store: DocumentStore, unit_id: str, today: date, lang: str, category: str | None) -> dict:
    """The tasks of the unit and every unit below it, optionally only one category (or the blocked ones)."""
    if category is not None and category not in FILTERS:
        raise Invalid(f"category must be one of {', '.join(FILTERS)}", field="category")
    units, parents = await _hierarchy(store)
    unit = _known(units, unit_id)
    docs = await store.find(TASKS, unit_id=rollup.subtree(parents, unit_id))
    items = [task_item(doc, today, lang) for doc in docs]
    if category == BLOCKED:
        items = [item for item in items if item["blocked"]]
    elif category is not None:
        items = [item for item in items if item["category"] == category]
    return {"unit": unit, "today": today.isoformat(), "lang": lang, "category": category, "tasks": items}


async def task_detail(store: DocumentStore, task_id: str, today: date, lang: str) -> dict:
    doc = await store.get(TASKS, task_id)
    if doc is None:
        raise NotFound(f"no task with id {task_id!r}", field="task_id")
    return {**task_item(doc, today, lang), "today": today.isoformat(), "lang": lang}


async def list_units(store: DocumentStore, parent_id: str | None, viewer: str | None = None) -> list[Doc]:
    """The children of `parent_id`; without it the roots (provinces, and units whose parent is unknown),
    or for a viewer the unit its credential is for."""
    units, parents = await _hierarchy(store)
    if parent_id:
        _within(parents, viewer, parent_id)
        wanted = rollup.children(parents, parent_id)
    else:
        wanted = [viewer] if viewer in units else [] if viewer else rollup.roots(parents)
    return [units[u] for u in wanted]


async def check_scope(store: DocumentStore, viewer: str | None, unit_id: str) -> None:
    """A viewer reads only its own unit and the units below it."""
    if viewer is not None:
        _within((await _hierarchy(store))[1], viewer, unit_id)


async def check_task_scope(store: DocumentStore, viewer: str | None, task_id: str) -> None:
    doc = await store.get(TASKS, task_id)
    if viewer is not None and doc is not None:
        await check_scope(store, viewer, doc["unit_id"])


def _within(parents: dict[str, str | None], viewer: str | None, unit_id: str) -> None:
    if viewer is not None and unit_id != viewer and viewer not in rollup.ancestors(parents, unit_id):
        raise Forbidden(f"this credential is for unit {viewer!r} and the units below it, not {unit_id!r}", field="unit_id")


def task_item(doc: Doc, today: date, lang: str) -> dict:
    facts = facts_of(doc)
    category = categorize(facts, today).value
    return {**doc, "category": category, "label": getattr(LABELS[category], lang), "blocked": is_blocked(facts)}


async def _hierarchy(store: DocumentStore) -> tuple[dict[str, Doc], dict[str, str | None]]:
    units = {doc["unit_id"]: doc for doc in await store.find(UNITS)}
    return units, {unit_id: doc.get("parent_id") for unit_id, doc in units.items()}


def _known(units: dict[str, Doc], unit_id: str) -> Doc:
    if unit_id not in units:
        raise NotFound(f"no unit with id {unit_id!r}", field="unit_id")
    return units[unit_id]


async def _counts(store: DocumentStore, parents: dict[str, str | None], unit_id: str, today: date) -> tuple[dict, dict]:
    """(totals, own counts) for the unit's subtree."""
    below = rollup.subtree(parents, unit_id)
    by_unit: dict[str, list] = {}
    for doc in await store.find(TASKS, unit_id=below):
        by_unit.setdefault(doc["unit_id"], []).append(facts_of(doc))
    own = {unit: tally(facts, today) for unit, facts in by_unit.items()}
    in_subtree = {unit: parents[unit] if unit != unit_id else None for unit in below}
    totals = rollup.subtree_totals(in_subtree, own)
    for unit in below:
        totals[unit] = {**empty_counts(), **totals[unit]}
    return totals, own


async def _reports_received(store: DocumentStore, parents: dict[str, str | None], unit_id: str) -> dict[str, int]:
    """How many status reports the unit's own tasks and its whole subtree's tasks have received."""
    docs = await store.find(TASKS, unit_id=rollup.subtree(parents, unit_id))
    own = sum(d.get("reports", 0) for d in docs if d["unit_id"] == unit_id)
    return {"own": own, "total": sum(d.get("reports", 0) for d in docs)}
