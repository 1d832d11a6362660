"""A task block's fields read into a task: its text, lead and partners, time, and "(1) … (2) …" parts.

The labeller only says which segment plays which part; the fields inside are read by the rules' vocabulary
(agency lists and role cells, timing). When that reading finds no lead, `rules_reading` hands the block to the
rules' own field readers as one candidate (cues in the sentence, labels on its field lines, an agency heading
above it).
"""
from __future__ import annotations

import re

from ..body.headings import agency_heading
from ..draft.model import DraftTask, Timing
from ..read.text import fold
from ..vocabulary.agencies import is_head, split_agencies
from ..vocabulary.roles import cell_roles, labeled_roles
from ..vocabulary.timing import inline_timing, parse_timing
from .features import numbering_end
from .inline import inline_fields, label_time, subject_roles
from .segments import Segment

_LABEL = re.compile(r"^[^:]{1,40}:\s*")


def field_value(text: str) -> str:
    """A field's value: the text after its label ("Chủ trì: X" -> "X", "- Cơ quan chủ trì triển khai: X" -> "X",
    "Đơn vị chủ trì X" -> "X")."""
    text = text[numbering_end(text):] if numbering_end(text) else text
    m = _LABEL.match(text)
    if m and len(text[: m.end()].split()) <= 6:
        return text[m.end():].strip()
    return bare_value(text) or text.strip()


BARE_LABEL = re.compile(  # a field's label with no colon, folded: "Đơn vị chủ trì ", "Thời gian thực hiện "
    r"^(?:[-–+•*]\s*)?(?:(?:co quan|don vi|bo phan)\s+)?(?P<kw>chu tri|phoi hop|thoi gian|thoi han|tien do)"
    r"(?:\s+(?:thuc hien|hoan thanh))?\s+(?=\S)")


def bare_value(text: str) -> str | None:
    """The value after a field's label written without a colon ("Đơn vị chủ trì Công an phường" -> "Công an
    phường"); None when the text opens with no such label."""
    text = text.strip()
    m = BARE_LABEL.match(fold(text).lower())
    return text[m.end():].strip(" .;") if m and ":" not in text[: m.end()] else None


_SENTENCE_END = re.compile(r"(?<=[a-zà-ỹđ]\.)\s+(?=[A-ZĐÀ-Ỵ])")  # "…trực thuộc Sở. Thời hạn …", not "TP. Huế"
_ASSIGNED = re.compile(r"\s+duoc (?:giao|phan cong)(?=\s+(?:chu tri|thuc hien|phu trach)\b)")


def unassigned(text: str) -> str:
    """"X được giao chủ trì, …" as "X chủ trì, …": the words between an agency and its role are no part of its name."""
    m = _ASSIGNED.search(fold(text).lower())
    return text[: m.start()] + text[m.end():] if m else text


_PAIR = re.compile(r"\s+/\s+")


def paired(text: str) -> tuple[list[str], list[str]] | None:
    """"X / Y, Z" in a lead field, both sides agencies: X leads, Y and Z coordinate (a "Chủ trì / Phối hợp" column
    whose header was lost, as in a table flattened to lines)."""
    parts = _PAIR.split(text)
    if len(parts) != 2 or not all(is_head(part) for part in parts):
        return None
    lead, extra = cell_roles(parts[0])
    return lead, extra + split_agencies(parts[1])


_ITEM_NAME = re.compile(r"^(?:nhiem vu|noi dung|cong viec|mo hinh)\s+(?:so\s+)?\d{1,2}\s*[-–—.]\s+")


def task_content(text: str) -> str:
    text = text.lstrip("#* ")  # markup a web page left before a heading ("### Nhiệm vụ 1 – …")
    body = text[numbering_end(text):].strip()
    named = _ITEM_NAME.match(fold(body).lower())
    body = body[named.end():] if named else body  # "Nhiệm vụ 1 – <task>"
    m = _LABEL.match(body)
    if m and len(body[: m.end()].split()) <= 4 and not is_head(body):
        body = body[m.end():].strip()  # "Nội dung: …", "Nhiệm vụ 3: …"
    return body


