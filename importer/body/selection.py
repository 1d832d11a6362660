"""Which walker candidates are tasks, after reading the labels written inside them."""

from __future__ import annotations

import re
from dataclasses import replace

from .assignment import split_assignment
from .addressed import addressed_roles, leads_from_item_above
from .agency_cues import dash_agency, dash_fields, leading_agency, leading_clause_time, subject_roles
from .item_text import enumerated, without_content_label
from .member_cues import member_assignment
from .role_cues import closing_roles, leading_roles, opening_roles
from .time_cues import closing_when, leading_time
from .closing_field import closing_field
from .structure import Label, parse_label
from ..read.text import fold
from ..vocabulary.timing import inline_timing, parse_timing
from .candidates import Candidate, Scope

_TASKISH = re.compile(r"nhiem vu|to chuc thuc hien|phan cong|trach nhiem|giai phap")
_NOT_TASKISH = re.compile(r"^(?:muc dich|muc tieu|yeu cau|pham vi|can cu|ket qua|danh gia|tinh hinh|doi tuong)")
_INLINE_LABEL = re.compile(
    r"(?:(?:co quan|don vi)\s+)?(?:chu tri|phoi hop|phu trach|thuc hien)\s*:|(?:thoi gian|thoi han|tien do)[^:.;]{0,25}:"
    r"|\b(?:p\s*/\s*h|han)\s*:"
)


def _taskish(title: str) -> bool:
    folded = fold(title)
    return bool(_TASKISH.search(folded)) and not _NOT_TASKISH.match(folded)


def _scope_ok(scope: Scope, members: list[Candidate], plan_year: int | None) -> bool:
    top = members[0].top if members else ""
    if scope.has_time_label or _taskish(top):
        return True
    if _NOT_TASKISH.match(fold(top)):
        return False  # "I. KẾT QUẢ THỰC HIỆN": a report's results, not tasks
    return any(inline_timing(c.content, plan_year) for c in members)


def _inline_labels(c: Candidate) -> None:
    """Split "… Chủ trì: X; thời gian: Y" written inside the item's paragraph."""
    text = c.content
    folded = fold(text)
    starts = [m.start() for m in _INLINE_LABEL.finditer(folded) if m.start() > 20]
    if not starts:
        return
    pieces = [_in_bracket(text, a, b).strip(" ;,()") for a, b in zip(starts, starts[1:] + [len(text)])]
    labels = [parse_label(p) for p in pieces]
    if any(labels):
        c.parts = [text[: starts[0]].strip(" ;,(-–")]
        c.labels = [(label, c.line) for label in labels if label] + c.labels


def _in_bracket(text: str, a: int, b: int) -> str:
    """A label opened inside a bracket ("… (phối hợp: X). Next …") ends where the bracket closes."""
    piece = text[a:b]
    return piece[:piece.index(")")] if text[:a].count("(") > text[:a].count(")") and ")" in piece else piece


_BRACKET = re.compile(r"^\[([^\[\]]{2,80})\]\s*(?=\S)")


def _bracket_timing(c: Candidate, plan_year: int | None) -> None:
    """"[Quý III/2024] Kiểm tra …": timing written in a leading bracket."""
    m = _BRACKET.match(c.content)
    if not m:
        return
    timing, _ = parse_timing(m.group(1), plan_year)
    if timing.due or timing.start or timing.recurring or timing.condition:
        c.parts = [c.content[m.end():]]
        c.labels.insert(0, (Label("time", m.group(1)), c.line))


def _assignment(c: Candidate) -> None:
    """"… . Giao X chủ trì, phối hợp với Y thực hiện; hoàn thành …" at the paragraph's end."""
    if c.kind is None or any(label.kind in ("lead", "exec") for label, _ in c.labels):
        return  # only numbered or bulleted items: a plain paragraph may be preamble
    found = split_assignment(c.content)
    if found is None:
        return
    c.parts = [found[0]]
    c.labels = [(label, c.line) for label in found[1]] + c.labels
    own = _closing_clause_time(found[0]) if not any(label.kind == "time" for label, _ in c.labels) else None
    if own is not None:
        c.labels.append((Label("time", own), c.line))


def _closing_clause_time(task: str) -> str | None:
    """"<task> hằng tháng …, hoàn thành trước ngày 30/4/2027." followed by an assignment sentence that names no time
    ("Giao X chủ trì, phối hợp với Y thực hiện."): the task's own closing clause gives its time. Two cues compete,
    the assignment sentence's tail (where a time is written when it follows the lead) and the task's closing clause;
    the closing clause wins when the tail holds the verb alone. Only the last clause is read, so a word of time
    inside the task's words ("trợ cấp hằng tháng") stays part of what is done."""
    clause = task.rstrip(" .;").rsplit(", ", 1)[-1]
    own = inline_timing(clause, 2000)
    return own[0].raw if own is not None and (own[0].due or own[0].start) else None


