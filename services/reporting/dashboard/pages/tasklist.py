"""A unit's tasks (its subtree's), filtered by bucket, utility group, lead, plan, days overdue and words."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from services.reporting.dashboard import queries
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.pages.rows import BUCKETS, GROUPS, label, task_row, tasks_on
from services.runtime.ports import DocumentStore

MAX_ROWS = 500


@dataclass(frozen=True)
class TaskFilter:
    bucket: str | None = None
    group: int | None = None
    lead: str | None = None
    plan: str | None = None
    min_overdue: int | None = None
    q: str | None = None

    def as_params(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

    def keeps(self, row: dict, doc: dict) -> bool:
        if self.bucket == "blocked":
            if not row["blocked"]:
                return False
        elif self.bucket and row["category"] != self.bucket:
            return False
        if self.group and row["group"] != self.group or self.lead and doc["lead"] != self.lead:
            return False
        if self.plan and doc["plan_id"] != self.plan:
            return False
        if self.min_overdue and row["days_overdue"] < self.min_overdue:
            return False
        return not self.q or all(word in fold(doc["content"]) for word in fold(self.q).split())


def fold(text: str) -> str:
    """Lower case without tone marks or diacritics, so 'ho tich' finds 'hộ tịch' (and 'Thành uỷ' = 'Thành ủy')."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


async def task_list(store: DocumentStore, unit_id: str, page: PageContext, chosen: TaskFilter) -> dict:
    scope = await queries.scope(store, unit_id, tree=page.tree)
    tasks = await tasks_on(store, scope, page)
    plans = await queries.plans(store, scope.subtree)
    agencies = await queries.agencies(store, scope.subtree)
    rows = []
    for doc in tasks:
        row = task_row(doc, page.as_of, page, agencies, scope.units)
        if chosen.keeps(row, doc):
            rows.append(row)
    rows.sort(key=lambda r: (-r["days_overdue"], r["due"] or "9999", r["code"]))
    leads = sorted({d["lead"] for d in tasks}, key=lambda a: agencies.get(a, {}).get("name", a))
    return {
        "scope": scope, "rows": rows[:MAX_ROWS], "total": len(rows), "limited": len(rows) > MAX_ROWS, "chosen": chosen,
        "buckets": [(b, label(b, page.lang)) for b in (*BUCKETS, "blocked")],
        "groups": [(g, GROUPS[g][0 if page.lang == "vi" else 1]) for g in GROUPS],
        "leads": [(a, agencies.get(a, {}).get("name", a)) for a in leads],
        "plans": sorted({(d["plan_id"], plans.get(d["plan_id"], {}).get("number") or d["plan_id"]) for d in tasks}, key=lambda p: p[1]),
        "max_rows": MAX_ROWS,
    }
