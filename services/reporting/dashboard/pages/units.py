"""The unit's children: a sortable table, a ranking by score (formula shown) and a heat table by utility group.

Every figure comes from reporting's counters: the children's totals (the summary), and their group documents
(the keys under each utility group's prefix, domain/counters.group_keys). O(children) documents, never the task
documents.
"""
from __future__ import annotations

from services.reporting.dashboard import queries, reported
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.pages.rows import GROUPS
from services.reporting.domain.counters import GROUPS as GROUP_NUMBERS
from services.runtime.ports import DocumentStore


async def units(store: DocumentStore, unit_id: str, page: PageContext) -> dict:
    scope = await queries.scope(store, unit_id, with_tasks=False, tree=page.tree)
    summary = await reported.summary(store, unit_id, page)
    children = [c["unit"] for c in summary["children"]]
    by_group = await reported.by_group(store, [c["unit_id"] for c in children], page)
    ranking = await reported.ranking(store, unit_id, page)
    scores = {r["id"]: r for r in ranking["rows"]}
    rows = [{
        "unit_id": c["unit"]["unit_id"], "name": c["unit"]["name"], "level": c["unit"].get("level"),
        "figures": reported.to_figures(c["total"], c["figures"]["aging"]), "by_group": by_group[c["unit"]["unit_id"]],
        "score": scores.get(c["unit"]["unit_id"], {}).get("score"), "href": page.link(f"/dashboard/{c['unit']['unit_id']}"),
    } for c in summary["children"]]
    ranked = [{**r, "name": r["subject"]["name"], "href": page.link(f"/dashboard/{r['id']}")} for r in ranking["rows"]]
    return {"scope": scope, "rows": rows, "ranking": ranked, "formula": ranking["formula"],
            "groups": [(g, *GROUPS[g]) for g in GROUP_NUMBERS]}


def heat_class(rate: float | None) -> str:
    """A colour step for a completion rate (the number is printed in the cell as well)."""
    if rate is None:
        return "heat-none"
    return f"heat-{min(4, int(rate * 5))}"
