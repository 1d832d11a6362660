"""The unit's children: a sortable table, a ranking by score (formula shown) and a heat table by utility group."""
from __future__ import annotations

from services.reporting.dashboard import figures, queries, reported
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.pages.rows import GROUPS, tasks_on
from services.reporting.domain import rollup
from services.runtime.ports import DocumentStore


async def units(store: DocumentStore, unit_id: str, page: PageContext) -> dict:
    scope = await queries.scope(store, unit_id)
    tasks = await tasks_on(store, scope, page)
    rows = child_rows(scope, tasks, page)  # per utility group: INTERIM, reporting has no figures per group
    summary = await reported.summary(store, unit_id, page)
    served = {c["unit"]["unit_id"]: reported.to_figures(c["total"], c["figures"]["aging"]) for c in summary["children"]}
    ranking = await reported.ranking(store, unit_id, page)
    scores = {r["id"]: r for r in ranking["rows"]}
    for row in rows:
        row["figures"] = served.get(row["unit_id"], row["figures"])
        row["score"] = scores.get(row["unit_id"], {}).get("score")
    ranked = [{**r, "name": r["subject"]["name"], "href": page.link(f"/dashboard/{r['id']}")} for r in ranking["rows"]]
    return {"scope": scope, "rows": rows, "ranking": ranked, "formula": ranking["formula"], "groups": [(g, *GROUPS[g]) for g in GROUPS]}


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
    grouped = figures.by_key(docs, page.as_of, "group")
    whole = figures.Figures()
    for part in grouped.values():
        whole.add(part)
    return {
        "unit_id": unit["unit_id"], "name": unit["name"], "level": unit.get("level"), "score": None,
        "figures": whole, "by_group": {g: grouped.get(g, figures.Figures()) for g in GROUPS},
        "href": page.link(f"/dashboard/{unit['unit_id']}"),
    }


def heat_class(rate: float | None) -> str:
    """A colour step for a completion rate (the number is printed in the cell as well)."""
    if rate is None:
        return "heat-none"
    return f"heat-{min(4, int(rate * 5))}"
