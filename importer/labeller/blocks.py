"""Task blocks from labelled segments: a TASK_START opens a block, the field segments after it fill it.

The labeller only says which segment plays which part; the fields inside are read by the rules'
vocabulary (agency lists and role cells, timing). When that reading finds no lead, the block is handed
to the rules' own field readers as one candidate (cues in the sentence, labels on its field lines, an
agency heading above it): the labeller decides where a task begins and ends, the rules read what it says.
A block becomes a task only when it names a lead agency and the labeller is sure enough of its start:
the importer refuses rather than invents.
"""
from __future__ import annotations

import re
from collections import Counter

from ..draft.model import DraftTask, Timing
from ..read.text import fold
from ..body.headings import agency_heading
from ..vocabulary.agencies import is_head, split_agencies
from ..vocabulary.roles import cell_roles, labeled_roles, lead_then_partners
from ..vocabulary.timing import inline_timing, parse_timing
from .features import ASSIGNS_OPEN, ITEMS_FOLLOW as _ITEMS_FOLLOW, numbering_end, numbering_style
from .inline import TASK_VERB, inline_fields, label_time, sentence_roles, subject_roles
from .segments import Segment

MIN_START = 0.6  # marginal probability a block's start needs
SURE_OTHER = 0.9  # an OTHER the labeller is less sure of gives way to a sentence that assigns a task
RULES_READ_BLOCKS = True  # a block the labeller's own reading finds no lead in goes to the rules' field readers
FIELDS = {"LEAD", "SUPPORT", "TIME", "PRODUCT", "TASK_CONT"}
_LABEL = re.compile(r"^[^:]{1,40}:\s*")


def _value(text: str) -> str:
    """A field's value: the text after its label ("Chủ trì: X" -> "X", "- Cơ quan chủ trì triển khai: X" -> "X")."""
    text = text[numbering_end(text):] if numbering_end(text) else text
    m = _LABEL.match(text)
    return text[m.end():].strip() if m and len(text[: m.end()].split()) <= 6 else text.strip()


_ITEM_NAME = re.compile(r"^(?:nhiem vu|noi dung|cong viec|mo hinh)\s+(?:so\s+)?\d{1,2}\s*[-–—.]\s+")


def _content(text: str) -> str:
    text = text.lstrip("#* ")  # markup a web page left before a heading ("### Nhiệm vụ 1 – …")
    body = text[numbering_end(text):].strip()
    named = _ITEM_NAME.match(fold(body).lower())
    body = body[named.end():] if named else body  # "Nhiệm vụ 1 – <task>"
    m = _LABEL.match(body)
    if m and len(body[: m.end()].split()) <= 4 and not is_head(body):
        body = body[m.end():].strip()  # "Nội dung: …", "Nhiệm vụ 3: …"
    return body



def _timing(raws: list[str], content: str, year: int | None, heading: str = "") -> Timing:
    """The block's time fields, else a time inside its sentence, else the time the heading above gives its
    items ("Giai đoạn 1: Từ ngày … đến ngày …", "Quý III/2025:")."""
    for raw in raws:
        timing, _ = parse_timing(raw, year)
        if timing.due or timing.start or timing.recurring or timing.condition:
            return timing
    found = inline_timing(content, year)
    if found:
        return found[0]
    if heading:
        said = heading.rstrip(" :.;")  # "Giai đoạn 1: Từ ngày … đến ngày …", or the whole "Tháng 7/2024:"
        timing, _ = parse_timing(said.rsplit(":", 1)[-1].strip(" .;"), year)
        if timing.due or timing.start or timing.recurring:
            return timing
    return Timing()


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


_FIELD_TIME = re.compile(r"(?:^|\s|[.;])(?:thoi gian|thoi han|tien do)(?:\s+(?:thuc hien|hoan thanh))?\s*:\s*")


def _labelled_field(text: str) -> tuple[list[str], list[str], str | None] | None:
    """(lead, support, time) of a field that labels its roles ("Chủ trì: X Phối hợp: Y Thời gian: Quý III/2025")."""
    m = _FIELD_TIME.search(fold(text))
    roles = labeled_roles(text[: m.start()] if m else text)
    if not roles or not (roles[0] or roles[1]):
        return None
    return roles[0], roles[1], text[m.end():].strip(" .;") if m else None


