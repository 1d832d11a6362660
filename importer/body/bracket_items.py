"""A cell of dashed tasks, each closing with its own roles and time in one bracket:

    "- task one (X chủ trì, Y phối hợp; Quý II/2026)
     - task two (Z chủ trì; thường xuyên)"

Each dash is a task led by the body before "chủ trì", supported by the bodies before "phối hợp", due at the time
after the last ";". Read only when every dash of the cell closes so: a cell whose dashes are activities of one task
names no roles in them.
"""
from __future__ import annotations

import re

from ..read.text import fold, nfc
from ..vocabulary.agencies import split_agencies
from .item_text import dashed_items
from .time_cues import is_time

_END_BRACKET = re.compile(r"\s*\((?P<inside>[^()]+)\)\s*[.;]?\s*$")
_JOINED_DASH = re.compile(r"(?<=\))\s+[-–]\s+(?=[A-ZĐÀ-Ỹ])")
_ROLES = re.compile(r"^(?P<lead>.+?)\s+chu tri(?:\s*,\s*(?P<support>.+?)\s+phoi hop)?\s*$")


def bracket_item(item: str) -> tuple[str, list[str], list[str], str | None] | None:
    """(task text, lead, partners, time as written) of "task (X chủ trì, Y phối hợp; time)", or None."""
    item = nfc(item)
    m = _END_BRACKET.search(item)
    if not m or m.start() < 10:
        return None
    parts = [p.strip() for p in m.group("inside").split(";")]
    when = parts[-1] if len(parts) > 1 and is_time(parts[-1]) else None
    roles = "; ".join(parts[:-1] if when else parts)
    r = _ROLES.match(fold(roles))
    if not r:
        return None
    lead = split_agencies(roles[r.start("lead"):r.end("lead")])
    support = split_agencies(roles[r.start("support"):r.end("support")]) if r.group("support") else []
    if not lead:
        return None
    return item[: m.start()].rstrip(" ,;"), lead, support, when


def bracket_items(cell: str) -> list[tuple[str, list[str], list[str], str | None]] | None:
    """Every dashed task of the cell with its own roles, or None unless each dash closes with them."""
    # a dash after a closing bracket and before a capital opens the next task (the cell's line breaks lost when a
    # page joined its lines: "- task one (X chủ trì; Quý II/2026) - Task two (…)")
    items = dashed_items(_JOINED_DASH.sub("\n- ", nfc(cell)))
    if not items:
        return None
    read = [bracket_item(item) for item in items]
    return read if all(read) else None
