"""Shapes of a line the walk reads to tell a new task from the rest of the item open before it: a heading that
names a lead, a paragraph that names its unit, a numbered item that is only a title, a paragraph after a finished
one, an assignment sentence after an item's sub-points."""

from __future__ import annotations

import re

from .candidates import Candidate, Scope
from .headings import agency_heading
from .time_cues import is_time
from ..vocabulary.roles import role_heading

ASSIGNS = re.compile(r"^(?:giao(?: cho)?|de nghi)\s+[^.;:]{2,120}?\b(?:chu tri|thuc hien)\b")


def next_paragraph(current: Candidate | None, scope: Scope | None, text: str) -> bool:
    """A paragraph after a finished one (its last sentence closed), both unmarked under a heading that names the
    lead of the items below it: the next task, not the rest of the one before."""
    return current is not None and scope is not None and current.kind is None and current.scope is scope \
        and current.line != scope.line and current.parts[-1].rstrip().endswith(".") and text[:1].isupper() \
        and len(text.split()) > 8 and not is_time(text)  # "Hoàn thành trong tháng 02/2026." ends the task above


def titled(current: Candidate | None) -> bool:
    """A numbered item that is only a short title: no sentence, no field, no time of its own."""
    if current is None or current.kind is None or current.kind == "para" or current.kind.startswith("bullet") \
            or current.labels or len(current.parts) != 1:
        return False
    title = current.parts[0]
    return len(title.split()) <= 10 and not title.endswith((".", ":", ";", ",")) and not is_time(title)


def named_paragraph(text: str) -> tuple | None:
    """A paragraph opening with a unit's name and a colon, its task after it ("Phòng X: Tham mưu …; phối hợp với Y;
    hoàn thành …."), as plans that give each unit its paragraph write them (the name often bold). Two cues compete:
    an unmarked paragraph reads as the text of the item above, the name with its colon as a heading; the name wins
    when a sentence follows it on the line (capitalised, closed by a full stop), since a paragraph that continues an
    item does not open by naming who does it."""
    heading = agency_heading(text)
    if heading is None or len(heading[0]) != 1:
        return None
    rest = heading[1]
    return heading if rest[:1].isupper() and rest.rstrip().endswith(".") and len(rest.split()) >= 6 else None


def lead_heading(body: str, strong: bool) -> tuple | None:
    return agency_heading(body, strong) or role_heading(body)


def in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)