def _column_role(segment: Segment, label: str) -> str:
    """A cell's role as its column's header names it ("Đơn vị phối hợp" holds partners, "Chủ trì" the lead),
    whatever the labeller thought of its agencies."""
    header = fold(segment.header).lower()
    if label not in ("LEAD", "SUPPORT") or ("phoi hop" in header) == ("chu tri" in header):
        return label
    return "SUPPORT" if "phoi hop" in header else "LEAD"


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


def _task(n: int, block: list[tuple[Segment, str]], year: int | None,
          scope: tuple[list[str], list[str]] | None = None, heading: str = "") -> DraftTask | None:
    start = block[0][0]
    body = start.text[numbering_end(start.text):].strip()
    content, lead, support, inline_time = inline_fields(_content(start.text))
    inline_time = inline_time or label_time(body)
    content = " ".join([content] + [s.text for s, label in block[1:] if label == "TASK_CONT"]).strip()
    times = []
    said = _FIELD_TIME.search(fold(content).lower())
    if said and said.start() > 0:  # "<task>. Thời gian: Quý III/2024." in one line: the time is a field
        times.append(content[said.end():].strip(" .;"))
        content = content[: said.start()].strip(" .;,")
    fields = []
    for segment, label in block[1:]:
        label = _column_role(segment, label)
        labelled = _labelled_field(segment.text) if label in ("LEAD", "SUPPORT", "TIME") else None
        if labelled:  # "Chủ trì: X Phối hợp: Y Thời gian: …" in one cell, whatever its label
            lead = lead or labelled[0]
            support = support + labelled[1]
            times += [labelled[2]] if labelled[2] else []
        else:
            fields.append((segment, label))
    times += [_value(s.text) for s, label in fields if label == "TIME"] + ([inline_time] if inline_time else [])
    for segment, label in fields:
        if label == "LEAD" and not lead:
            lead, extra = cell_roles(_value(segment.text).strip(" .;"))
            support = support + extra
        elif label == "SUPPORT":
            support = support + split_agencies(_value(segment.text).strip(" .;"))
    if not lead and scope:
        lead, support = scope[0], support + scope[1]
    subject = None if lead else subject_roles(content)
    if subject:  # "[Về …:] Công an huyện tiếp tục tổ chức …", when no heading above names the lead
        content, lead = subject
    if not content or not lead or not is_head(lead[0]):
        return None
    return DraftTask(code=str(n), content=content, lead=lead, support=[s for s in support if s not in lead],
                     timing=_timing(times, content, year, heading))


def _rules_reading(n: int, block: list[tuple[Segment, str]], year: int | None,
                   above: tuple[str, str]) -> DraftTask | None:
    """The block as the rules would read one item: their cues over its text, the labels on its field lines,
    and the agency heading just above it (`above`: the nearest heading, the nearest top-level heading)."""
    from ..body.assembly import build_tasks
    from ..body.structure import parse_labels, parse_marker
    from ..body.walker import Candidate, Scope

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


_FIELD_LINE = re.compile(r"^(?:(?:co quan|don vi|bo phan)\s+)?(?P<kw>chu tri|phoi hop|trach nhiem|thoi gian|thoi han|tien do)\b[^:]{0,30}:")


def _field_line(text: str) -> str | None:
    """LEAD / SUPPORT / TIME for a labelled field line ("- Cơ quan chủ trì triển khai: X", "Tiến độ: …")."""
    m = _FIELD_LINE.match(fold(text[numbering_end(text):]).lower().strip())
    return None if m is None else {"chu tri": "LEAD", "trach nhiem": "LEAD", "phoi hop": "SUPPORT"}.get(m.group("kw"), "TIME")


def _opens_fields(previous: tuple[Segment, str, tuple[str, str]] | None) -> bool:
    """May the segment before a run of field lines be their task ("Mô hình 3: …" then "- Cơ quan chủ trì: …")?"""
    if previous is None:
        return False
    segment, label, _ = previous
    return (label in ("OTHER", "HEADING", "TASK_START") and segment.cell is None and not _TOP.match(segment.text)
            and _field_line(segment.text) is None and not segment.text.rstrip().endswith(":")
            and len(segment.text.split()) >= 4)