def block_timing(raws: list[str], content: str, year: int | None, heading: str = "",
                 start: Segment | None = None, sentences: list[str] = ()) -> Timing:
    """The time the rules' table reader gives the row the task `start`s in (it knows which column holds the time:
    start and due columns, the revised one of an amendment, ticks under months), else the block's time fields, else
    a time inside its sentence, else one of the `sentences` that follow the assignment in its field lines ("X chủ
    trì, phối hợp Y. Thời hạn hoàn thành chậm nhất là ngày 31/3/2026."), else the time the heading above gives its
    items ("Giai đoạn 1: Từ ngày … đến ngày …", "Quý III/2025:")."""
    timing = row_timing(start, year) if start is not None else Timing()
    if timing.due or timing.start or timing.recurring or timing.condition:
        return timing
    for raw in raws:
        timing, _ = parse_timing(raw, year)
        if timing.due or timing.start or timing.recurring or timing.condition:
            return timing
    found = inline_timing(content, year)
    if found:
        return found[0]
    for sentence in sentences:
        timing, _ = parse_timing(bare_value(sentence) or sentence, year)
        if timing.due or timing.start or timing.recurring or timing.condition:
            return timing
    if heading:
        said = heading.rstrip(" :.;")  # "Giai đoạn 1: Từ ngày … đến ngày …", or the whole "Tháng 7/2024:"
        timing, _ = parse_timing(said.rsplit(":", 1)[-1].strip(" .;"), year)
        if timing.due or timing.start or timing.recurring:
            return timing
    return Timing()


def row_timing(start: Segment, year: int | None) -> Timing:
    """The time of a table row as the rules' table reader reads it from the table's header: its time column or
    start and due columns, ticks under month or quarter columns ("X" under "Tháng 3"), a deadline in the note
    column. Nothing for a line outside a table or a table whose header the rules do not read."""
    from ..body.table_header import header_row
    from ..body.table_tasks import _timing as table_timing  # the rules' own row reader, called, not copied

    columns = header_row(list(start.columns)) if start.cell is not None and start.columns else None
    if columns is None or len(start.row) != len(start.columns):
        return Timing()
    return table_timing(list(start.row), columns, year, start.line, [])


_FIELD_TIME = re.compile(r"(?:^|\s|[.;])(?:thoi gian|thoi han|tien do)(?:\s+(?:thuc hien|hoan thanh))?\s*:\s*")


def _labelled_field(text: str) -> tuple[list[str], list[str], str | None] | None:
    """(lead, support, time) of a field that labels its roles ("Chủ trì: X Phối hợp: Y Thời gian: Quý III/2025")."""
    m = _FIELD_TIME.search(fold(text))
    roles = labeled_roles(text[: m.start()] if m else text)
    if not roles or not (roles[0] or roles[1]):
        return None
    return roles[0], roles[1], text[m.end():].strip(" .;") if m else None


_TIME_HEADER = re.compile(r"\b(?:thoi gian|thoi han|tien do|han hoan thanh)\b")
_NOT_TIME_HEADER = re.compile(r"chu tri|phoi hop|thuc hien|noi dung|nhiem vu|\btheo\s+(?:ke hoach|quyet dinh)|\btai\s")


def column_role(segment: Segment, label: str) -> str:
    """A cell's role as its column's header names it ("Đơn vị phối hợp" holds partners, "Chủ trì" the lead,
    "Chủ trì / Phối hợp" the lead then its partners, "Thời gian hoàn thành" the time), whatever the labeller thought
    of its words. A time column citing the plan it amends ("Thời gian theo Kế hoạch số …") is no time of the task."""
    header = fold(segment.header).lower()
    if label not in ("TASK", "TASK_CONT") and _TIME_HEADER.search(header) and not _NOT_TIME_HEADER.search(header):
        return "TIME"
    if label not in ("LEAD", "SUPPORT"):
        return label
    if ("phoi hop" in header) == ("chu tri" in header):  # "Chủ trì / Phối hợp": the lead first (`paired`)
        return "LEAD" if _PAIRED_HEADER.search(header) else label
    return "SUPPORT" if "phoi hop" in header else "LEAD"


_PAIRED_HEADER = re.compile(r"chu tri\s*/\s*phoi hop")


