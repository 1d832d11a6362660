"""Lines that name who leads the items below them: "Giao X chủ trì, phối hợp với Y thực hiện các nhiệm vụ sau:",
"Giao Công an phường:", "1. Phòng Tư pháp chủ trì"."""
from __future__ import annotations

import re

from ..read.text import fold
from ..vocabulary.agencies import is_head, split_agencies
from ..vocabulary.roles import lead_then_partners
from .features import numbering_end
from .inline import TASK_VERB

_ASSIGN = re.compile(r"^(?:giao(?: cho)?|de nghi)\s+", re.I)


_ITEMS = re.compile(r"\s+(?:thuc hien|trien khai)\b.*$")


def scope_roles(text: str) -> tuple[list[str], list[str]] | None:
    """"1. Giao X chủ trì, phối hợp với Y thực hiện các nhiệm vụ sau:" -> ([X], [Y]) for the items below; so does a
    heading that is only agencies and a colon ("Giao Công an phường:", "Phòng Tư pháp:")."""
    body = text[numbering_end(text):].strip().rstrip(" :.")
    folded = fold(body).lower()
    m = _ASSIGN.match(folded)
    named = body[m.end():] if m else body
    if ("chu tri" not in folded and text.rstrip().endswith(":") and len(named.split()) <= 10 and is_head(named)
            and not TASK_VERB.search(fold(named)) and not re.search(r"\b(?:sau|nhu sau|gom)$", fold(named).lower())):
        return split_agencies(named), []
    if not m or "chu tri" not in folded:
        return None
    cut = _ITEMS.search(folded, m.end())
    return lead_then_partners(body[m.end(): cut.start() if cut else len(body)])


def agency_scope(text: str) -> tuple[list[str], list[str]] | None:
    """A row or line that only names who leads the items below: "1. Phòng Tư pháp chủ trì", "Công an huyện chủ
    trì, phối hợp với UBND các xã"."""
    body = text[numbering_end(text):].strip().rstrip(" :.")
    if len(body.split()) > 25 or TASK_VERB.search(fold(body).lower().split("chu tri", 1)[-1]):
        return None
    roles = lead_then_partners(body)
    named = roles and roles[0] and is_head(roles[0][0]) and not _GENERIC.match(fold(roles[0][0]).lower())
    return roles if named else None


_GENERIC = re.compile(r"^(?:co quan|don vi|bo phan|ca nhan|to chuc)$")  # a column name, no agency
