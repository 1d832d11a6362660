"""One message per recipient listing every item they answer for, most overdue first, each saying why it is there.

Vietnamese by default; English when the recipient's preference says so. Plain text here, HTML in digest_html.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

OVERDUE, REMINDER, ALERT = "overdue", "reminder", "alert"


@dataclass(frozen=True)
class Addressee:
    title: str
    name: str | None
    of: str
    language: str = "vi"


@dataclass(frozen=True)
class Entry:
    """One line of a digest: an overdue item, a reminder before due, or an alert (someone could not be told)."""

    item_id: str
    kind: str
    code: str | None
    content: str
    plan: str  # "Kế hoạch 810/KH-UBND"
    clause: str | None  # "III.2.b"
    agency_name: str
    due: date | None
    original_due: date | None = None
    days: int = 0  # overdue (positive) or left before due (reminders)
    rung: int = 0
    rule: str = ""
    cc: bool = False
    superior: bool = False  # told as someone the lead agency answers to (chairman, level above)
    new: bool = False
    period: str | None = None
    acknowledged_until: date | None = None
    ack_url: str | None = None
    children: tuple["Entry", ...] = field(default=())


def copied(entry: Entry, **changes) -> Entry:
    """`dataclasses.replace` for the fields of one recipient's copy, without running the checks of `__init__` again
    (a digest pass makes a copy per item and recipient: 200,000 at a quarter end)."""
    copy = object.__new__(Entry)
    copy.__dict__.update(entry.__dict__, **changes)
    return copy


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def one_line(text: str) -> str:
    return " ".join(text.split())


def ordered(entries: list[Entry]) -> list[Entry]:
    """Alerts first, then overdue items by days overdue (most first), then reminders by days left (fewest first)."""
    rank = {ALERT: 0, OVERDUE: 1, REMINDER: 2}
    return sorted(entries, key=lambda e: (rank[e.kind], -e.days if e.kind != REMINDER else e.days, e.item_id))


def where_vi(entry: Entry) -> str:
    return f"{entry.plan}, mục {entry.clause}" if entry.clause else entry.plan


def where_en(entry: Entry) -> str:
    return f"{entry.plan}, clause {entry.clause}" if entry.clause else entry.plan


def subject(entries: list[Entry], language: str) -> str:
    overdue = [e for e in entries if e.kind == OVERDUE]
    reminders = [e for e in entries if e.kind == REMINDER]
    alerts = [e for e in entries if e.kind == ALERT]
    longest = max((e.days for e in overdue), default=0)
    if language == "en":
        parts = [f"{len(overdue)} overdue task{'s' if len(overdue) != 1 else ''} (longest {longest} days)"] if overdue else []
        parts += [f"{len(reminders)} due soon"] if reminders else []
        parts += [f"{len(alerts)} alert{'s' if len(alerts) != 1 else ''}"] if alerts else []
        return "[tiendo] " + ", ".join(parts)
    parts = [f"{len(overdue)} nhiệm vụ quá hạn (lâu nhất {longest} ngày)"] if overdue else []
    parts += [f"{len(reminders)} nhiệm vụ sắp đến hạn"] if reminders else []
    parts += [f"{len(alerts)} cảnh báo"] if alerts else []
    return "[tiendo] " + ", ".join(parts)


def salutation(to: Addressee) -> str:
    if to.language == "en":
        return f"Dear {to.name + ', ' if to.name else ''}{to.title} ({to.of}),"
    return f"Kính gửi: {'Đồng chí ' + to.name + ', ' if to.name else ''}{to.title} ({to.of})."
