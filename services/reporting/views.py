"""Read queries of reporting: a unit's counts (own and rolled up), its children's, and drill-down to tasks.

Rollups are computed at query time: the unit documents give the hierarchy, the task documents
of the unit's subtree give each unit's own counts, and `rollup.subtree_totals` adds them up.
A late UnitRegistered therefore needs no repair: the unit's tasks count from the next query.
"""
from __future__ import annotations

from datetime import date

from schemas.rejections import Forbidden, Invalid, NotFound
from services.reporting import summaries
from services.reporting.domain import rollup
from services.reporting.domain.counters import BASES
from services.reporting.reading import counts_of
from services.reporting.domain.categories import BLOCKED, LABELS, Category, categorize, is_blocked
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


async def unit_summary(store: DocumentStore, unit_id: str, today: date, lang: str, *, as_of: date | None = None,
                       basis: str = "a", include_descendants: bool = True) -> dict:
    """Counts per bucket own and rolled up, beside completion, on-time and reporting rates and overdue aging.

    Shape (fields are only ever added): unit, today (the day judged: as_of or today), as_of, basis,
    include_descendants, lang, own and total (bucket counts), completion_rate / on_time_rate /
    fallen_due / aging / reporting_rate / on_time_reporting_rate as {own, total}, reports (status
    reports received, {own, total}), children [{unit, total, figures}], labels.
    """
    found = await summaries.unit_figures(store, unit_id, today, as_of=as_of, basis=basis, include_descendants=include_descendants)
    own, total = found["own"], found["total"]
    body = {
        "unit": found["unit"], "today": found["day"].isoformat(), "as_of": found["day"].isoformat(),
        "basis": _basis_name(basis), "include_descendants": include_descendants, "lang": lang,
        "own": own["counts"], "total": total["counts"],
        "reports": {"own": own["status_reports"], "total": total["status_reports"]},
        "children": [{"unit": c["unit"], "total": c["total"]["counts"], "figures": _flat(c["total"])} for c in found["children"]],
        "labels": labels(lang),
    }
    for name in ("completion_rate", "on_time_rate", "fallen_due", "aging", "reporting"):
        body[name] = {"own": own[name], "total": total[name]}
    for name in ("reporting_rate", "on_time_reporting_rate"):
        body[name] = {"own": own["reporting"][name], "total": total["reporting"][name]}
    return body


async def unit_children(store: DocumentStore, unit_id: str, today: date, lang: str, *, as_of: date | None = None,
                        basis: str = "a") -> dict:
    found = await summaries.unit_figures(store, unit_id, today, as_of=as_of, basis=basis)
    own = await counts_of(store, [f"own:{c['unit']['unit_id']}" for c in found["children"]], as_of)
    day = found["day"]
    return {
        "unit": found["unit"], "today": day.isoformat(), "as_of": day.isoformat(), "basis": _basis_name(basis), "lang": lang,
        "children": [
            {"unit": c["unit"], "own": summaries.figures(own[f"own:{c['unit']['unit_id']}"], day, basis)["counts"],
             "total": c["total"]["counts"], "figures": _flat(c["total"])}
            for c in found["children"]
        ],
        "labels": labels(lang),
    }


def _flat(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if k != "counts"}


def _basis_name(code: str) -> str:
    return next(name for name, c in BASES.items() if c == code)


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
    if viewer is None or viewer == unit_id:
        return
    seen, current = {unit_id}, await store.get(UNITS, unit_id)
    while current is not None and current.get("parent_id") and current["parent_id"] not in seen:
        if current["parent_id"] == viewer:
            return
        seen.add(current["parent_id"])
        current = await store.get(UNITS, current["parent_id"])
    _within({}, viewer, unit_id)


async def unit_exists(store: DocumentStore, unit_id: str) -> None:
    if await store.get(UNITS, unit_id) is None:
        raise NotFound(f"no unit with id {unit_id!r}", field="unit_id")


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
