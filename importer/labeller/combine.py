"""How the line labeller's tasks join the rules' tasks.

    off       the rules alone
    fallback  the labeller's tasks only when the rules find none
    fill      the rules' tasks, plus the labeller's tasks that no rule task covers, when the rules find fewer
              tasks than the labeller; a rule task without a lead takes the lead of the labeller's reading of it,
              one that kept words before the task the labeller cut is read as the labeller reads it
    prefer    fill; but where the labeller proposes no more tasks than the rules (fill keeps the rules' reading
              whole), a rule task that is a sentence's tail (its text opens in lower case: words of a field
              sentence read as a task) inside the block of a labeller task that no rule task covers (itself
              included) is read with the labeller's text; it keeps its own lead, partners and time where it has them
    weigh     prefer, after weighing per block which reading to trust (`_weighed`): a rule task whose text names no
              work (hollow.names_no_work: a field's value or a label) gives way to the labeller's task of its block,
              or to its table row's text of work when the labeller has no task there; a line the labeller reads as
              several tasks and the rules as one is read as the labeller's tasks whatever the two readings' counts
"""
from __future__ import annotations

import re
from collections import Counter

from ..draft.model import DraftTask, Timing
from ..read.text import compare_key, fold
from ..vocabulary.timing import parse_timing
from .blocks import blocks_to_tasks
from .hollow import announces, names_no_work, product_column, work_in_field
from .model import Labeller
from .segments import Segment, segments_of

MODES = ("off", "fallback", "fill", "prefer", "weigh")
MAX_SEGMENTS = 5_000  # a plan of a few hundred tasks; beyond it the rules read the document alone (CPU bound)
Pair = tuple[int, DraftTask]


class Labelled(list):
    """The labeller's (line, task) pairs, with the segments of the document they were read from (a table row's
    cells: `weigh` reads a row's text of work from them) and the labeller's (label, marginal) for each segment."""

    def __init__(self, pairs=(), segments: list[Segment] | None = None, labels: list[tuple[str, float]] | None = None):
        super().__init__(pairs)
        self.segments = segments or []
        self.labels = labels or []

    def sure_of(self, line: int) -> bool:
        """Is the labeller sure of the task it starts on `line` (its start's marginal at least SURE)? Without its
        labels (pairs given as they are) it is not."""
        return any(label == "TASK_START" and p >= SURE
                   for segment, (label, p) in zip(self.segments, self.labels) if segment.line == line)


SURE = 0.9  # the marginal of a task's start at which `weigh` takes the labeller's lead or time for a rule task


def labelled_tasks(lines: list, year: int | None, labeller: Labeller) -> Labelled:
    segments = segments_of(lines)
    if len(segments) > MAX_SEGMENTS:
        return Labelled()
    labels = labeller.label(segments)
    return Labelled(blocks_to_tasks(segments, labels, year, words=labeller.words), segments, labels)


PROBE = 30  # characters of a task's content that say two tasks are one
_ROLE_WORDS = re.compile(r"\b(?:chu tri|phoi hop|giao)\b")
_CUT_LABEL = re.compile(r"^[^.;]{1,30}(?::|\d\s*[-–—])\s*$")  # "Nội dung:", "Mô hình 1:", "### Nhiệm vụ 3 –"


def _cut_is_not_task(words: str) -> bool:
    """Are the words the labeller cut before the task the assignment itself, a label of a few words, or no words at
    all (a bullet the rules kept: "- <task>")?"""
    if not re.search(r"\w", words):
        return True
    return bool(_ROLE_WORDS.search(fold(words))) or (bool(_CUT_LABEL.match(words)) and len(re.findall(r"\w+", words)) <= 4)


def _covers(rule: Pair, task: Pair) -> bool:
    """One task read twice: same line, or one's opening words inside the other's text (the rules may have cut
    a leading time, number or agency that the labeller kept)."""
    a, b = compare_key(rule[1].content), compare_key(task[1].content)
    return rule[0] == task[0] or (bool(a) and bool(b) and (a[:PROBE] in b or b[:PROBE] in a))


def _cleaner(rule: Pair, proposed: list[Pair]) -> Pair:
    """A rule task whose text holds the labeller's task after words the labeller cut ("phối hợp Y <task>",
    "Giao X chủ trì, <task>"), a short label ("Nội dung: <task>", "Mô hình 1: <task>") or the task's own lead
    ("Về …: Công an huyện <task>") is read as the labeller reads it."""
    a = compare_key(rule[1].content)
    for _, task in proposed:
        b = compare_key(task.content)
        at = a.find(b.rstrip(" .;")) if task.lead and len(b) >= PROBE else -1  # the labeller's whole text
        if at > 0 and _cut_is_not_task(a[:at]):
            return rule[0], task
        at = a.find(b[:SUBJECT_PROBE]) if task.lead and len(b) >= SUBJECT_PROBE else -1
        if at > 0 and _cut_is_subject(a[:at], task):  # "[Về …:] Công an huyện <task> …": its lead opens the sentence
            return rule[0], task
    return rule


