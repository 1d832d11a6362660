"""Overview of a unit: rates on tasks fallen due, buckets, aging, reporting, indicators, 12-month trend."""
from __future__ import annotations

import calendar
from datetime import date

from services.reporting.dashboard import charts, figures, queries, reported
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.formatting import percent
from services.reporting.dashboard.trendcache import TrendCache
from services.reporting.dashboard.pages.rows import BUCKETS, label, task_row, tasks_on
from services.reporting.reading import counts_of
from services.runtime.ports import DocumentStore

AGING_LABELS = ("1–7", "8–30", "31–120", "> 120")
ATTENTION_ROWS = 20


async def overview(store: DocumentStore, unit_id: str, page: PageContext, cache: TrendCache | None = None) -> dict:
    scope = await queries.scope(store, unit_id, with_tasks=page.past, tree=page.tree)
    summary = await reported.summary(store, unit_id, page)
    whole = reported.to_figures(summary["total"], summary["aging"]["total"])
    own = reported.to_figures(summary["own"], summary["aging"]["own"])
    agencies = await queries.agencies(store, scope.subtree)
    flagged, total = await attention_list(store, scope, page, whole)
    attention = [task_row(d, page.as_of, page, agencies, scope.units) for d in flagged[:ATTENTION_ROWS]]
    t = page.t
    return {
        "scope": scope, "whole": whole, "own": own,
        "buckets": [(name, label(name, page.lang), whole.counts[name], own.counts[name]) for name in (*BUCKETS, "blocked", "all")],
        "bucket_chart": charts.bar_rows([(label(n, page.lang), whole.counts[n], n) for n in (*BUCKETS, "blocked")], t["buckets"]),
        "aging": list(zip(AGING_LABELS, whole.aging)),
        "aging_chart": charts.bar_rows([(f"{a} {t['days']}", n, "overdue") for a, n in zip(AGING_LABELS, whole.aging)], t["aging"]),
        "trend": (trend := await trend_points(store, unit_id, page, cache)),
        "trend_chart": charts.trend_chart([p["label"] for p in trend], [
            charts.Series(t["completion_rate"], [p["completion_rate"] for p in trend]),
            charts.Series(t["on_time_rate"], [p["on_time_rate"] for p in trend]),
        ], f"{t['trend']}: {t['completion_rate']}, {t['on_time_rate']}"),
        "attention": attention, "attention_total": total,
        "children": [{"unit_id": c["unit"]["unit_id"], "name": c["unit"]["name"], "href": page.link(f"/dashboard/{c['unit']['unit_id']}"),
                      "figures": reported.to_figures(c["total"], c["figures"]["aging"])} for c in summary["children"]],
        "reporting": {k: summary[k]["total"] for k in ("reporting_rate", "on_time_reporting_rate", "reporting")},
        "indicators": await reported.indicator_rows(store, unit_id, str(page.as_of.year)),
    }


async def attention_list(store: DocumentStore, scope: queries.Scope, page: PageContext, whole: figures.Figures) -> tuple[list[dict], int]:
    """The overdue and blocked tasks, most overdue first, and how many there are.

    Today: the earliest-due overdue tasks (found through the counters, queries.most_overdue) and the blocked ones;
    the count is the counters' overdue plus the blocked tasks not overdue. A past day (INTERIM as of): every task
    of the subtree as it stood then."""
    if page.past:
        flagged = [d for d in await tasks_on(store, scope, page) if needs_attention(d, page)]
        return sorted(flagged, key=lambda d: -figures.days_overdue(d, page.as_of)), len(flagged)
    total = (await counts_of(store, [f"total:{scope.unit['unit_id']}"]))[f"total:{scope.unit['unit_id']}"]
    found = {d["task_id"]: d for d in await queries.most_overdue(store, scope.subtree, total, page.as_of, ATTENTION_ROWS)}
    stuck = await queries.blocked(store, scope.subtree)
    found.update({d["task_id"]: d for d in stuck})
    flagged = sorted((d for d in found.values() if needs_attention(d, page)), key=lambda d: (-figures.days_overdue(d, page.as_of), d["task_id"]))
    return flagged, whole.counts["overdue"] + sum(1 for d in stuck if figures.category_of(d, page.as_of) != "overdue")


def needs_attention(doc: dict, page: PageContext) -> bool:
    return (doc.get("status") == "blocked" and not doc.get("completed_on")) or figures.category_of(doc, page.as_of) == "overdue"


def month_ends(day: date, count: int = 12) -> list[date]:
    """The last `count` month-end days up to `day`; the current month ends on `day` itself."""
    ends, year, month = [], day.year, day.month
    for _ in range(count):
        last = date(year, month, calendar.monthrange(year, month)[1])
        ends.append(min(last, day))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


async def trend_points(store: DocumentStore, unit_id: str, page: PageContext, cache: TrendCache | None = None) -> list[dict]:
    """Completion and on-time rate and overdue count at each of the last 12 month ends, as reporting had them then."""
    points = []
    ends = month_ends(page.as_of)
    for end, stood in zip(ends, await reported.totals_on(store, unit_id, ends, page.today, cache)):
        points.append({
            "label": f"{end.month:02d}/{end.year % 100:02d}", "day": end, "completion_rate": stood["completion_rate"],
            "on_time_rate": stood["on_time_rate"], "overdue": stood["counts"]["overdue"], "fallen_due": stood["fallen_due"],
            "completion_text": percent(stood["completion_rate"]), "on_time_text": percent(stood["on_time_rate"]),
        })
    return points
