"""The fixed wording of a Vietnamese administrative report: period names, letterhead lines, place, signature."""
from __future__ import annotations

from datetime import date

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
LEVEL_WORDS = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu ")
NATIONAL_RECIPIENT = "Tổ công tác triển khai Đề án 06 của Chính phủ (qua Bộ Công an)"


def period_label(period: str) -> str:
    """2026-12 → tháng 12 năm 2026; 2026-Q4 → quý IV năm 2026; 2026-H1 → 6 tháng đầu năm 2026; 2026 → năm 2026."""
    year = period[:4]
    if len(period) == 4:
        return f"năm {year}"
    rest = period[5:]
    if rest.startswith("Q"):
        return f"quý {ROMAN[int(rest[1])]} năm {year}"
    if rest.startswith("H"):
        return f"6 tháng {'đầu' if rest == 'H1' else 'cuối'} năm {year}"
    if rest.startswith("W"):
        return f"tuần {int(rest[1:])} năm {year}"
    return f"tháng {int(rest)} năm {year}"


def place(unit_name: str) -> str:
    for word in LEVEL_WORDS:
        if unit_name.startswith(word):
            return unit_name[len(word):]
    return unit_name


def dated(where: str, day: date) -> str:
    return f"{where}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def committee(unit_name: str) -> str:
    """The issuing body's name: 'Tỉnh Cao Bằng' → 'ỦY BAN NHÂN DÂN TỈNH CAO BẰNG' (second letterhead line upper)."""
    return unit_name.upper()


def recipient(parent: dict | None) -> str:
    return f"Ủy ban nhân dân {parent['name'].lower()[:1]}{parent['name'][1:]}" if parent else NATIONAL_RECIPIENT


def signer(head_title: str | None) -> str:
    """'Chủ tịch UBND' → 'CHỦ TỊCH' (the title under 'TM. ỦY BAN NHÂN DÂN')."""
    title = (head_title or "Chủ tịch UBND").replace("UBND", "").strip()
    return title.upper() or "CHỦ TỊCH"


def day_vn(iso: str | None) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else "—"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%".replace(".", ",")
