"""Task rows and the words pages share: status buckets in order, utility groups, the as-of task set."""
from __future__ import annotations

from datetime import date

from services.reporting.dashboard import asof, figures, queries
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.formatting import shorten
from services.reporting.domain.categories import LABELS
from services.reporting.domain.projection import Doc

BUCKETS = ("overdue", "due_soon", "not_yet_due", "done_on_time", "done_late", "waiting", "ongoing")
GROUPS = {
    1: ("TTHC và dịch vụ công trực tuyến", "Administrative procedures and online public services"),
    2: ("Phát triển kinh tế - xã hội", "Socio-economic development"),
    3: ("Phát triển công dân số", "Digital citizens"),
    4: ("Hệ sinh thái dữ liệu dân cư", "Population data ecosystem"),
    5: ("Chỉ đạo, điều hành", "Direction and administration"),
}


def label(category: str, lang: str) -> str:
    return getattr(LABELS[category], lang)


def group_name(group: int | None, lang: str) -> str:
    return f"{group}. {GROUPS[group][0 if lang == 'vi' else 1]}" if group in GROUPS else "—"


def issued_on(plans: dict[str, Doc]) -> dict[str, str | None]:
    return {plan_id: doc.get("issued_on") for plan_id, doc in plans.items()}


async def tasks_on(store, scope: queries.Scope, page: PageContext) -> list[Doc]:
    """The subtree's tasks as they stood on the page's day (INTERIM for a past day, see asof.py)."""
    if not page.past:
        return scope.tasks
    plans = await queries.plans(store, scope.subtree)
    return asof.tasks_as_of(scope.tasks, page.as_of, page.today, issued_on(plans))


def task_row(doc: Doc, day: date, page: PageContext, agencies: dict[str, Doc], units: dict[str, Doc]) -> dict:
    category = figures.category_of(doc, day)
    shown, rest = shorten(doc["content"], 140)
    return {
        "task_id": doc["task_id"], "code": doc.get("code") or "", "content": doc["content"], "shown": shown, "rest": rest,
        "href": page.link(f"/dashboard/tasks/{doc['task_id']}"), "category": category, "label": label(category, page.lang),
        "blocked": doc.get("status") == "blocked" and not doc.get("completed_on"),
        "lead": agencies.get(doc["lead"], {}).get("name", doc["lead"]), "due": doc.get("due"), "timing": doc.get("timing"),
        "progress": doc.get("progress", 0), "days_overdue": figures.days_overdue(doc, day) if category == "overdue" else 0,
        "unit": units.get(doc["unit_id"], {}).get("name", doc["unit_id"]), "group": doc.get("group"),
    }
