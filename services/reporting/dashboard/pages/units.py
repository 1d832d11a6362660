"""The unit's children: a sortable table, a ranking by score (formula shown) and a heat table by utility group."""
from __future__ import annotations

from services.reporting.dashboard import figures, queries
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.pages.rows import GROUPS, tasks_on
from services.reporting.domain import rollup
from services.runtime.ports import DocumentStore


async def units(store: DocumentStore, unit_id: str, page: PageContext) -> dict:
    scope = await queries.scope(store, unit_id)
    tasks, _ = await tasks_on(store, scope, page)
    rows = child_rows(scope, tasks, page)
    ranked = sorted((r for r in rows if r["figures"].score is not None), key=lambda r: (-r["figures"].score, r["name"]))
    for rank, row in enumerate(ranked, 1):
        row["rank"] = rank
    unranked = [r for r in rows if r["figures"].score is None]
    return {"scope": scope, "rows": rows, "ranking": ranked + unranked, "groups": [(g, *GROUPS[g]) for g in GROUPS]}


def child_rows(scope: queries.Scope, tasks: list, page: PageContext) -> list[dict]:
    """One row per child unit with the figures of its whole subtree."""
    below = {child: rollup.subtree(scope.parents, child) for child in scope.children()}
    unit_of = {u: child for child, members in below.items() for u in members}
    by_child: dict[str, list] = {child: [] for child in below}
    for doc in tasks:
        if doc["unit_id"] in unit_of:
            by_child[unit_of[doc["unit_id"]]].append(doc)
    return [_row(scope.units[child], docs, page) for child, docs in by_child.items()]


def _row(unit: dict, docs: list, page: PageContext) -> dict:
    by_group = {g: figures.figures_of([d for d in docs if d.get("group") == g], page.as_of) for g in GROUPS}
    return {
        "unit_id": unit["unit_id"], "name": unit["name"], "level": unit.get("level"), "rank": None,
        "figures": figures.figures_of(docs, page.as_of), "by_group": by_group,
        "href": page.link(f"/dashboard/{unit['unit_id']}"),
    }


def heat_class(rate: float | None) -> str:
    """A colour step for a completion rate (the number is printed in the cell as well)."""
    if rate is None:
        return "heat-none"
    return f"heat-{min(4, int(rate * 5))}"