SUBJECT_PROBE = 40
_TOPIC = re.compile(r"^[^:]{1,40}:\s*")


def _cut_is_subject(words: str, task: DraftTask) -> bool:
    """Are the words cut the task's own lead agency, after a topic label at most ("Về cấp căn cước: Công an huyện")?"""
    topic = _TOPIC.match(words)
    subject = words[topic.end():] if topic else words
    return bool(task.lead) and compare_key(subject).strip(" ,") == compare_key(" ".join(task.lead)).strip(" ,")


def _parts(rule: Pair, proposed: list[Pair]) -> list[Pair]:
    """A rule task whose text holds two or more of the labeller's tasks whole, one after another ("(1) <task>,
    thời hạn …; (2) <task> …" read as one), is read as those tasks."""
    a = compare_key(rule[1].content)
    inside: list[tuple[int, DraftTask]] = []
    end = 0
    for _, task in proposed:
        b = compare_key(task.content).rstrip(" .;")
        at = a.find(b, end) if len(b) >= PROBE else -1
        if at >= 0:
            inside.append((at, task))
            end = at + len(b)
    return [(rule[0], task) for _, task in inside] if len(inside) >= 2 else [rule]


def _ran_over(rule: Pair, proposed: list[Pair], rules: list[Pair]) -> list[Pair]:
    """A rule task whose text runs past a sentence's end into tasks the labeller is sure of on later lines, that no
    other rule task reads ("<task>. Hoàn thành …. <the labeller's task> …": items without numbers read as one
    paragraph): the rule task up to the first such sentence's end, then the labeller's tasks."""
    text, sure = rule[1].content, getattr(proposed, "sure_of", lambda line: False)
    inside = [(text.find(task.content[:PROBE]), (line, task)) for line, task in proposed
              if line > rule[0] and task.lead and len(task.content) >= PROBE and sure(line)
              and not any(other is not rule and _covers(other, (line, task)) for other in rules)]
    inside = sorted((at, pair) for at, pair in inside if at > 0 and text[:at].rstrip().endswith((".", ";")))
    if not inside:
        return [rule]
    head = (rule[0], rule[1].model_copy(update={"content": text[:inside[0][0]].rstrip()}))
    return [head] + [pair for _, pair in inside]


def _with_lead(rule: Pair, proposed: list[Pair], *, weigh: bool = False) -> Pair:
    """A rule task that names no lead takes the lead (and coordinating agencies) of the labeller's reading of it;
    one that has no time takes the time of the labeller's reading of it (the same line and the same words).
    `weigh`: where the labeller is sure of its task (`Labelled.sure_of`), its reading of the rule task by the same
    line or the same words at most BLOCK_LINES away gives its time to a rule task without one; and its reading by the same line and words,
    or a sure one, gives its lead (and partners where the rule task has none) to a rule task whose lead ran on past
    the name (`_ran_on`: "Công an huyện / UBND các xã", "Văn phòng Sở được giao"). The block a labeller task opens
    gives nothing: a rule task below its start may be an item of it ("Phối hợp với …") that has no time or lead of
    its own."""
    timed = _timed(rule[1].timing)
    if rule[1].lead and timed and not weigh:
        return rule
    same = next((pair for pair in proposed if _covers(rule, pair)), None)
    if same is None:
        return rule
    one = same[0] == rule[0] and _covers((-1, rule[1]), same)  # the same line and the same words: one task
    near = abs(same[0] - rule[0]) <= BLOCK_LINES  # (two items far apart may open with the same 30 characters)
    sure = weigh and near and getattr(proposed, "sure_of", lambda line: False)(same[0])
    update = {"timing": same[1].timing} if (one or sure) and not timed and _timed(same[1].timing) else {}
    if not rule[1].lead and same[1].lead:
        update.update(lead=same[1].lead, support=rule[1].support or same[1].support)
    elif weigh and (one or sure) and _ran_on(rule[1].lead, same[1].lead):
        update.update(lead=same[1].lead, support=rule[1].support or same[1].support)
    return (rule[0], rule[1].model_copy(update=update)) if update else rule


_RAN_ON = re.compile(r"^(?:/|\(|duoc giao\b|chu tri\b|phoi hop\b|thuc hien\b|la\b)")


def _ran_on(lead: list[str], labelled: list[str]) -> bool:
    """Is the rules' lead the labeller's lead and then words that no agency's name holds: a partner after a slash
    ("Công an huyện / UBND các xã, thị trấn"), role words ("Văn phòng Sở được giao")?"""
    a, b = compare_key(", ".join(lead)), compare_key(", ".join(labelled))
    return bool(b) and a != b and a.startswith(b) and bool(_RAN_ON.match(fold(a[len(b):]).strip(" ,")))


