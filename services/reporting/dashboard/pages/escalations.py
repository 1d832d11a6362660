"""Escalations in progress for a unit's subtree: item, rung, who was told, who acknowledged and until when.

Nothing writes them into reporting's read model yet (notify keeps its ladders; EscalationRaised is
not projected here), so the page shows an honest empty state and the document shape it will read.
"""
from __future__ import annotations

from services.reporting.dashboard import queries
from services.reporting.dashboard.context import PageContext
from services.runtime.ports import DocumentStore

SHAPE = {
    "escalation_id": "str", "task_id": "str", "unit_id": "str", "agency_id": "str", "rung": "int (1 = agency head, 2 = unit chairman …)",
    "told": "[{name, title, at}]", "acknowledged_by": "str | null", "acknowledged_at": "datetime | null", "until": "date", "open": "bool",
}


async def escalations(store: DocumentStore, unit_id: str, page: PageContext) -> dict:
    scope = await queries.scope(store, unit_id, with_tasks=False, tree=page.tree)
    items = [e for e in await queries.escalations(store, scope.subtree) if e.get("open", True)]
    for item in items:
        item["href"] = page.link(f"/dashboard/tasks/{item['task_id']}")
    return {"scope": scope, "escalations": items, "shape": SHAPE, "collection": queries.ESCALATIONS}
