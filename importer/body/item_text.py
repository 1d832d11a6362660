"""The text of an item: the label before it ("Nội dung: …"), and the tasks one text enumerates ("(1) …; (2) …",
"- …; - …") or the activities dashed below its task."""
from __future__ import annotations

import re

_CONTENT_LABEL = re.compile(
    r"^(?:nội dung(?:\s+(?:công việc|nhiệm vụ|thực hiện))?|nhiệm vụ|công việc"
    r"|(?!giai đoạn|đợt|quý|tháng|tuần|năm|ngày)[^\W\d]+(?:\s+[^\W\d]+)?\s+\d{1,2})\s*:\s*(?=\S)", re.I)


def without_content_label(content: str) -> str:
    """"Nội dung: Hướng dẫn …", "Mô hình 3: Trường học …" -> the text after the label: the label names the field
    or counts the item, it is not the task (a time such as "Giai đoạn 1:" is no label)."""
    return _CONTENT_LABEL.sub("", content, count=1)


_ENUMERATED = re.compile(r"(?:^|[;.]\s*)\((\d{1,2})\)\s+")


def enumerated(content: str) -> list[str]:
    """"(1) task, thời hạn …; (2) task, …" in one paragraph: the tasks, or [] when not enumerated."""
    marks = list(_ENUMERATED.finditer(content))
    if not marks or marks[0].start() != 0 and len(marks) < 2:
        return []  # one "(1)" counts only at the very start ("(1) task, thời hạn …" alone)
    if [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
        return []
    ends = [m.start() for m in marks[1:]] + [len(content)]
    return [content[m.end():end].strip(" ;.") for m, end in zip(marks, ends)]


_DASH_OPEN = re.compile(r"\s*[-+•–]\s+\S")
_DASH_ITEM = re.compile(r"(?:^\s*|(?<=[;.])\s+|\s*\n\s*)[-+•–]\s+")


def dashed_items(content: str) -> list[str]:
    """"- task (time); - task (time)." in one cell or paragraph: the items, or [] when it does not open with a dash.
    An item starts at the text's start, after a new line, or after the ";" or "." that closes the item before it, so
    a dash inside a name ("Văn hóa - Xã hội") parts nothing."""
    if not _DASH_OPEN.match(content):
        return []
    return [part.strip(" ;.") for part in _DASH_ITEM.split(content) if part.strip(" ;.")]


def has_dashed_activities(content: str) -> bool:
    """Does the text open with its own words and hold dashed lines below them ("<task>\n- <activity>;\n- …", or
    flattened "<task> - <activity>; - …")? Those lines are the task's activities; a text whose items are tasks opens
    with a dash (`dashed_items`)."""
    return not _DASH_OPEN.match(content) and bool(_DASH_ITEM.search(content))