def _sentence_roles(c: Candidate) -> None:
    """A paragraph under a task section that opens "X chủ trì <task> …" is a task of X."""
    under_title = c.kind == "para" and not _NOT_TASKISH.match(fold(c.top))  # a numbered title's paragraph
    if c.labels or c.scope is not None or not (_taskish(c.top) or under_title):
        return
    found = leading_roles(_GIVEN.sub("", c.content) if c.kind == "para" else c.content)
    if found is not None:
        c.parts = [found[0]]
        c.labels = [(label, c.line) for label in found[1]]


_GIVEN = re.compile(r"^Giao(?: cho)?\s+(?=[A-ZĐỦ])")  # "Giao X chủ trì, phối hợp với Y <task>" in a paragraph


def _cues(c: Candidate) -> None:
    """A leading time ("Tháng 7/2025: …") and roles in a closing bracket ("… (X chủ trì; Y phối hợp).")."""
    member = member_assignment(c.content) if c.kind is not None and not c.labels else None
    if member is not None:  # "- Đồng chí <name> – <post>: phụ trách <task>; hoàn thành: <time>."
        c.parts = [member[0]]
        c.labels = [(label, c.line) for label in member[1]]
        return
    _sentence_roles(c)
    unlabelled = without_content_label(c.content)
    if unlabelled != c.content and (c.kind is not None or c.labels):
        c.parts = [unlabelled]  # "Nhiệm vụ: …" followed by its field lines, numbered or not
    if c.kind is None or _NOT_TASKISH.match(fold(c.top)):
        return  # items under MỤC TIÊU / YÊU CẦU / KẾT QUẢ are aims and results, whatever their shape
    opening = opening_roles(c.content) if not any(label.kind in ("lead", "exec", "support") for label, _ in c.labels) \
        else None
    if opening is not None:  # "- Chủ trì, phối hợp với Y <task>" under its lead's heading
        c.parts = [opening[0]]
        c.labels = [(label, c.line) for label in opening[1]] + c.labels
    bracket = leading_agency(c.content) if not any(label.kind in ("lead", "exec") for label, _ in c.labels) else None
    if bracket is not None:
        c.parts = [bracket[0]]
        c.labels.insert(0, (bracket[1], c.line))
        inline = inline_timing(c.content, 2000) if not any(label.kind == "time" for label, _ in c.labels) else None
        if inline is not None and inline[0].raw:
            c.labels.append((Label("time", inline[0].raw), c.line))  # "(Sở Y tế) task, hoàn thành Quý III/2025."
    has = {label.kind for label, _ in c.labels}
    found = closing_roles(c.content) if not has & {"lead", "exec"} else None
    if found is not None:
        c.parts = [found[0]]
        c.labels = [(label, c.line) for label in found[1]] + c.labels
    fields = dash_fields(c.content) if not has & {"lead", "exec", "time"} and found is None else None
    if fields is not None:
        c.parts = [fields[0]]
        c.labels = [(label, c.line) for label in fields[1]] + c.labels
        has = {label.kind for label, _ in c.labels}
    opening = leading_clause_time(c.content) if not has & {"lead", "exec", "time"} and found is None else None
    if opening is not None:  # "Định kỳ hằng tháng, Công an phường rà soát …"
        c.parts = [opening[0]]
        c.labels.insert(0, (opening[1], c.line))
        has = {label.kind for label, _ in c.labels}
    if not has & {"lead", "exec"} and found is None:
        _subject(c, "time" in has, opening is not None)
    timed = leading_time(c.content) if "time" not in has else None
    if timed is None and "time" not in has:
        timed = _closing_time(c.content) or closing_field(c.content)  # "…. Hoàn thành: Tháng 5/2026."
    if timed is not None:
        c.parts = [timed[0]]
        c.labels.insert(0, (timed[1], c.line))


def _subject(c: Candidate, has_time: bool, time_opened: bool) -> None:
    """The lead named as the item's subject: after a closing dash ("task – X."), before the role word ("X chủ trì
    <task>; <time>") or before the first task verb ("X rà soát …, hoàn thành …"); or addressed (`addressed_roles`)."""
    if addressed_roles(c):
        return
    subject = dash_agency(c.content)
    stated = _stated_roles(c.content, has_time) if subject is None else None
    if stated is not None:  # "X chủ trì, phối hợp với Y <task>; <time>": the role word ends the lead's name
        c.parts = [stated[0]]
        c.labels = [(label, c.line) for label in stated[1] if label.kind != "time" or not has_time] + c.labels
    elif subject is not None:
        c.parts = [subject[0]]
        c.labels.append((subject[1], c.line))
    else:
        inline = subject_roles(c.content, timed=time_opened)
        if inline is not None:
            c.parts = [inline[0]]
            c.labels = [(label, c.line) for label in inline[1]] + c.labels


def _stated_roles(content: str, timed: bool) -> tuple[str, list[Label]] | None:
    """A numbered or dashed item "X chủ trì[, phối hợp với Y] <task>; <time>": X leads, Y supports. Two cues compete
    for where the lead's name ends: the first task verb (the subject cue, `subject_roles`) and the role word "chủ
    trì". The role word wins, since it is written only after the lead's name ("phối hợp", a task verb too, would
    otherwise end the name before "chủ trì"). Like the subject cue it needs a time: an agency sentence without one is
    a duty or a description."""
    found = leading_roles(content)
    if found is None or not (timed or any(label.kind == "time" for label in found[1])):
        return None
    return found


