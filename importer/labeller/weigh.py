"""`weigh`: which reading to trust, block by block, where the rules read the wrong line for a task (a field's value,
a label, a line announcing the work, a product cell), and where a rule task ran past its end or its lead past the
agency's name."""
from __future__ import annotations

import re

from ..draft.model import Timing
from ..read.text import compare_key, fold
from ..vocabulary.timing import parse_timing
from .hollow import announces, names_no_work, product_column, work_in_field
from .pairs import BLOCK_LINES, PROBE, Pair, block_of, covers, same_block, timed
from .segments import Segment


def ran_over(rule: Pair, proposed: list[Pair], rules: list[Pair]) -> list[Pair]:
    """A rule task whose text runs past a sentence's end into tasks the labeller is sure of on later lines, that no
    other rule task reads ("<task>. Hoàn thành …. <the labeller's task> …": items without numbers read as one
    paragraph): the rule task up to the first such sentence's end, then the labeller's tasks."""
    text, sure = rule[1].content, getattr(proposed, "sure_of", lambda line: False)
    inside = [(text.find(task.content[:PROBE]), (line, task)) for line, task in proposed
              if line > rule[0] and task.lead and len(task.content) >= PROBE]
    inside = sorted((at, pair) for at, pair in inside if at > 0 and text[:at].rstrip().endswith((".", ";"))
                    and sure(pair[0]) and not any(other is not rule and covers(other, pair) for other in rules))
    if not inside:
        return [rule]
    head = (rule[0], rule[1].model_copy(update={"content": text[:inside[0][0]].rstrip()}))
    return [head] + [pair for _, pair in inside]


_RAN_ON = re.compile(r"^(?:/|\(|duoc giao\b|chu tri\b|phoi hop\b|thuc hien\b|la\b)")


def ran_on(lead: list[str], labelled: list[str]) -> bool:
    """Is the rules' lead the labeller's lead and then words that no agency's name holds: a partner after a slash
    ("Công an huyện / UBND các xã, thị trấn"), role words ("Văn phòng Sở được giao")?"""
    a, b = compare_key(", ".join(lead)), compare_key(", ".join(labelled))
    return bool(b) and a != b and a.startswith(b) and bool(_RAN_ON.match(fold(a[len(b):]).strip(" ,")))


def weighed(rules: list[Pair], proposed: list[Pair]) -> list[Pair]:
    """Which reading to trust, block by block, for the rule tasks that read the wrong line for the task (`_hollow`:
    a text that names no work, a field's value or a label; a text that announces work below it; a product column's
    cell). The cues, the first that applies wins:
    1. agreement: a labeller task that a rule task naming work covers is the rules' reading, and a hollow rule task
       in its block is one of its fields (dropped; the task keeps the rules' fields); a labeller task whose own
       text names no work, or that names no lead, gives nothing;
    2. nesting: a hollow rule task in the block of a labeller task no rule task covers (the same table row; outside
       tables up to BLOCK_LINES below its start) is read as the labeller's task, with the labeller's fields where it
       has them; more hollow rule tasks in that block are its fields (dropped);
    3. the field: a hollow rule task whose lead or partner holds the task's words (`hollow.work_in_field`) is read
       with those words as its text and the name before them as its agency; a labeller task those words open
       (below an announcing line: its quoted point) is read instead;
    4. the row: a hollow rule task read from a table cell, with no labeller task on its row, takes the row's longest
       cell that names work as its text and keeps its fields (the column of its lead, partners and time was right);
    5. an announcing line that none of these reads is no task: its items are read below it.
    Rule tasks that name work are kept as they are: where both readings name work the rules stand (`prefer` and
    fill go on from there)."""
    rows = _rows(getattr(proposed, "segments", []))
    hollow = [_hollow(rule, rows) for rule in rules]
    if not any(hollow):
        return rules
    worded = [rule for rule, empty in zip(rules, hollow) if not empty]
    taken: set[int] = set()
    out: list[Pair] = []
    for rule, empty in zip(rules, hollow):
        at = block_of(rule[0], proposed) if empty else None
        if at is not None and not same_block(rule[0], proposed[at][0], in_table=rule[0] in rows):
            at = None
        task = proposed[at] if at is not None else None
        if task is not None and task[1].lead and not names_no_work(task[1].content):
            if at in taken or any(covers(other, task) for other in worded):
                continue  # a field of a task read already
            taken.add(at)
            out.append(_as_labelled(rule, task))
            continue
        if not empty:
            out.append(rule)
            continue
        fielded = _from_field(rule)
        if fielded is not None:
            at = next((i for i, pair in enumerate(proposed) if i not in taken and pair[1].lead
                       and covers((-1, fielded[1]), pair)), None)
            if at is not None:
                taken.add(at)
            out.append(_as_labelled(rule, proposed[at]) if at is not None else fielded)
            continue
        text = _work_cell(rule, rows)
        if text:
            out.append((rule[0], rule[1].model_copy(update={"content": text})))
        elif not announces(rule[1].content):
            out.append(rule)
    return out


