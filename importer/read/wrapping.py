"""Rejoin hard-wrapped lines: a line broken mid-sentence, mid-agency name ("Sở Khoa học và Công /
nghệ") or mid-date ("ngày 17 / tháng 11 năm 2025") is glued to the line before it.

A line continues the one above when the one above does not end a sentence or a label, the line
does not open a new item (numbering, bullet, label), both are or are not in capitals, and either
the line above reaches near the text width or the line starts in lowercase or with a digit
that finishes a date. A field line cut inside a label ("…; cơ quan" / "phối hợp: Y") or after an inline
label ("…; thời gian hoàn thành:" / "Quý III/2023") is one line, whatever the line below starts with. Table rows (tab or pipe cells) are never joined.
"""
from __future__ import annotations

import re

# a new item: numbering, a bullet, a bracket, or a point quoted with its number ("“2. …" in an amendment)
_BREAKS = re.compile(r"^\s*(?:[“\"]?(?:[IVXLC]+[.)]|\d{1,3}(?:\.\d{1,3})*[.)])|[a-zđ][.)]|\(\d{1,3}\)|[-+*•–]|\[)\s?")
_LABEL = re.compile(r"^\s*(?:-\s*)?(?:cơ quan|đơn vị|bộ phận|thời gian|thời hạn|chủ trì|phối hợp|sản phẩm|kết quả|số:|căn cứ|nơi nhận|điều \d|thực hiện (?:kế hoạch|quyết định|chỉ thị|công văn|nghị quyết))", re.I)
_END = tuple(".:;!?")
_CUT_LABEL = re.compile(r"[;,]\s*(?:cơ quan|đơn vị|bộ phận|thời|thời gian)$", re.I)  # a field label cut after its head
_LABEL_REST = re.compile(r"^(?:chủ trì|phối hợp|thực hiện|gian|hạn|hoàn thành)\b[^:;]{0,30}:", re.I)
_INLINE_LABEL = re.compile(  # a field line ending on its next label, whose value is on the line below
    r";\s*(?:cơ quan |đơn vị |bộ phận )?(?:chủ trì|phối hợp|thực hiện|thời gian|thời hạn)[^:;]{0,30}:$", re.I)
_DATE_TAIL = re.compile(r"(?:ngày|tháng|năm|quý|\d{1,2}\s*/)\s*$", re.I)
# a weekday cut after "thứ" ("trước 16 giờ thứ" / "Năm hằng tuần"): the day's name, capitalised, goes on the line above
_WEEKDAY_CUT = re.compile(r"\bthứ$", re.I)
_WEEKDAY_REST = re.compile(r"^(?:Hai|Ba|Tư|Năm|Sáu|Bảy)\b(?!\s*[.)])")
_RANGE_TAIL = re.compile(r"^[-–]\s*\d{1,4}\b")
# a dashed name broken at its dash ("Phòng Văn hóa" / "- Xã hội (chủ trì), …"): the second line is no bullet
_NAME_HALF = re.compile(r"\b(?:văn hóa|văn hoá|kế hoạch|lao động|tư pháp|kinh tế|tài chính|nội vụ|địa chính|giáo dục)$", re.I)
_NAME_REST = re.compile(r"^[-–]\s+(?:xã hội|tài chính|thương binh|hộ tịch|hạ tầng|kế toán|thông tin|thể thao|xây dựng|"
                        r"lao động|đào tạo)\b", re.I)
_DATE_HEAD = re.compile(r"^(?!\d{1,3}[.)]\s)(?:\d{1,4}\b|/|tháng|năm|[IVX]{1,4}\s*(?:/|năm\b|$))", re.I)  # not "1. …"


