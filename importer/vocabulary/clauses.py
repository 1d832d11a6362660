"""The timing clause that ends a task sentence after a semicolon.

    "Phòng Tài nguyên và Môi trường: cập nhật dữ liệu người sử dụng đất; năm 2024."
    "…; khi có hướng dẫn của Sở Tài chính."   "…; 6 tháng cuối năm 2024."
"""

from __future__ import annotations

import re

from ..read.text import fold

_CLAUSE_START = re.compile(
    r"^(?:hoan thanh|xong|thuc hien|nam|thang|quy|(?:0?6|sau) thang|nua nam|trong|truoc|tu|bat dau|den"
    r"|cham nhat|khi|ngay sau khi|sau khi|ngay khi|theo (?:ke hoach|de nghi|chi dao|huong dan|yeu cau|lo trinh)"
    r"|thuong xuyen|dinh ky|hang (?:thang|quy|nam)|thoi gian|thoi han|du kien)\b"
)
MAX_CLAUSE = 100


def trailing_clause(text: str) -> tuple[int, int] | None:
    """Span of the last ';'-clause when it starts like a timing ("năm 2024", "khi có …")."""
    end = len(text.rstrip(" .;"))
    cut = text.rfind(";", 0, end)
    if cut < 0:
        return None
    start = cut + 1 + (len(text[cut + 1:end]) - len(text[cut + 1:end].lstrip()))
    if not 0 < end - start <= MAX_CLAUSE:
        return None
    return (start, end) if _CLAUSE_START.match(fold(text[start:end])) else None
