"""The HTML part of a digest: the same facts as the text part, as a table (escaped; no remote content)."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from html import escape as _escape

from services.notify.domain.digest import ALERT, OVERDUE, Addressee, Digest, Entry, dmy, one_line, ordered, salutation, subject, where_en, where_vi
from services.notify.domain.digest_text import phrases, render_text, state
from services.notify.domain.digest_text import todo as what_to_do

escape = lru_cache(maxsize=8192)(_escape)  # most cells repeat row after row (agency, rule, what to do): escaped once


HEADERS = {
    "vi": ("Nhiệm vụ", "Kế hoạch, mục", "Chủ trì", "Hạn", "Tình trạng", "Lý do nhận", "Việc cần làm"),
    "en": ("Task", "Plan, clause", "Lead", "Due", "State", "Why you", "To do"),
}


def _state(e: Entry, en: bool) -> str:
    words = phrases("en" if en else "vi")
    if e.kind == ALERT:
        return words["alert"]
    text = state(e, words)
    if e.acknowledged_until:
        text += (" — acknowledged until " if en else " — đã xác nhận đến ") + dmy(e.acknowledged_until)
    return text


def _due(e: Entry) -> str:
    if not e.due:
        return ""
    if e.original_due and e.original_due != e.due:
        return f"{dmy(e.due)}<br><s>{dmy(e.original_due)}</s>"
    return dmy(e.due)


def _row(e: Entry, en: bool) -> str:
    label = _escape(f"{e.code} {one_line(e.content)}" if e.code else one_line(e.content))  # unique per row: not cached
    if e.children:
        label += "<ul>" + "".join(f"<li>{escape((c.code or '') + ' ' + one_line(c.content))} — {escape(c.agency_name)}</li>" for c in e.children) + "</ul>"
    why = "" if e.kind != OVERDUE else escape((f"rung {e.rung}" if en else f"bậc {e.rung}") + f" ({e.rule})" + ((" — cc" if en else " — đồng gửi") if e.cc else ""))
    todo = escape(e.rule) if e.kind == ALERT else escape(what_to_do(e, phrases("en" if en else "vi")))
    if e.ack_url:
        todo += f'<br><a href="{_escape(e.ack_url, quote=True)}">{"Acknowledge" if en else "Xác nhận, hẹn ngày hoàn thành"}</a>'
    cells = (label, escape(where_en(e) if en else where_vi(e)), escape(e.agency_name), _due(e), escape(_state(e, en)), why, todo)
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def render(to: Addressee, entries: list[Entry], today: date) -> Digest:
    en = to.language == "en"
    rows = "".join(_row(e, en) for e in ordered(entries))
    head = "".join(f"<th>{h}</th>" for h in HEADERS["en" if en else "vi"])
    html = (f'<!DOCTYPE html><html lang="{"en" if en else "vi"}"><head><meta charset="utf-8"></head><body>'
            f"<p>{escape(salutation(to))}</p><table border=\"1\" cellpadding=\"4\"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f"<p>{'Regards, tiendo' if en else 'Trân trọng, hệ thống theo dõi tiến độ tiendo'}</p></body></html>")
    return Digest(subject=subject(entries, to.language), text=render_text(to, entries, today), html=html)