def _repeats_field(block: list[tuple[Segment, str]], field: str, previous) -> bool:
    """Does a field line of a kind the open block already has follow a line of the block that is no field line
    (the labeller took a task's first line for a field of the task above)?"""
    segment = previous[0] if previous else None
    return (len(block) >= 3 and block[-1][0] is segment and segment.cell is None and _field_line(segment.text) is None
            and any(_field_line(s.text) == field for s, _ in block[1:-1]) and len(segment.text.split()) >= 4
            and not segment.text.rstrip().endswith(":"))


def _rejoined(segments: list[Segment], labelled: list[tuple[str, float]]):
    """A sentence the reader left cut ("6. Giao Sở Lao động - Thương binh và Xã hội chủ trì," / "phối hợp với …"):
    a segment outside a table that begins in lowercase after one that ends with a comma goes on with it, under
    the first one's label (or the second's, when only the second starts a task)."""
    out_s: list[Segment] = []
    out_l: list[tuple[str, float]] = []
    for segment, label in zip(segments, labelled):
        before = out_s[-1] if out_s else None
        if (before is not None and before.cell is None and segment.cell is None and segment.text[:1].islower()
                and before.text.rstrip().endswith(",")
                and not _ITEMS_FOLLOW.search(fold(before.text).lower())):
            out_s[-1] = Segment(before.line, f"{before.text} {segment.text}", strong=before.strong)
            if label[0] == "TASK_START" and out_l[-1][0] != "TASK_START":
                out_l[-1] = label  # the task's words are on the second line: the sentence starts the task
            continue
        out_s.append(segment)
        out_l.append(label)
    return out_s, out_l


def _assigns(text: str) -> bool:
    """Does the sentence itself assign a task: "[Giao] X chủ trì, phối hợp Y <task> …" or "X: <task verb> …",
    read whole (a lead agency and a task)? A start the labeller is less sure of then stands."""
    if ASSIGNS_OPEN.match(fold(text[numbering_end(text):]).lower()) and sentence_roles(_content(text)) is not None:
        return True
    body = _content(text)
    named = agency_heading(body) if 0 < body.find(":") < 120 else None
    return bool(named and named[0] and named[1] and named[1][:1].isupper() and TASK_VERB.match(fold(named[1])))


_ENUMERATED = re.compile(r"(?:^|(?<=[\s;,.:]))\((\d{1,2})\)\s+")


