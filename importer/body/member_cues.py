"""A working group's members' assignments: each item names a person, the posts they hold, and what they take charge
of, the time after it.

    "- Đồng chí <name> – <post>[, <role in the group>]: phụ trách <task>[, phối hợp với <partners>]; hoàn thành: <time>."

The person is no agency and no task: their first post leads ("Trưởng Công an xã, Tổ phó thường trực" → "Trưởng
Công an xã"), the posts a tracker can find an agency head by; their role in the group ("Tổ phó thường trực",
"thành viên") is not.
"""
from __future__ import annotations

import re

from .structure import Label

_MEMBER = re.compile(  # "Đồng chí <name> – <posts>: phụ trách <work>"; the name's words start with a capital
    r"^(?:Đồng chí|Đ/c|Ông|Bà)\s+(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]\w*\s*){1,5}\s*[–—-]\s*"
    r"(?P<posts>[^:;]{3,120}?)\s*:\s*(?:trực tiếp\s+)?(?:phụ trách|chịu trách nhiệm|chỉ đạo, phụ trách)\s+(?P<work>.+)$",
    re.S)
_PARTNERS = re.compile(r",\s*phối hợp\s+(?:với|cùng)\s+(?P<support>[^;]{3,160}?)\s*(?=;|\.?\s*$)")
_TIME = re.compile(r";\s*(?:hoàn thành|thời gian(?: hoàn thành| thực hiện)?|thời hạn)\s*:\s*(?P<time>[^;]{3,80}?)\s*[.;]?\s*$",
                   re.I)


def member_assignment(content: str) -> tuple[str, list[Label]] | None:
    """(task, labels) of a member's assignment line; None for any other item. Two cues compete for the lead: the
    person, the item's subject, and their posts after the dash; the first post wins, since a plan's lead is a body or
    a post, never a person by name. The work after "phụ trách" is the task, up to its partners or its time."""
    m = _MEMBER.match(content.strip())
    if m is None:
        return None
    work = m.group("work").strip()
    labels = [Label("lead", m.group("posts").split(",")[0].strip())]
    timed = _TIME.search(work)
    if timed is not None:
        labels.append(Label("time", timed.group("time")))
        work = work[:timed.start()]
    partners = _PARTNERS.search(work)
    if partners is not None:
        labels.append(Label("support", partners.group("support")))
        work = work[:partners.start()]
    work = work.strip(" .;,")
    return (work[:1].upper() + work[1:], labels) if len(work) > 3 else None
