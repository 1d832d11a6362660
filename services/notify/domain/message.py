"""The e-mail a head receives about an overdue task: Vietnamese first, English below."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schemas.notify import Responsibility

SUBJECT_CONTENT_CHARS = 80
RULE = "-" * 64


@dataclass(frozen=True)
class OverdueTask:
    """What the message says about the task, its plan and who leads it."""

    task_id: str
    code: str | None
    content: str
    due: date
    plan_id: str
    plan_number: str | None
    plan_title: str | None
    agency_name: str
    unit_name: str | None = None


@dataclass(frozen=True)
class Recipient:
    """The head being told: title as the directory has it, name as the contact or directory has it."""

    title: str
    name: str | None
    of: str


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _shortened(text: str, limit: int = SUBJECT_CONTENT_CHARS) -> str:
    text = _one_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:-") + "…"


def _task_label(task: OverdueTask) -> str:
    return f"{task.code} {_one_line(task.content)}" if task.code else _one_line(task.content)


def subject(task: OverdueTask, responsibility: Responsibility, overdue_days: int) -> str:
    head = f"{task.code} {_shortened(task.content)}" if task.code else _shortened(task.content)
    if responsibility == Responsibility.unit_head:
        return f"[tiendo] Nhiệm vụ quá hạn {overdue_days} ngày: {head} / Task overdue {overdue_days} days"
    return f"[tiendo] Nhiệm vụ quá hạn: {head} / Overdue task"


def _plan_vi(task: OverdueTask) -> str:
    number = f"Kế hoạch số {task.plan_number}" if task.plan_number else f"kế hoạch {task.plan_id}"
    return f"{number} “{_one_line(task.plan_title)}”" if task.plan_title else number


def _plan_en(task: OverdueTask) -> str:
    number = f"plan {task.plan_number}" if task.plan_number else f"plan {task.plan_id}"
    return f"{number} “{_one_line(task.plan_title)}”" if task.plan_title else number


def _greeting_vi(to: Recipient) -> str:
    who = f"Đồng chí {to.name}, {to.title}" if to.name else to.title
    return f"Kính gửi: {who} ({to.of})."


def _greeting_en(to: Recipient, responsibility: Responsibility) -> str:
    role = "chairman of" if responsibility == Responsibility.unit_head else "head of"
    who = f"{to.name}, {to.title}" if to.name else to.title
    return f"Dear {who} ({role} {to.of}),"


def _days_en(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def render(task: OverdueTask, to: Recipient, responsibility: Responsibility, today: date) -> Message:
    days = max((today - task.due).days, 1)
    label, due = _task_label(task), dmy(task.due)
    facts_vi = (f"Nhiệm vụ “{label}” thuộc {_plan_vi(task)}, do {task.agency_name} chủ trì, có thời hạn hoàn thành "
                f"ngày {due}, đến nay đã quá hạn {days} ngày và chưa được báo cáo hoàn thành.")
    facts_en = (f"Task “{label}” of {_plan_en(task)}, led by {task.agency_name}, was due on {due}. "
                f"It is now {_days_en(days)} overdue and has not been reported done.")
    if responsibility == Responsibility.unit_head:
        ask_vi = ("Thủ trưởng cơ quan chủ trì đã được thông báo khi nhiệm vụ quá hạn. Đề nghị đồng chí chỉ đạo, đôn đốc "
                  "cơ quan chủ trì khẩn trương hoàn thành nhiệm vụ và xem xét trách nhiệm người đứng đầu theo quy định.")
        ask_en = ("The head of the lead agency was told when the deadline passed. Please have the lead agency complete "
                  "the task without delay and consider the responsibility of its head.")
    else:
        ask_vi = "Đề nghị đồng chí chỉ đạo khẩn trương hoàn thành nhiệm vụ và báo cáo kết quả về cơ quan thường trực."
        ask_en = "Please see that the task is completed without delay and report the result to the standing body."
    body = "\n\n".join([
        _greeting_vi(to), facts_vi, ask_vi, "Trân trọng,\nHệ thống theo dõi tiến độ tiendo",
        RULE,
        _greeting_en(to, responsibility), facts_en, ask_en, "Regards,\ntiendo progress tracking",
    ])
    return Message(subject=subject(task, responsibility, days), body=body + "\n")
