"""The leaders' dashboard: one HTML page per unit, Vietnamese first (?lang=en for English).

It shows the unit's progress rolled up over everything below it, each child unit's progress with a
link to drill down, and the overdue and blocked tasks with their lead agencies.
"""
from __future__ import annotations

from html import escape
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.reporting import views
from services.reporting.entrypoints.deps import Lang, Today, Viewer
from services.runtime.http import Runtime

router = APIRouter(tags=["dashboard"])
COLUMNS = ("all", "not_yet_due", "due_soon", "overdue", "done_on_time", "done_late", "waiting", "ongoing", "blocked")
TEXT = {
    "title": {"vi": "Tiến độ thực hiện Đề án 06", "en": "Project 06 progress"},
    "as_of": {"vi": "Số liệu đến ngày", "en": "As of"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "whole": {"vi": "Toàn đơn vị (gồm cấp dưới)", "en": "Whole unit (with units below)"},
    "own": {"vi": "Nhiệm vụ của riêng đơn vị", "en": "The unit's own tasks"},
    "children": {"vi": "Các đơn vị trực thuộc", "en": "Units below"},
    "attention": {"vi": "Nhiệm vụ quá hạn, vướng mắc", "en": "Overdue and blocked tasks"},
    "task": {"vi": "Nhiệm vụ", "en": "Task"},
    "lead": {"vi": "Cơ quan chủ trì", "en": "Lead agency"},
    "due": {"vi": "Hạn", "en": "Due"},
    "progress": {"vi": "Tiến độ", "en": "Progress"},
    "none": {"vi": "Không có", "en": "None"},
    "other": {"vi": "English", "en": "Tiếng Việt"},
}


@router.get("/dashboard/{unit_id}", response_class=HTMLResponse)
async def dashboard(unit_id: str, rt: Runtime, viewer: Viewer, today: Today, lang: Lang, token: str | None = None) -> HTMLResponse:
    await views.check_scope(rt.store, viewer, unit_id)
    summary = await views.unit_summary(rt.store, unit_id, today, lang)
    tasks = (await views.unit_tasks(rt.store, unit_id, today, lang, None))["tasks"]
    attention = [t for t in tasks if t["category"] == "overdue" or t["blocked"]]
    agencies = {a["agency_id"]: a["name"] for a in await rt.store.find("agencies")}
    return HTMLResponse(render(summary, attention, agencies, lang, f"&token={quote(token)}" if token else ""))


def render(summary: dict, attention: list[dict], agencies: dict[str, str], lang: str, credential: str = "") -> str:
    """The page; `credential` (a `&token=…` query part) is carried into its links."""
    t = {key: value[lang] for key, value in TEXT.items()}
    labels = summary["labels"]
    unit = summary["unit"]
    head = "".join(f"<th>{escape(labels[c]['text'])}</th>" for c in COLUMNS)

    def row(name: str, counts: dict) -> str:
        return f"<tr><td>{name}</td>" + "".join(f"<td class=n>{counts.get(c, 0)}</td>" for c in COLUMNS) + "</tr>"

    children = "".join(
        row(f"<a href='/dashboard/{escape(c['unit']['unit_id'])}?lang={lang}{escape(credential)}'>{escape(c['unit']['name'])}</a>", c["total"])
        for c in summary["children"]
    )
    tasks = "".join(
        f"<tr><td>{escape(x.get('code') or '')} {escape(x['content'][:160])}</td><td>{escape(agencies.get(x['lead'], x['lead']))}</td>"
        f"<td>{_day(x.get('due'))}</td><td class=n>{x['progress']}%</td><td>{escape(x['label'])}</td></tr>"
        for x in attention
    ) or f"<tr><td colspan=5>{t['none']}</td></tr>"
    other = "en" if lang == "vi" else "vi"
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{t['title']} – {escape(unit['name'])}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px}}
.n{{text-align:right}}</style></head><body>
<p><a href="?lang={other}{escape(credential)}">{t['other']}</a></p>
<h1>{t['title']}: {escape(unit['name'])}</h1><p>{t['as_of']} {_day(summary['today'])}</p>
<table><tr><th>{t['unit']}</th>{head}</tr>{row(t['whole'], summary['total'])}{row(t['own'], summary['own'])}</table>
<h2>{t['children']}</h2><table><tr><th>{t['unit']}</th>{head}</tr>{children}</table>
<h2>{t['attention']}</h2><table><tr><th>{t['task']}</th><th>{t['lead']}</th><th>{t['due']}</th><th>{t['progress']}</th><th></th></tr>{tasks}</table>
</body></html>"""


def _day(iso: str | None) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else "—"