def read_block(n: int, block: list[tuple[Segment, str]], year: int | None,
          scope: tuple[list[str], list[str]] | None = None, heading: str = "") -> DraftTask | None:
    start = block[0][0]
    body = start.text[numbering_end(start.text):].strip()
    content, lead, support, inline_time = inline_fields(task_content(start.text))
    inline_time = inline_time or label_time(body)
    content = " ".join([content] + [s.text for s, label in block[1:] if label == "TASK_CONT"]).strip()
    times = []
    said = _FIELD_TIME.search(fold(content).lower())
    if said and said.start() > 0:  # "<task>. Thời gian: Quý III/2024." in one line: the time is a field
        times.append(content[said.end():].strip(" .;"))
        content = content[: said.start()].strip(" .;,")
    fields = []
    for segment, label in block[1:]:
        label = column_role(segment, label)
        labelled = _labelled_field(segment.text) if label in ("LEAD", "SUPPORT", "TIME") else None
        if labelled:  # "Chủ trì: X Phối hợp: Y Thời gian: …" in one cell, whatever its label
            lead = lead or labelled[0]
            support = support + labelled[1]
            times += [labelled[2]] if labelled[2] else []
        else:
            fields.append((segment, label))
    times += [field_value(s.text) for s, label in fields if label == "TIME"] + ([inline_time] if inline_time else [])
    sentences = []  # the sentences after a field line's first: "X chủ trì, phối hợp Y. Thời hạn … ngày 31/3/2026."
    for segment, label in fields:
        first, *rest = _SENTENCE_END.split(unassigned(field_value(segment.text)))
        sentences += rest if label in ("LEAD", "SUPPORT") else []
        if label == "LEAD" and not lead:
            lead, extra = paired(first.strip(" .;")) or cell_roles(first.strip(" .;"))
            support = support + extra
        elif label == "SUPPORT":
            support = support + split_agencies(first.strip(" .;"))
    if not lead and scope:
        lead, support = scope[0], support + scope[1]
    subject = None if lead else subject_roles(content)
    if subject:  # "[Về …:] Công an huyện tiếp tục tổ chức …", when no heading above names the lead
        content, lead = subject
    if not content or not lead or not is_head(lead[0]):
        return None
    return DraftTask(code=str(n), content=content, lead=lead, support=[s for s in support if s not in lead],
                     timing=block_timing(times, content, year, heading, start, sentences))


def rules_reading(n: int, block: list[tuple[Segment, str]], year: int | None,
                   above: tuple[str, str]) -> DraftTask | None:
    """The block as the rules would read one item: their cues over its text, the labels on its field lines,
    and the agency heading just above it (`above`: the nearest heading, the nearest top-level heading)."""
    from ..body.assembly import build_tasks
    from ..body.structure import parse_labels, parse_marker
    from ..body.candidates import Candidate, Scope

    start = block[0][0]
    if start.cell is not None:
        return None  # a table row: its cells were read above
    marker = parse_marker(start.text)
    parts = [marker.body if marker else start.text] + [s.text for s, label in block[1:] if label == "TASK_CONT"]
    labels = [(label, s.line) for s, kind in block[1:] if kind in ("LEAD", "SUPPORT", "TIME", "PRODUCT")
              for label in parse_labels(s.text)]
    heading, top = above
    heading = heading[numbering_end(heading):].strip() if heading else heading  # "1. Sở Y tế" names "Sở Y tế"
    named = agency_heading(heading.rstrip(" :") + ":") if heading else None
    scope = Scope(list(named[0]), start.line, 0, heading) if named else None
    candidate = Candidate(line=start.line, code=str(n), kind=marker.kind if marker else "bulletb", parts=parts,
                          top=top, section=None, scope=scope, labels=labels, lines=[s.line for s, _ in block])
    tasks, _, _ = build_tasks([candidate], year)
    task = tasks[0][1] if tasks else None
    return task if task is not None and task.lead and is_head(task.lead[0]) else None


_ENUMERATED = re.compile(r"(?:^|(?<=[\s;,.:]))\((\d{1,2})\)\s+")


_DASHED = re.compile(r"(?:^|(?<=;))\s*[-–•+]\s+")


def _parts(content: str, cell: bool) -> list[tuple[int, int]]:
    """Where each part of "(1) … (2) …" or, in a table cell, "… ; - … ; - …" (dashed items) begins and ends."""
    marks = list(_ENUMERATED.finditer(content))
    if len(marks) >= 2 and [int(m.group(1)) for m in marks] == list(range(1, len(marks) + 1)):
        bounds = [(m.start(), m.end()) for m in marks]
    elif cell and re.search(r";\s*[-–•+]\s+\w", content):
        bounds = [(m.start(), m.end()) for m in _DASHED.finditer(content)]
        bounds = bounds if bounds[0][0] == 0 else [(0, 0)] + bounds
    else:
        return []
    return [(begin, after[0] if after else len(content)) for (_, begin), after in zip(bounds, bounds[1:] + [None])]


def enumerated(task: DraftTask, year: int | None, *, cell: bool = False) -> list[DraftTask]:
    """"(1) <task>, thời hạn …; (2) <task> …" in one item, or "<task> (…); - <task> (…)" in one table cell (`cell`;
    on lines, dashed lines under a task are its own points): one task per part, with the item's agencies and each
    part's own time (else the item's)."""
    parts = _parts(task.content, cell)
    if not parts:
        return [task]
    out = []
    for begin, end in parts:
        text = task.content[begin:end].strip(" ;,.")
        found = inline_timing(text, year)
        out.append(task.model_copy(update={"content": text, "timing": found[0] if found else task.timing}))
    return out
