"""The plain-text body of a digest, in the recipient's language (Vietnamese by default): one builder, one phrasebook
per language (the HTML part takes its states from the same phrasebook)."""
from __future__ import annotations

from datetime import date

from services.notify.domain.digest import ALERT, OVERDUE, Addressee, Entry, dmy, one_line, ordered, salutation, where_en, where_vi

RULE = "-" * 64

PHRASES = {
    "vi": {
        "due": "Hạn hoàn thành: {due}", "no_due": "Hạn hoàn thành: chưa xác định", "adjusted": " (đã điều chỉnh; hạn ban đầu {original})",
        "period": "; kỳ báo cáo {period}", "overdue": "Quá hạn {days} ngày", "today": "Đến hạn hôm nay", "left": "Còn {days} ngày đến hạn",
        "new": ", mới", "alert": "Cảnh báo", "todo": "Việc cần làm: ", "in": "Thuộc: {where}; chủ trì: {agency}",
        "why": "Lý do nhận: bậc {rung} ({rule})", "cc": "; đồng chí nhận để biết (đồng gửi)",
        "acked": "Đã xác nhận, hẹn hoàn thành trước {until}", "ack_link": "; xác nhận và hẹn ngày hoàn thành: {url}",
        "child": "+ Nhiệm vụ cấp dưới (gộp vào đây): {code} {content} — {agency}, quá hạn {days} ngày",
        "todo_cc": "theo dõi, đôn đốc cơ quan chủ trì và tổng hợp báo cáo",
        "todo_superior": "chỉ đạo cơ quan chủ trì khẩn trương hoàn thành, xem xét trách nhiệm người đứng đầu theo quy định",
        "todo_lead": "báo cáo tiến độ; nếu cần thêm thời gian, đề nghị gia hạn với cơ quan ban hành kế hoạch",
        "intro": ("Tính đến ngày {today}, hệ thống tiendo tổng hợp {count} nội dung đồng chí chịu trách nhiệm, sắp xếp theo số ngày "
                  "quá hạn. Đồng chí nhận thông báo này vì kế hoạch giao nhiệm vụ cho đồng chí hoặc cơ quan đồng chí."),
        "closing": "Trân trọng,\nHệ thống theo dõi tiến độ tiendo",
    },
    "en": {
        "due": "Due: {due}", "no_due": "Due: not set", "adjusted": " (adjusted; originally {original})",
        "period": "; reporting period {period}", "overdue": "{days} days overdue", "today": "due today", "left": "due in {days} days",
        "new": ", new", "alert": "Alert", "todo": "To do: ", "in": "In: {where}; led by {agency}",
        "why": "Why you: rung {rung} ({rule})", "cc": "; copied for information",
        "acked": "Acknowledged, expected done by {until}", "ack_link": "; acknowledge with an expected date: {url}",
        "child": "+ Lower-level task folded in here: {code} {content} — {agency}, {days} days overdue",
        "todo_cc": "follow up with the lead agency and compile the report",
        "todo_superior": "direct the lead agency to complete it without delay and consider the responsibility of its head",
        "todo_lead": "report progress; if more time is needed, request an extension from the issuing body",
        "intro": ("As of {today}, tiendo lists {count} item(s) you answer for, most overdue first. "
                  "You receive this because a plan names you, or your office, for them."),
        "closing": "Regards,\ntiendo progress tracking",
    },
}


def phrases(language: str) -> dict[str, str]:
    return PHRASES["en" if language == "en" else "vi"]


def state(e: Entry, words: dict[str, str]) -> str:
    """How far the entry is from its due date: overdue, due today, or days left."""
    if e.kind == OVERDUE:
        return words["overdue"].format(days=e.days)
    return words["today"] if e.days == 0 else words["left"].format(days=e.days)


def _due(e: Entry, words: dict[str, str]) -> str:
    due = words["due"].format(due=dmy(e.due)) if e.due else words["no_due"]
    if e.original_due and e.due and e.original_due != e.due:
        due += words["adjusted"].format(original=dmy(e.original_due))
    return due + (words["period"].format(period=e.period) if e.period else "")


def todo(e: Entry, words: dict[str, str]) -> str:
    """What the recipient should do: the lead agency's head, a superior, or someone copied."""
    return words["todo_cc" if e.cc else "todo_superior" if e.superior else "todo_lead"]


def _entry(n: int, e: Entry, words: dict[str, str], where: str) -> list[str]:
    if e.kind == ALERT:
        return [f"{n}. [{words['alert']}] {one_line(e.content)}", f"   {words['todo']}{e.rule}"]
    label = f"{e.code} {one_line(e.content)}" if e.code else one_line(e.content)
    lines = [f"{n}. [{state(e, words)}{words['new'] if e.new else ''}] {label}",
             "   " + words["in"].format(where=where, agency=e.agency_name), f"   {_due(e, words)}"]
    if e.kind == OVERDUE:
        lines.append("   " + words["why"].format(rung=e.rung, rule=e.rule) + (words["cc"] if e.cc else ""))
    if e.acknowledged_until:
        lines.append("   " + words["acked"].format(until=dmy(e.acknowledged_until)))
    lines.append(f"   {words['todo']}{todo(e, words)}" + (words["ack_link"].format(url=e.ack_url) if e.ack_url else ""))
    for child in e.children:
        lines.append("   " + words["child"].format(code=child.code or "", content=one_line(child.content), agency=child.agency_name, days=child.days))
    return lines


def render_text(to: Addressee, entries: list[Entry], today: date) -> str:
    entries, words = ordered(entries), phrases(to.language)
    where = where_en if to.language == "en" else where_vi
    body = [line for n, e in enumerate(entries, 1) for line in _entry(n, e, words, where(e))]
    intro = words["intro"].format(today=dmy(today), count=len(entries))
    return "\n\n".join([salutation(to), intro, "\n".join(body), RULE, words["closing"]]) + "\n"
