"""One task: content, plan and clause, agencies and their parts, due dates, timeline.

The timeline is reporting's per-task timeline (events of the task and of its escalation items); a store that
has none for the task yet (built before that view existed) shows the interim one from the task's current state.
"""
from __future__ import annotations

from services.reporting.dashboard import asof, figures, queries
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.pages.rows import group_name, label
from services.reporting.dashboard.pages.timeline import timeline_rows
from services.reporting.dashboard.roles import Directory
from services.reporting.domain.projection import PLANS, Doc
from services.runtime.ports import DocumentStore


async def task_page(store: DocumentStore, task_id: str, page: PageContext) -> dict:
    current = await queries.task(store, task_id)
    plan = await store.get(PLANS, current["plan_id"]) or {"plan_id": current["plan_id"]}
    doc = asof.as_it_stood(current, page.as_of, plan.get("issued_on")) if page.past else current
    scope = await queries.scope(store, current["unit_id"], with_tasks=False, tree=page.tree)
    kept = await queries.timeline(store, task_id)
    mentioned = [e["agency_id"] for e in (kept or {}).get("entries", []) if e.get("agency_id")]
    agencies = await queries.agencies_by_id(store, [current["lead"], *current.get("support", []), *mentioned])
    chain = [u["unit_id"] for u in scope.path()]
    directory = Directory(scope.units, scope.parents, {**await queries.agencies(store, chain), **agencies})
    category = figures.category_of(doc, page.as_of) if doc else None
    return {
        "doc": doc or current, "existed": doc is not None, "plan": plan, "scope": scope,
        "category": category, "label": label(category, page.lang) if category else "—",
        "group": group_name(current.get("group"), page.lang),
        "days_overdue": figures.days_overdue(doc, page.as_of) if category == "overdue" else 0,
        "due_original": current.get("original_due") or current.get("due"),
        "due_adjusted": current["due"] if current.get("original_due") and current.get("due") != current["original_due"] else None,
        "agencies": _agencies(doc or current, agencies, page),
        "timeline": timeline_rows(kept, directory, page) if kept else {"rows": timeline(doc or current, plan, page), "interim": True, "dropped": 0, "keep": 0},
    }


def _agencies(doc: Doc, agencies: dict[str, Doc], page: PageContext) -> list[dict]:
    roles = [(doc["lead"], "lead")] + [(a, "support") for a in doc.get("support", [])]
    return [{
        "name": agencies.get(a, {}).get("name", a), "role": page.t[role], "head": agencies.get(a, {}).get("head_title"),
        "report": doc if doc.get("reported_by") == a else None,
    } for a, role in roles]


def timeline(doc: Doc, plan: Doc, page: PageContext) -> list[dict]:
    """INTERIM: from the task's current state only (the read model keeps the latest report, not each one)."""
    t, events = page.t, []
    if plan.get("issued_on"):
        events.append({"day": plan["issued_on"], "kind": "assigned", "what": t["assigned"], "detail": plan.get("number") or ""})
    if doc.get("reported_at"):
        events.append({"day": doc["reported_at"][:10], "kind": "report", "what": t["status_report"],
                       "detail": doc.get("summary") or "", "obstacles": doc.get("obstacles") or "", "progress": doc.get("progress")})
    for missed in doc.get("missed", []):
        events.append({"day": missed, "kind": "missed", "what": t["deadline_missed"], "detail": ""})
    if doc.get("completed_on"):
        events.append({"day": doc["completed_on"], "kind": "completed", "what": t["completed"], "detail": ""})
    return sorted(({"obstacles": "", "progress": None, **e} for e in events), key=lambda e: e["day"])