def _enumerated(task: DraftTask, year: int | None) -> list[DraftTask]:
    """"(1) <task>, thời hạn …; (2) <task> …" in one item: one task per numbered part, with the item's agencies and
    each part's own time (else the item's)."""
    marks = list(_ENUMERATED.finditer(task.content))
    if len(marks) < 2 or [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
        return [task]
    out = []
    for m, after in zip(marks, marks[1:] + [None]):
        text = task.content[m.end(): after.start() if after else len(task.content)].strip(" ;,.")
        found = inline_timing(text, year)
        out.append(task.model_copy(update={"content": text, "timing": found[0] if found else task.timing}))
    return out


_IMPLEMENTATION = re.compile(r"^(?:to chuc thuc hien|trach nhiem thuc hien|kinh phi|che do bao cao|bao cao)\b")
_AIMS_OR_RESULTS = re.compile(r"^(?:muc dich|muc tieu|yeu cau|ket qua|tinh hinh|danh gia|can cu|pham vi)")
_TOP = re.compile(r"^(?:[IVX]{1,4}\s*[.)]|PHẦN|Phần|PHỤ LỤC)")


def numbering(segment: Segment) -> str:
    return numbering_style(fold(segment.text).lower())


def _start_styles(segments: list[Segment], labelled: list[tuple[str, float]]) -> set[str]:
    """Numbering styles ("letter", "dash", "arabic-2" …) that at least two sure task starts of the document use."""
    styles = Counter(numbering(s) for s, (label, p) in zip(segments, labelled)
                     if label == "TASK_START" and p >= SURE_OTHER and s.cell is None)
    return {style for style, n in styles.items() if n >= 2 and style != "none"}


def blocks_to_tasks(segments: list[Segment], labelled: list[tuple[str, float]], year: int | None,
                    *, min_start: float = MIN_START) -> list[tuple[int, DraftTask]]:
    """(line, task) for every block the labeller opens with enough confidence and that names a lead."""
    blocks: list[list[tuple[Segment, str]]] = []
    scopes: list[tuple[list[str], list[str]] | None] = []
    headings: list[tuple[str, str]] = []
    scope = None
    open_ = False
    heading, top = "", ""
    segments, labelled = _rejoined(segments, labelled)
    sure_styles = _start_styles(segments, labelled)
    previous: tuple[Segment, str, tuple[str, str]] | None = None
    anchor = previous
    run: list[tuple[Segment, str]] = []  # field lines seen with no task open
    for segment, (label, p) in zip(segments, labelled):
        field = _field_line(segment.text) if segment.cell is None else None
        if field and label == "TASK_START":
            label = field  # "- Cơ quan phối hợp: …" is a field, whatever the labeller thought
        if field and not open_:
            anchor = anchor if run else previous  # the line before a run of field lines
            run.append((segment, field))
            if p >= min_start and _opens_fields(anchor):
                before, _, above = anchor  # a sure field line with no task above it: the line before the run is the task
                blocks.append([(before, "TASK_START")] + run[:-1])
                scopes.append(scope)
                headings.append(above)
                open_ = True
                run = []
        elif not field:
            run = []
        elif _repeats_field(blocks[-1], field, previous):  # "Trách nhiệm: …" again: the line before it is a new task
            before, _, above = previous
            blocks[-1].pop()
            blocks.append([(before, "TASK_START")])
            scopes.append(scope)
            headings.append(above)
        previous = (segment, label, (heading, top))
        if label == "OTHER" and p < SURE_OTHER and segment.cell is None and numbering(segment) in sure_styles:
            label, p = "TASK_START", MIN_START  # "b) …" among sure "a) …" starts: an item like the others
        if label == "OTHER" and p < SURE_OTHER and segment.cell is None and _assigns(segment.text):
            label, p = "TASK_START", MIN_START  # "Công an tỉnh: Chỉ đạo …": the sentence assigns a task
        heads = scope_roles(segment.text) if _ITEMS_FOLLOW.search(fold(segment.text).lower().rstrip(" .")) else None
        in_header_row = segment.cell is not None and not segment.header
        heads = heads or (agency_scope(segment.text) if label in ("HEADING", "OTHER") and not in_header_row else None)
        if heads or label in ("HEADING", "OTHER"):
            scope = heads or (scope if label == "OTHER" else None)
            open_ = False
            if label == "HEADING" and segment.cell is None:
                heading = segment.text
                top = segment.text if _TOP.match(segment.text) else top
            continue  # "Giao X chủ trì … các nhiệm vụ sau:" heads the items below, whatever its label
        if label == "TASK_START" and segment.cell is not None and fold(segment.text) == fold(segment.header):
            label = "OTHER"  # a table's header row repeated on a new page: a column name, not a task
        if label == "TASK_START" and (p >= min_start or _assigns(segment.text)):
            blocks.append([(segment, label)])
            scopes.append(scope)
            headings.append((heading, top))
            open_ = True
        elif label in FIELDS and open_:
            blocks[-1].append((segment, label))
        else:
            open_ = False  # a heading or other text closes the block
    out = []
    tops: list[bool] = []
    for block, scope, above in zip(blocks, scopes, headings):
        if _AIMS_OR_RESULTS.match(fold(above[1][numbering_end(above[1]):]).lower()):
            continue  # items under MỤC ĐÍCH / YÊU CẦU / KẾT QUẢ / TÌNH HÌNH are aims and results, not tasks
        task = _task(len(out) + 1, block, year, scope, above[0])
        if task is None and RULES_READ_BLOCKS:
            task = _rules_reading(len(out) + 1, block, year, above)
        for part in _enumerated(task, year) if task is not None else []:
            out.append((block[0][0].line, part.model_copy(update={"code": str(len(out) + 1)})))
            tops.append(_IMPLEMENTATION.match(fold(above[1][numbering_end(above[1]):]).lower()) is not None)
    if any(tops) and not all(tops):  # duties under TỔ CHỨC THỰC HIỆN / KINH PHÍ / BÁO CÁO, when the tasks are elsewhere
        out = [pair for pair, implementation in zip(out, tops) if not implementation]
    return out
