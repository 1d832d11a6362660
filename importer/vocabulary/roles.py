"""Lead and coordinating agencies written together in one cell or heading.

    "Chủ trì: Phòng Tư pháp. Phối hợp: Công an thành phố, UBND các xã, phường."
    "Chủ trì: Văn phòng HĐND và UBND thành phố; phối hợp: các phòng chuyên môn"
    "Phòng Tư pháp chủ trì, phối hợp với Công an huyện"
"""

from __future__ import annotations

import re

from .agencies import is_head, split_agencies
from ..read.text import fold

_ROLE_LABEL = re.compile(r"(?:(?:co quan|don vi)\s+)?(?P<kw>chu tri|phoi hop)(?:\s+thuc hien)?\s*:\s*")
_LEAD_THEN_PARTNERS = re.compile(r"^(?P<lead>.+?)\s+chu tri\s*(?:[,;]\s*(?:va\s+)?phoi hop\s*(?:voi|cung)?\s+(?P<rest>.+))?$")


def labeled_roles(text: str) -> tuple[list[str], list[str]] | None:
    """(lead, support) from "Chủ trì: X. Phối hợp: Y." inside one text; None without such labels."""
    folded = fold(text)
    marks = list(_ROLE_LABEL.finditer(folded))
    if not marks or folded[: marks[0].start()].strip(" .;,\n"):
        return None
    lead: list[str] = []
    support: list[str] = []
    for m, nxt in zip(marks, marks[1:] + [None]):
        value = text[m.end(): nxt.start() if nxt else len(text)]
        (lead if m.group("kw") == "chu tri" else support).extend(split_agencies(value.strip(" .;,\n")))
    return lead, support


_TRAILING_ROLE = re.compile(r"\s*\(?\s*(?P<kw>chu tri|thuc hien|phu trach|phoi hop)(?:\s+thuc hien)?\s*\)?\s*$")


def trailing_roles(text: str) -> tuple[list[str], list[str]] | None:
    """(lead, support) from "X (chủ trì); Y, Z (phối hợp)" or "X chủ trì; Y phối hợp" / "X thực hiện;
    Y phối hợp": every ;-separated part ends with its role word. None otherwise."""
    parts = [p for p in re.split(r"\s*[;.]\s+|\s*;\s*", text.strip(" .;")) if p.strip()]
    lead: list[str] = []
    support: list[str] = []
    for part in parts:
        m = _TRAILING_ROLE.search(fold(part))
        names = split_agencies(part[: m.start()]) if m else []
        is_support = bool(m) and m.group("kw") == "phoi hop"
        if not m or not names or not (is_support or is_head(part)):
            return None
        (support if is_support else lead).extend(names)
    return (lead, support) if lead else None


_MARK = re.compile(r"\s*\((?P<kw>chu tri|chinh|phoi hop)\)\s*$")


def marked_roles(text: str) -> tuple[list[str], list[str]] | None:
    """"Sở Tư pháp (chủ trì), Văn phòng UBND tỉnh": the marked name leads, the others coordinate."""
    names = split_agencies(text)
    marks = [_MARK.search(fold(name)) for name in names]
    leads = ("chu tri", "chinh")
    if not any(m and m.group("kw") in leads for m in marks):
        return None
    lead = [name[: m.start()].strip() for name, m in zip(names, marks) if m and m.group("kw") in leads]
    support = [name[: m.start()].strip() if m else name for name, m in zip(names, marks)
               if not (m and m.group("kw") in leads)]
    return lead, support


def lead_then_partners(text: str) -> tuple[list[str], list[str]] | None:
    """(lead, support) from "X chủ trì[, phối hợp với Y]"; None otherwise."""
    folded = fold(text.strip(" .;:"))
    m = _LEAD_THEN_PARTNERS.match(folded)
    if not m:
        return None
    lead = split_agencies(text[: m.end("lead")])
    support = split_agencies(text[m.start("rest"): m.end("rest")]) if m.group("rest") else []
    return (lead, support) if lead else None


_ASSIGN_PREFIX = re.compile(r"^(?:giao(?: cho)?|đề nghị)\s+", re.I)
_ITEMS_FOLLOW = re.compile(
    r"\s+(?:thực hiện|triển khai)(?:\s+(?:các|những))?(?:\s+(?:nhiệm vụ|nội dung|công việc))?(?:\s+(?:sau|như sau|sau đây))?\s*$",
    re.I)


def role_heading(body: str) -> tuple[list[str], str, list[str]] | None:
    """"Phòng Tư pháp chủ trì, phối hợp với Công an huyện: rà soát …" -> (lead, rest, support).

    Also a heading whose tasks follow as items: "Giao Sở Y tế chủ trì, phối hợp với Bảo hiểm xã hội
    tỉnh thực hiện các nhiệm vụ sau:" -> (lead, "", support)."""
    head, sep, rest = body.partition(":")
    if not sep or len(head.split()) > 30:
        return None
    if not rest.strip():
        head = _ITEMS_FOLLOW.sub("", _ASSIGN_PREFIX.sub("", head.strip()))
    if not is_head(head):
        return None
    roles = lead_then_partners(head)
    return (roles[0], rest.strip(), roles[1]) if roles else None


def cell_roles(text: str) -> tuple[list[str], list[str]]:
    """An agency cell: labelled roles, "X chủ trì, phối hợp với Y", or a plain list (all leads)."""
    return (labeled_roles(text) or trailing_roles(text) or marked_roles(text) or lead_then_partners(text)
            or (split_agencies(text), []))