def text_width(lines: list[str]) -> int:
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    return lengths[int(len(lengths) * 0.9)] if lengths else 80


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Plain text whose paragraphs were cut at a fixed width (as e-mailed or pasted text arrives)."""
    body = [ln.rstrip() for ln in lines if ln.strip() and "\t" not in ln and not ln.lstrip().startswith("|")]
    if len(body) < 12:
        return False
    width = text_width(body)
    if width > 110:
        return False
    near = sum(1 for ln in body if len(ln) >= 0.8 * width and not ln.endswith(_END))
    return near >= 0.25 * len(body)


def continues(prev: str, text: str, width: int, capitals: bool = True, measured: bool = False) -> bool:
    """`measured`: the width is in characters (plain text), so a line that had room for the next word ended there."""
    if not prev or "\t" in prev or "\t" in text or text.startswith("|") or prev.startswith("|"):
        return False
    if _DATE_TAIL.search(prev) and _DATE_HEAD.match(text) or _WEEKDAY_CUT.search(prev) and _WEEKDAY_REST.match(text):
        return True
    if _CUT_LABEL.search(prev) and _LABEL_REST.match(text) or _INLINE_LABEL.search(prev) and not _BREAKS.match(text):
        return True  # "…; cơ quan" / "phối hợp: Y", or "…; thời gian hoàn thành:" / "Quý III/2023": one field line
    if prev[-1:].isdigit() and _RANGE_TAIL.match(text) and not (prev.isupper() and not text.isupper()):
        return True  # "giai đoạn 2022 / - 2025": a range broken at its dash, not a bullet; under a heading in
        # capitals ("II. CHỈ TIÊU NĂM 2026" / "- 100% …") the dash opens the heading's first item
    if _NAME_HALF.search(prev) and _NAME_REST.match(text) and len(prev) >= 0.6 * width:
        return True  # "Phòng Văn hóa / - Xã hội": a name broken at its dash, not a bullet
    if prev.count("(") > prev.count(")") and not _BREAKS.match(text):
        return True  # "… (thay cho" / "thời gian “Quý II/2026”)": a bracket left open goes on, whatever opens the line
    if _clause_cut(prev, text, width):
        return True  # "… đơn vị thực hiện;" / "tổng hợp kết quả …": the sentence's next clause, cut at the width
    if prev.endswith(_END) or _BREAKS.match(text) or _LABEL.match(text) and not _mid_sentence(prev, text):
        return False
    if prev.startswith("(") and prev.endswith(")"):  # "(Kèm theo Kế hoạch số …)" under a title: a line of its own
        return False
    if prev.isupper() != text.isupper() or prev.isupper() and not capitals:
        return False
    if text[:1].islower():
        return True
    fits = measured and len(prev) + 1 + len(text.split(" ", 1)[0]) <= width  # room for the next word: not cut there
    return len(prev) >= 0.6 * width and not fits


def _clause_cut(prev: str, text: str, width: int) -> bool:
    """A line that reached the text width and closed a clause with ";", over a line opening in lower case with no
    numbering or label: two cues compete (the ";" says "an item ends", the lower case says "the sentence goes on");
    the lower case wins, since an item, a label or a sentence opens with a capital or a mark."""
    return prev.endswith(";") and len(prev) >= 0.8 * width and text[:1].islower() and not _BREAKS.match(text) \
        and not _LABEL.match(text)


def _mid_sentence(prev: str, text: str) -> bool:
    """'…, người bệnh nặng tại nhà,' / 'phối hợp với Trạm Y tế xã, …': a role word inside the sentence, no label."""
    return text[:1].islower() and ":" not in text[:40] and prev.endswith(",")


def rejoin(lines: list[str], width: int | None = None, capitals: bool = True, measured: bool = False) -> list[str]:
    """`capitals`: also join lines in capitals (a PDF's wrapped title); off for text, where
    capitals stacked in the letterhead are separate names."""
    width = width or text_width(lines)
    out: list[str] = []
    for line in lines:
        text = line.strip() if "\t" not in line else line.rstrip("\n")
        if not text:
            out.append("")
            continue
        prev = out[-1] if out else ""
        if prev and continues(prev, text, width, capitals, measured):
            out[-1] = prev + " " + text
        else:
            out.append(text)
    return out
