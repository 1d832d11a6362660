"""The content of a compiled periodic report: every figure it shows, as one JSON-ready document.

The figures are taken as of the period's last day when the period is over (today otherwise), from
the same views the API serves. The document is what gets frozen once the period is closed, and
what the DOCX and PDF writers render: a re-download renders the same figures.
"""
from __future__ import annotations

from datetime import date, timedelta


from services.reporting import indicators, obligations, views
from services.reporting.compiled import wording
from services.reporting.domain.projection import AGENCIES, UNITS
from services.reporting.handlers.obligations import REPORTS

COLUMNS = ("all", "done_on_time", "done_late", "overdue", "not_yet_due", "due_soon", "waiting", "ongoing", "blocked")


async def gather(store, unit_id: str, period: str, today: date) -> dict:
    _, last = obligations.check_period(period)
    as_of = last if last < today else None
    day = as_of or today
    summary = await views.unit_summary(store, unit_id, today, "vi", as_of=as_of)
    unit = summary["unit"]
    parent = await store.get(UNITS, unit["parent_id"]) if unit.get("parent_id") else None
    owed = await obligations.period_obligations(store, unit_id, period, today, today)
    found = await indicators.unit_indicators(store, unit_id, period)
    return {
        "unit": unit, "period": period, "period_label": wording.period_label(period), "as_of": day.isoformat(),
        "compiled_on": today.isoformat(), "place_date": wording.dated(wording.place(unit["name"]), today),
        "number": "Số:       /BC-UBND", "recipient": wording.recipient(parent), "issuer": wording.committee(unit["name"]),
        "signer": wording.signer(unit.get("head_title")), "head_name": unit.get("head_name") or "",
        "tasks": _task_rows(summary), "indicators": _indicator_rows(found["indicators"]),
        "reporting": {k: owed[k] for k in ("expected", "received", "received_on_time", "reporting_rate", "on_time_reporting_rate")},
        "non_reporters": [{"name": r["name"], "kind": r["kind"], "period": r["period"], "deadline": r["deadline"]} for r in owed["non_reporters"]],
        "late_reporters": [{"name": r["name"], "received_on": r["received_on"], "deadline": r["deadline"]}
                           for r in owed["obligations"] if r["received"] and not r["on_time"]],
        "overdue": await _overdue(store, unit_id, day),
        "texts": await _texts(store, unit_id, period, owed),
        "next_tasks": await _next_tasks(store, unit_id, day, last),
    }


def _task_rows(summary: dict) -> list[dict]:
    def row(name: str, counts: dict, completion, on_time) -> dict:
        return {"name": name, **{c: counts[c] for c in COLUMNS}, "completion_rate": completion, "on_time_rate": on_time}

    rows = [row(f"Toàn {summary['unit']['name']}", summary["total"], summary["completion_rate"]["total"], summary["on_time_rate"]["total"]),
            row("Nhiệm vụ của cấp mình", summary["own"], summary["completion_rate"]["own"], summary["on_time_rate"]["own"])]
    rows += [row(c["unit"]["name"], c["total"], c["figures"]["completion_rate"], c["figures"]["on_time_rate"]) for c in summary["children"]]
    return rows


def _indicator_rows(found: list[dict]) -> list[dict]:
    return [{"name": i["name"], "target": (i["target"] or {}).get("value"), "unit_of_measure": i["unit_of_measure"],
             "value": i["total"], "progress": i["progress"], "met": i["met"]} for i in found]


async def _overdue(store, unit_id: str, day: date) -> list[dict]:
    """Overdue tasks of the subtree with the lead agency and its head's title (who answers for them)."""
    tasks = (await views.unit_tasks(store, unit_id, day, "vi", "overdue"))["tasks"]
    agencies = {a["agency_id"]: a for a in await store.find(AGENCIES, agency_id=sorted({t["lead"] for t in tasks}))} if tasks else {}
    rows = []
    for t in sorted(tasks, key=lambda t: (t.get("due") or "", t["task_id"])):
        lead = agencies.get(t["lead"], {})
        rows.append({"code": t.get("code") or "", "content": t["content"], "lead": lead.get("name", t["lead"]),
                     "head_title": lead.get("head_title", ""), "due": t.get("due"),
                     "days": (day - date.fromisoformat(t["due"])).days if t.get("due") else None, "obstacles": t.get("obstacles", "")})
    return rows


async def _texts(store, unit_id: str, period: str, owed: dict) -> dict[str, list[str]]:
    """Results, difficulties, proposals and next tasks from the reports received for the period, each line naming its sender."""
    names = {r["reporter"]: r["name"] for r in owed["obligations"]}
    texts: dict[str, list[str]] = {"results": [], "difficulties": [], "proposals": [], "next_tasks": []}
    plan_ids = sorted({r["plan_id"] for r in owed["obligations"]})
    reports = await store.find(REPORTS, plan_id=plan_ids) if plan_ids else []
    for report in sorted(reports, key=lambda r: r["report_id"]):
        if report["period"] not in _periods(owed) or report["reporter"] not in names:
            continue
        for key in texts:
            text = report["sections"].get(key, "").strip()
            if text:
                texts[key].append(f"{names[report['reporter']]}: {text}")
    return texts


def _periods(owed: dict) -> set[str]:
    return {r["period"] for r in owed["obligations"]}


async def _next_tasks(store, unit_id: str, day: date, last: date) -> list[dict]:
    """Open tasks due in the 31 days after the period: the next period's work."""
    horizon = max(day, last) + timedelta(days=31)
    tasks = (await views.unit_tasks(store, unit_id, day, "vi", None))["tasks"]
    due = [t for t in tasks if t.get("due") and t["category"] in ("due_soon", "not_yet_due") and t["due"] <= horizon.isoformat()]
    return [{"code": t.get("code") or "", "content": t["content"], "due": t["due"]} for t in sorted(due, key=lambda t: t["due"])][:50]