def _hollow(rule: Pair, rows: dict[int, list[tuple[str, str]]]) -> bool:
    """Did the rules read the wrong line or cell for this task: its text names no work or announces work below it,
    or is a product column's cell of its row?"""
    task = rule[1]
    if names_no_work(task.content) or announces(task.content):
        return True  # (a lead or partner holding a task verb says nothing alone: "Phòng Cảnh sát quản lý hành chính …")
    own = compare_key(task.content).strip(" .;:")
    return any(product_column(header) and compare_key(text).strip(" .;:") == own for text, header in rows.get(rule[0], []))


def _as_labelled(rule: Pair, task: Pair) -> Pair:
    """The labeller's task in place of a hollow rule task, with the rule task's fields where the labeller has none."""
    return task[0], task[1].model_copy(update={
        "lead": task[1].lead or rule[1].lead, "support": task[1].support or rule[1].support,
        "timing": task[1].timing if timed(task[1].timing) else rule[1].timing})


def _from_field(rule: Pair) -> Pair | None:
    """A hollow rule task whose lead or partner runs on into the task's words ("Công an phường số hóa kết quả …"):
    those words as its text, the name before them in the field."""
    task = rule[1]
    for field in ("support", "lead"):
        names = getattr(task, field)
        for i, name in enumerate(names):
            split = work_in_field(name)
            if split is not None:
                return rule[0], task.model_copy(update={"content": split[1], "timing": _quoted_time(task.timing),
                                                        field: names[:i] + [split[0]] + names[i + 1:]})
    return None


_CLOSING_QUOTE = re.compile(r"[”»]")


def _quoted_time(timing: Timing) -> Timing:
    """A quoted point's time ends at its closing quotation mark: what follows is the amending plan's note ("…; hoàn
    thành trước ngày 30/6/2026.” (thay cho thời gian “Quý I/2026”)"), no time of the task."""
    quoted = _CLOSING_QUOTE.split(timing.raw or "", maxsplit=1)
    if len(quoted) < 2:
        return timing
    read, _ = parse_timing(quoted[0], int(timing.due[:4]) if timing.due else None)
    return read if timed(read) else timing


def _rows(segments: list[Segment]) -> dict[int, list[tuple[str, str]]]:
    """A table row's cells (text, the column's header) by line."""
    rows: dict[int, list[tuple[str, str]]] = {}
    for segment in segments:
        if segment.cell is not None:
            rows.setdefault(segment.line, []).append((segment.text, segment.header))
    return rows


MIN_WORK_WORDS = 4


def _work_cell(rule: Pair, rows: dict[int, list[tuple[str, str]]]) -> str | None:
    """The longest cell of the rule task's row that names work, when the rule task's text is a cell of that row."""
    cells = [text for text, header in rows.get(rule[0], []) if not product_column(header)]
    own = compare_key(rule[1].content).strip(" .;:")
    if not any(compare_key(text).strip(" .;:") == own for text, _ in rows.get(rule[0], [])):
        return None
    work = [cell for cell in cells if len(cell.split()) >= MIN_WORK_WORDS and not names_no_work(cell)]
    return max(work, key=len, default=None)
