"""The plain-text body of a digest, in the recipient's language (Vietnamese by default)."""
from __future__ import annotations

from datetime import date

from services.notify.domain.digest import ALERT, OVERDUE, Addressee, Entry, dmy, one_line, ordered, salutation, where_en, where_vi

RULE = "-" * 64


def _due_vi(e: Entry) -> str:
    due = f"Hạn hoàn thành: {dmy(e.due)}" if e.due else "Hạn hoàn thành: chưa xác định"
    if e.original_due and e.due and e.original_due != e.due:
        due += f" (đã điều chỉnh; hạn ban đầu {dmy(e.original_due)})"
    return due + (f"; kỳ báo cáo {e.period}" if e.period else "")


def _due_en(e: Entry) -> str:
    due = f"Due: {dmy(e.due)}" if e.due else "Due: not set"
    if e.original_due and e.due and e.original_due != e.due:
        due += f" (adjusted; originally {dmy(e.original_due)})"
    return due + (f"; reporting period {e.period}" if e.period else "")


def _todo_vi(e: Entry) -> str:
    if e.cc:
        return "theo dõi, đôn đốc cơ quan chủ trì và tổng hợp báo cáo"
    if e.superior:
        return "chỉ đạo cơ quan chủ trì khẩn trương hoàn thành, xem xét trách nhiệm người đứng đầu theo quy định"
    return "báo cáo tiến độ; nếu cần thêm thời gian, đề nghị gia hạn với cơ quan ban hành kế hoạch"


def _todo_en(e: Entry) -> str:
    if e.cc:
        return "follow up with the lead agency and compile the report"
    if e.superior:
        return "direct the lead agency to complete it without delay and consider the responsibility of its head"
    return "report progress; if more time is needed, request an extension from the issuing body"


def _entry_vi(n: int, e: Entry) -> list[str]:
    label = f"{e.code} {one_line(e.content)}" if e.code else one_line(e.content)
    if e.kind == ALERT:
        return [f"{n}. [Cảnh báo] {one_line(e.content)}", f"   Việc cần làm: {e.rule}"]
    head = f"Quá hạn {e.days} ngày" if e.kind == OVERDUE else ("Đến hạn hôm nay" if e.days == 0 else f"Còn {e.days} ngày đến hạn")
    lines = [f"{n}. [{head}{', mới' if e.new else ''}] {label}", f"   Thuộc: {where_vi(e)}; chủ trì: {e.agency_name}", f"   {_due_vi(e)}"]
    if e.kind == OVERDUE:
        why = f"bậc {e.rung} ({e.rule})" + ("; đồng chí nhận để biết (đồng gửi)" if e.cc else "")
        lines.append(f"   Lý do nhận: {why}")
    if e.acknowledged_until:
        lines.append(f"   Đã xác nhận, hẹn hoàn thành trước {dmy(e.acknowledged_until)}")
    lines.append(f"   Việc cần làm: {_todo_vi(e)}" + (f"; xác nhận và hẹn ngày hoàn thành: {e.ack_url}" if e.ack_url else ""))
    for child in e.children:
        lines.append(f"   + Nhiệm vụ cấp dưới (gộp vào đây): {child.code or ''} {one_line(child.content)} — {child.agency_name}, quá hạn {child.days} ngày")
    return lines


def _entry_en(n: int, e: Entry) -> list[str]:
    label = f"{e.code} {one_line(e.content)}" if e.code else one_line(e.content)
    if e.kind == ALERT:
        return [f"{n}. [Alert] {one_line(e.content)}", f"   To do: {e.rule}"]
    head = f"{e.days} days overdue" if e.kind == OVERDUE else ("due today" if e.days == 0 else f"due in {e.days} days")
    lines = [f"{n}. [{head}{', new' if e.new else ''}] {label}", f"   In: {where_en(e)}; led by {e.agency_name}", f"   {_due_en(e)}"]
    if e.kind == OVERDUE:
        lines.append(f"   Why you: rung {e.rung} ({e.rule})" + ("; copied for information" if e.cc else ""))
    if e.acknowledged_until:
        lines.append(f"   Acknowledged, expected done by {dmy(e.acknowledged_until)}")
    lines.append(f"   To do: {_todo_en(e)}" + (f"; acknowledge with an expected date: {e.ack_url}" if e.ack_url else ""))
    for child in e.children:
        lines.append(f"   + Lower-level task folded in here: {child.code or ''} {one_line(child.content)} — {child.agency_name}, {child.days} days overdue")
    return lines


def render_text(to: Addressee, entries: list[Entry], today: date) -> str:
    entries = ordered(entries)
    if to.language == "en":
        intro = (f"As of {dmy(today)}, tiendo lists {len(entries)} item(s) you answer for, most overdue first. "
                 "You receive this because a plan names you, or your office, for them.")
        body = [line for n, e in enumerate(entries, 1) for line in _entry_en(n, e)]
        closing = "Regards,\ntiendo progress tracking"
    else:
        intro = (f"Tính đến ngày {dmy(today)}, hệ thống tiendo tổng hợp {len(entries)} nội dung đồng chí chịu trách nhiệm, "
                 "sắp xếp theo số ngày quá hạn. Đồng chí nhận thông báo này vì kế hoạch giao nhiệm vụ cho đồng chí hoặc cơ quan đồng chí.")
        body = [line for n, e in enumerate(entries, 1) for line in _entry_vi(n, e)]
        closing = "Trân trọng,\nHệ thống theo dõi tiến độ tiendo"
    return "\n\n".join([salutation(to), intro, "\n".join(body), RULE, closing]) + "\n"