def _timed(timing) -> bool:
    return bool(timing.due or timing.start or timing.recurring or timing.condition)


def _is_tail(task: DraftTask) -> bool:
    """Does the task's text open in lower case ("thực hiện trong năm học …"), as a sentence's tail does?"""
    first = next((c for c in task.content if c.isalpha()), "")
    return first.islower()


def _preferred(rules: list[Pair], proposed: list[Pair], *, weigh: bool = False) -> list[Pair]:
    """Each labeller task that no rule task covers, read by the rules only as a sentence's tail inside its block
    (from its line to the next labeller task's), gives the first such tail its text; the tail keeps its fields
    (`weigh`: but a lead that ran on past the labeller's, `_ran_on`)."""
    taken: set[int] = set()
    out = []
    for rule in rules:
        at = _block_of(rule[0], proposed)
        if _is_tail(rule[1]) and at is not None and at not in taken:
            task = proposed[at][1]
            if task.lead and not _is_tail(task) and not any(_covers(other, proposed[at]) for other in rules):
                taken.add(at)
                ran_on = weigh and _ran_on(rule[1].lead, task.lead)
                out.append((rule[0], rule[1].model_copy(update={
                    "content": task.content, "lead": task.lead if ran_on else rule[1].lead or task.lead,
                    "support": rule[1].support or task.support,
                    "timing": rule[1].timing if rule[1].timing.raw else task.timing})))
                continue
        out.append(rule)
    return out


def _block_of(line: int, proposed: list[Pair]) -> int | None:
    """The labeller task whose block holds `line`: the last one that starts at or before it."""
    return max((i for i, (at, _) in enumerate(proposed) if at <= line), default=None, key=lambda i: proposed[i][0])


BLOCK_LINES = 6  # a task's line and its field lines ("a) Đơn vị chủ trì: …" … "d) Sản phẩm: …") below it


def _weighed(rules: list[Pair], proposed: list[Pair]) -> list[Pair]:
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
        at = _block_of(rule[0], proposed) if empty else None
        if at is not None and not _same_block(rule[0], proposed[at][0], in_table=rule[0] in rows):
            at = None
        task = proposed[at] if at is not None else None
        if task is not None and task[1].lead and not names_no_work(task[1].content):
            if at in taken or any(_covers(other, task) for other in worded):
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
                       and _covers((-1, fielded[1]), pair)), None)
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
        "timing": task[1].timing if _timed(task[1].timing) else rule[1].timing})


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
    return read if _timed(read) else timing


def _same_block(line: int, start: int, *, in_table: bool) -> bool:
    """Is `line` in the block a labeller task opens at `start`: its own row in a table, else at most BLOCK_LINES
    below it?"""
    return line == start if in_table else line - start <= BLOCK_LINES


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


def combine(rules: list[Pair], labelled, mode: str) -> list[Pair]:
    """`labelled` is called only when the mode needs the labeller's tasks."""
    if mode == "off" or (mode == "fallback" and rules):
        return rules
    proposed = labelled()
    if mode == "weigh":
        rules = _weighed(rules, proposed)
    if mode in ("prefer", "weigh") and len(proposed) <= len(rules):  # where fill would keep the rules' reading whole
        rules = _preferred(rules, proposed, weigh=mode == "weigh")
    per_line = Counter(line for line, _ in proposed)
    ruled = Counter(line for line, _ in rules)
    split = {line for line, n in per_line.items() if n >= 2 and ruled[line] == 1}
    if split:  # a paragraph the rules read as one task and the labeller as several: the labeller's reading
        rules = [pair for pair in rules if pair[0] not in split]
        if mode == "weigh":  # nesting: the labeller's tasks stand for it, whatever the two readings' counts
            rules = sorted(rules + [pair for pair in proposed if pair[0] in split], key=lambda pair: pair[0])
    rules = [part for rule in rules for part in _parts(rule, proposed)]
    if mode == "weigh":
        rules = [part for rule in rules for part in _ran_over(rule, proposed, rules)]
    rules = [_with_lead(_cleaner(rule, proposed), proposed, weigh=mode == "weigh") for rule in rules]
    extra = [pair for pair in proposed if not any(_covers(rule, pair) for rule in rules)]
    if len(proposed) <= len(rules):  # the rules' reading stands; weigh adds a task the labeller is sure of
        if mode != "weigh":
            return rules
        sure = getattr(proposed, "sure_of", lambda line: False)
        extra = [pair for pair in extra if pair[1].lead and not names_no_work(pair[1].content) and sure(pair[0])]
    return sorted(rules + extra, key=lambda pair: pair[0])
