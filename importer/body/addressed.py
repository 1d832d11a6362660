"""Items whose roles are written around them rather than in them:

    "Giao X chủ trì, phối hợp với Y <task>; <time>."    an item addressed to its lead, its time last
    "Đề nghị X <task>; hằng tháng."                     the same, a request to a body outside the issuer
    "<task> (X chủ trì, phối hợp Y), cụ thể như sau:"   an item whose lettered sub-items X leads
"""
from __future__ import annotations

import re

from ..vocabulary.agencies import is_head
from ..vocabulary.roles import labeled_roles, lead_then_partners, trailing_roles
from ..vocabulary.timing import inline_timing
from .agency_cues import subject_roles
from .role_cues import leading_roles
from .time_cues import closing_clause_time
from .structure import Label
from .candidates import Candidate

_ADDRESSING = re.compile(r"^(?:Giao(?: cho)?|Đề nghị|Yêu cầu)\s+(?=\S)")


def addressed(content: str) -> str:
    """"Giao X …", "Đề nghị X …", "Yêu cầu X …" opening an item: the text from X, the agency the issuer addresses,
    who is then the sentence's subject ("Đề nghị Ủy ban MTTQ phường chỉ đạo …": the committee leads). Two cues
    compete: the assigning verb reads as the task's first word, the agency name after it as its subject; the name
    wins, since a task verb is never followed by the agency that carries it out. Without an agency name after it the
    verb stays ("Yêu cầu 100% hồ sơ …")."""
    m = _ADDRESSING.match(content)
    rest = content[m.end():] if m else ""
    rest = rest[:1].upper() + rest[1:]
    return rest if m and is_head(rest) else content


def without_partners(text: str, partners: list[str]) -> str:
    """"phối hợp với Y lập danh sách …" -> "Lập danh sách …" when Y are the partners read from it."""
    m = re.match(r"^phối hợp\s+(?:với|cùng)\s+", text, re.I)
    rest = text[m.end():] if m else ""
    for name in partners:
        if m and rest.startswith(name):
            rest = rest[len(name):].lstrip(" ,")
            return rest[:1].upper() + rest[1:]
    return text


def addressed_roles(c: Candidate) -> bool:
    """An item "Giao X …", "Đề nghị X …" or "Yêu cầu X …" whose last clause is its time ("…; hằng tháng."): X,
    the agency the issuer addresses, leads the rest ("X chủ trì, phối hợp với Y <task>", "X phối hợp với Y <task>",
    "X <task>"). The closing time is what makes it an assignment: the same opening over a long duty with no time of
    its own closes a plan ("Giao Công an huyện chủ trì tham mưu …; tổng hợp …, hàng tháng báo cáo …"), and a
    request to the level above in a report names none ("Đề nghị UBND tỉnh quan tâm bố trí kinh phí …")."""
    content = addressed(c.content)
    closing = closing_clause_time(content) if content != c.content else None
    if closing is None or any(label.kind in ("lead", "exec") for label, _ in c.labels):
        return False
    text, time = closing
    roles = leading_roles(text) or subject_roles(text, timed=True)
    if roles is None:
        return False
    support = [label.value for label in roles[1] if label.kind == "support"]
    work = without_partners(roles[0], support)
    c.parts = [work[:1].upper() + work[1:]]
    c.labels = [(label, c.line) for label in roles[1] if label.kind != "time"] + [(time, c.line)] + c.labels
    return True


_ANNOUNCING_BRACKET = re.compile(r"\((?P<inside>[^()]{3,300})\)[^()]{0,40}:\s*$")


def announced_roles(content: str) -> tuple[list[str], list[str]] | None:
    """(lead, partners) of an item that names its roles in a bracket and announces sub-items: "Làm giàu dữ liệu
    (X chủ trì, phối hợp Y), cụ thể như sau:"; None otherwise."""
    m = _ANNOUNCING_BRACKET.search(content)
    if m is None:
        return None
    inside = m.group("inside")
    roles = labeled_roles(inside) or trailing_roles(inside) or (lead_then_partners(inside) if is_head(inside) else None)
    return roles if roles and roles[0] else None


_SUB_ITEMS = ("alpha", "(alpha)", "num)", "(num)")


def leads_from_item_above(candidates: list[Candidate]) -> None:
    """Lettered sub-items under an item that ends by naming its roles and announcing them ("… (X chủ trì, phối hợp
    Y, Z), cụ thể như sau:" over "a) … (phối hợp: Y);"): X leads each sub-item that names no lead of its own, and a
    sub-item naming no partner takes the item's. Two cues compete for a sub-item's roles: its own bracket (partners
    only) and the item's; a sub-item's own roles win where it names them, since the item's partners are those of all
    its sub-items together."""
    by_code = {c.code: c for c in candidates}
    for c in candidates:
        parent = by_code.get(c.code.rsplit(".", 1)[0]) if c.kind in _SUB_ITEMS else None
        if parent is None or parent.labels or any(label.kind in ("lead", "exec") and label.value.strip()
                                                  for label, _ in c.labels):
            continue
        roles = announced_roles(parent.content)
        if roles is None:
            continue
        own_support = any(label.kind == "support" and label.value.strip() for label, _ in c.labels)
        c.labels = [(label, line) for label, line in c.labels if label.kind != "lead"]
        c.labels.insert(0, (Label("lead", "; ".join(roles[0])), c.line))
        if roles[1] and not own_support:
            c.labels.insert(1, (Label("support", "; ".join(roles[1])), c.line))
        inline = inline_timing(c.content, 2000) if not any(label.kind == "time" for label, _ in c.labels) else None
        if inline is not None and inline[0].raw:
            c.labels.append((Label("time", inline[0].raw), c.line))  # "b) …, trong quý III/2027;"
