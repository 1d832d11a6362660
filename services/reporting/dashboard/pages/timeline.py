"""A task's timeline as the page shows it: reporting's per-task timeline (domain/timeline.py) in words, oldest first.

As of a past day, only what had happened by the end of that day. Agencies, units and roles by name from
reporting's directory; people never (roles.py).
"""
from __future__ import annotations

from datetime import datetime

from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.formatting import day
from services.reporting.dashboard.roles import Directory, contact, target
from services.reporting.domain.categories import LABELS
from services.reporting.domain.projection import LOCAL_TZ, Doc
from services.reporting.domain.timeline import KEEP


def timeline_rows(doc: Doc, directory: Directory, page: PageContext) -> dict:
    """{rows, dropped, keep}: the entries up to the page's day, each {day, kind, what, detail, progress, obstacles}."""
    rows = []
    for entry in doc["entries"]:
        when = datetime.fromisoformat(entry["at"]).astimezone(LOCAL_TZ).date().isoformat()
        if when <= page.as_of.isoformat():
            rows.append({"day": when, "kind": entry["kind"], "progress": None, "obstacles": "", "evidence": None,
                         **_words(entry, directory, page)})
    return {"rows": rows, "dropped": doc.get("dropped", 0), "keep": KEEP, "interim": False}


def _words(e: Doc, directory: Directory, page: PageContext) -> dict:
    t, lang = page.t, page.lang
    agency = directory.agencies.get(e.get("agency_id") or "", {}).get("name") or e.get("agency_id") or ""
    kind = e["kind"]
    if kind == "assigned":
        return {"what": t["assigned"], "detail": " · ".join(x for x in (e.get("timing"), day(e.get("due")) if e.get("due") else "") if x)}
    if kind == "report":
        status = getattr(LABELS[e["status"]], lang) if e["status"] in LABELS else e["status"]
        return {"what": f"{t['status_report']}: {agency}", "detail": " · ".join(x for x in (status if e["status"] == "blocked" else "", e["summary"]) if x),
                "progress": e["progress"], "obstacles": e["obstacles"]}
    if kind == "completed":
        ev = e.get("evidence")
        proof = f"{ev['document_number']} ({day(ev['document_date'])}), {ev['issuer']}" if ev else t["no_evidence"]
        files = ", ".join(a["filename"] for a in (ev or {}).get("attachments", []))
        return {"what": f"{t['completed']}: {agency}", "detail": f"{day(e['completed_on'])} · {t['on_time'] if e['on_time'] else t['late']}",
                "evidence": f"{t['evidence']}: {proof}" + (f" · {files}" if files else "")}
    if kind == "missed":
        return {"what": t["deadline_missed"], "detail": f"{t['period']} {e['period']}" if e.get("period") else f"{t['due']} {day(e['due'])}"}
    if kind == "extension_requested":
        return {"what": f"{t['extension_requested']}: {agency}", "detail": f"{t['to_day']} {day(e['proposed_due'])} · {e['reason']}"}
    if kind == "extension_rejected":
        return {"what": t["extension_rejected"], "detail": e["reason"]}
    if kind == "deadline_changed":
        return {"what": t["deadline_changed"], "detail": f"{day(e.get('previous_due'))} → {day(e['new_due'])}" + (f" · {e['reason']}" if e.get("reason") else "")}
    if kind == "condition_met":
        return {"what": t["condition_met"], "detail": " · ".join(x for x in (e.get("document") or "", f"{t['due']} {day(e['due'])}") if x)}
    if kind == "transferred":
        names = [directory.units.get(u, {}).get("name", u) for u in (e["from_unit"], e["to_unit"])]
        return {"what": t["transferred"], "detail": f"{names[0]} → {names[1]}"}
    if kind in ("waiting_on", "waiting_cleared"):
        return {"what": f"{t[kind]}: {agency}", "detail": e.get("reason", "")}
    if kind == "escalation_started":
        return {"what": t["escalation_started"], "detail": f"{t['period']} {e['period']}" if e.get("period") else f"{t['due']} {day(e['due'])}"}
    if kind == "escalation":
        told = "; ".join(target(x["role"], x["up"], e["agency_id"], e["unit_id"], directory, lang) for x in e["told"])
        return {"what": f"{t['escalation_rung']} {e['rung']}", "detail": f"{t['told']}: {told}"}
    if kind == "acknowledged":
        return {"what": f"{t['acknowledged']}: {contact(e['by'], directory, lang)}", "detail": f"{t['until']} {day(e['expected_on'])} · {e['note']}"}
    if kind == "escalation_resolved":
        return {"what": t["escalation_resolved"], "detail": t.get(f"resolved_{e['reason']}", e["reason"])}
    return {"what": kind, "detail": ""}