def _closing_time(content: str) -> tuple[str, Label] | None:
    """"… (hoàn thành trước …)." or a bracket waiting for an event, "… (sau khi được UBND tỉnh giao …).": the item's
    time. A bracket opening "khi …" ("(khi được tích hợp lên VNeID)") says when a fact holds, not when work is done.
    Two cues compete where a time field comes before the bracket ("Thời gian: <phrase> (05/9/2026)."): the bracket,
    a time of its own, and the field, whose value runs to the sentence's end; the field wins, the bracket being the
    date its phrase names, so the two are read together (`_inline_labels`)."""
    found = closing_when(content)
    if found is None or fold(found[1].value).startswith(("khi ", "ngay khi ")) or _TIME_FIELD.search(fold(found[0])):
        return None  # "Thời gian: Trước ngày khai giảng năm học … (05/9/2026).": the bracket ends the field's value
    return found


_TIME_FIELD = re.compile(r"\b(?:thoi gian|thoi han)[^:.;]{0,25}:")


def _heading_time(c: Candidate) -> None:
    """An item without a time of its own takes the period heading's above it ("Tháng 8/2024:", "1. Quý I năm 2026")."""
    if c.kind is None and c.scope is None or _NOT_TASKISH.match(fold(c.top)):
        return  # a plain paragraph under a bold period line (a title's "6 tháng cuối năm 2025") is no item, and
        # the targets under "MỤC TIÊU" / "a) Năm 2022:" are aims, not tasks
    if c.heading_time and not any(label.kind == "time" for label, _ in c.labels):
        own = inline_timing(c.content, 2000)  # "…, hoàn thành trước ngày 15/02/2026": the item's own time wins
        own_time = own[0].raw if own is not None and (own[0].due or own[0].start) else None
        c.labels.append((Label("time", own_time or c.heading_time), c.line))


def _split_enumerations(candidates: list[Candidate]) -> list[Candidate]:
    """A paragraph holding "(1) …; (2) …" is that many tasks, sharing the paragraph's scope and labels."""
    out: list[Candidate] = []
    for c in candidates:
        pieces = enumerated(c.content)
        if not pieces:
            out.append(c)
            continue
        for n, piece in enumerate(pieces, 1):
            out.append(replace(c, code=f"{c.code}.({n})", parts=[piece], labels=list(c.labels), lines=list(c.lines)))
    return out


_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-ZĐ])")
_CONNECTOR = re.compile(r"^(?:Đồng thời|Bên cạnh đó|Ngoài ra|Song song với đó|Mặt khác)\s*,\s*")


def _split_sentences(candidates: list[Candidate]) -> list[Candidate]:
    """A paragraph under a numbered title whose later sentence opens with an agency doing something ("… . Đồng
    thời, Công an xã rà soát …, trong quý II/2024.") holds one task a sentence."""
    out: list[Candidate] = []
    for c in candidates:
        pieces = _SENTENCE_END.split(c.content) if c.kind == "para" else []
        tasks = pieces[:1]
        for piece in pieces[1:]:
            body = _CONNECTOR.sub("", piece)
            if subject_roles(body) or leading_roles(_GIVEN.sub("", body)):
                tasks.append(body)
            else:
                tasks[-1] = f"{tasks[-1]} {piece}"
        if len(tasks) < 2:
            out.append(c)
            continue
        out += [replace(c, code=c.code if n == 1 else f"{c.code}.s{n}", parts=[text], labels=list(c.labels),
                        lines=list(c.lines)) for n, text in enumerate(tasks, 1)]
    return out


# a decision's legal parts: its grounds, the proposal it answers, its articles and its recipients are never tasks
_LEGAL_FORM = re.compile(  # "Căn cứ nhiệm vụ được phân công, …" opens a duty: grounds cite a law or a numbered text
    r"^(?:can cu (?:luat|bo luat|hien phap|(?:nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|ke hoach|cong van"
    r"|van ban|to trinh) so)\b|theo de nghi cua\b|dieu \d{1,2}\s*[.:]|noi nhan\s*:)")


def select(candidates: list[Candidate], plan_year: int | None) -> list[Candidate]:
    """Keep the candidates that are tasks."""
    candidates = _split_sentences(_split_enumerations(candidates))
    members: dict[int, list[Candidate]] = {}
    for c in candidates:
        if c.scope is not None:
            members.setdefault(id(c.scope), []).append(c)
        _bracket_timing(c, plan_year)
        _cues(c)
        _assignment(c)
        _inline_labels(c)
        _heading_time(c)
    leads_from_item_above(candidates)
    ok = {key: _scope_ok(group[0].scope, group, plan_year) for key, group in members.items()}
    chosen = []
    for c in candidates:
        if not c.content or _LEGAL_FORM.match(fold(c.content)):
            continue
        if c.labels:
            chosen.append(c)
        elif c.scope is not None and ok[id(c.scope)]:
            if c.kind is None or c.scope.item_kind in (None, c.kind):
                chosen.append(c)
    return chosen
