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
    weigh     prefer, after weighing per block which reading to trust (`weigh.weighed`): a rule task whose text
              names no work (hollow.names_no_work: a field's value or a label), announces work below it ("… như
              sau:") or is its row's product cell gives way to the labeller's task of its block, to the task's words
              its partner field holds, or to its table row's text of work; an announcing line nothing reads is no
              task; a line the labeller reads as several tasks and the rules as one is read as the labeller's tasks
              whatever the two readings' counts; a rule task that runs past a sentence's end into a task the
              labeller is sure of is cut there (`weigh.ran_over`); a lead that ran on past the labeller's name takes
              the labeller's (`weigh.ran_on`); a sure labeller reading near a rule task gives it its time; a task
              the labeller is sure of that no rule task reads is added whatever the counts
"""
from __future__ import annotations

import re
from collections import Counter

from ..body.item_text import has_dashed_activities
from ..draft.model import DraftTask
from ..read.text import compare_key, fold
from .blocks import blocks_to_tasks
from .hollow import names_no_work
from .model import Labeller
from .pairs import BLOCK_LINES, PROBE, Pair, block_of, covers, timed
from .segments import Segment, segments_of
from .weigh import ran_on, ran_over, weighed

MODES = ("off", "fallback", "fill", "prefer", "weigh")
MAX_SEGMENTS = 5_000  # a plan of a few hundred tasks; beyond it the rules read the document alone (CPU bound)


class Labelled(list):
    """The labeller's (line, task) pairs, with the segments of the document they were read from (a table row's
    cells: `weigh` reads a row's text of work from them) and the labeller's (label, marginal) for each segment."""

    def __init__(self, pairs=(), segments: list[Segment] | None = None, labels: list[tuple[str, float]] | None = None):
        super().__init__(pairs)
        self.segments = segments or []
        self.labels = labels or []
        self._sure: set[int] | None = None

    def sure_of(self, line: int) -> bool:
        """Is the labeller sure of the task it starts on `line` (its start's marginal at least SURE)? Without its
        labels (pairs given as they are) it is not."""
        if self._sure is None:
            self._sure = {segment.line for segment, (label, p) in zip(self.segments, self.labels)
                          if label == "TASK_START" and p >= SURE}
        return line in self._sure


SURE = 0.9  # the marginal of a task's start at which `weigh` takes the labeller's lead or time for a rule task


def labelled_tasks(lines: list, year: int | None, labeller: Labeller) -> Labelled:
    segments = segments_of(lines)
    if len(segments) > MAX_SEGMENTS:
        return Labelled()
    labels = labeller.label(segments)
    return Labelled(blocks_to_tasks(segments, labels, year, words=labeller.words), segments, labels)


_ROLE_WORDS = re.compile(r"\b(?:chu tri|phoi hop|giao)\b")
_CUT_LABEL = re.compile(r"^[^.;]{1,30}(?::|\d\s*[-–—])\s*$")  # "Nội dung:", "Mô hình 1:", "### Nhiệm vụ 3 –"


def _cut_is_not_task(words: str) -> bool:
    """Are the words the labeller cut before the task the assignment itself, a label of a few words, or no words at
    all (a bullet the rules kept: "- <task>")?"""
    if not re.search(r"\w", words):
        return True
    return bool(_ROLE_WORDS.search(fold(words))) or (bool(_CUT_LABEL.match(words)) and len(re.findall(r"\w+", words)) <= 4)


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


def _with_lead(rule: Pair, proposed: list[Pair], *, weigh: bool = False) -> Pair:
    """A rule task that names no lead takes the lead (and coordinating agencies) of the labeller's reading of it;
    one that has no time takes the time of the labeller's reading of it (the same line and the same words).
    `weigh`: where the labeller is sure of its task (`Labelled.sure_of`), its reading of the rule task by the same
    line or the same words at most BLOCK_LINES away gives its time to a rule task without one; and its reading by
    the same line and words, or a sure one, gives its lead (and partners where the rule task has none) to a rule
    task whose lead ran on past the name (`ran_on`: "Công an huyện / UBND các xã", "Văn phòng Sở được giao"). The
    block a labeller task opens gives nothing: a rule task below its start may be an item of it ("Phối hợp với …")
    that has no time or lead of its own."""
    has_time = timed(rule[1].timing)
    if rule[1].lead and has_time and not weigh:
        return rule
    same = next((pair for pair in proposed if covers(rule, pair)), None)
    if same is None:
        return rule
    one = same[0] == rule[0] and covers((-1, rule[1]), same)  # the same line and the same words: one task
    near = abs(same[0] - rule[0]) <= BLOCK_LINES  # (two items far apart may open with the same 30 characters)
    sure = weigh and near and getattr(proposed, "sure_of", lambda line: False)(same[0])
    update = {"timing": same[1].timing} if (one or sure) and not has_time and timed(same[1].timing) else {}
    if not rule[1].lead and same[1].lead:
        update.update(lead=same[1].lead, support=rule[1].support or same[1].support)
    elif weigh and (one or sure) and ran_on(rule[1].lead, same[1].lead):
        update.update(lead=same[1].lead, support=rule[1].support or same[1].support)
    return (rule[0], rule[1].model_copy(update=update)) if update else rule


def _is_tail(task: DraftTask) -> bool:
    """Does the task's text open in lower case ("thực hiện trong năm học …"), as a sentence's tail does?"""
    first = next((c for c in task.content if c.isalpha()), "")
    return first.islower()


def _preferred(rules: list[Pair], proposed: list[Pair], *, weigh: bool = False) -> list[Pair]:
    """Each labeller task that no rule task covers, read by the rules only as a sentence's tail inside its block
    (from its line to the next labeller task's), gives the first such tail its text; the tail keeps its fields
    (`weigh`: but a lead that ran on past the labeller's, `ran_on`)."""
    taken: set[int] = set()
    out = []
    for rule in rules:
        at = block_of(rule[0], proposed)
        if _is_tail(rule[1]) and at is not None and at not in taken:
            task = proposed[at][1]
            if task.lead and not _is_tail(task) and not any(covers(other, proposed[at]) for other in rules):
                taken.add(at)
                past = weigh and ran_on(rule[1].lead, task.lead)
                out.append((rule[0], rule[1].model_copy(update={
                    "content": task.content, "lead": task.lead if past else rule[1].lead or task.lead,
                    "support": rule[1].support or task.support,
                    "timing": rule[1].timing if rule[1].timing.raw else task.timing})))
                continue
        out.append(rule)
    return out


def _activity_rows(rules: list[Pair], proposed) -> set[int]:
    """The table rows whose rule task is a cell holding the task on its first line and dashed lines below it
    (`has_dashed_activities`): the labeller's split of such a row is not taken, neither its tasks on the row nor the
    row's text read as those tasks (`_parts`). Two cues compete (the labeller's starts say "several tasks", the
    cell's shape "one task and its activities"); the cell wins, since the row gives all of them one lead and one
    time, and a cell whose items are tasks opens with a dash (the rules read those as tasks already)."""
    rows = {segment.line for segment in getattr(proposed, "segments", []) if segment.cell is not None}
    return {line for line, task in rules if line in rows and has_dashed_activities(task.content)}


def combine(rules: list[Pair], labelled, mode: str) -> list[Pair]:
    """`labelled` is called only when the mode needs the labeller's tasks."""
    if mode == "off" or (mode == "fallback" and rules):
        return rules
    proposed = labelled()
    if mode == "weigh":
        rules = weighed(rules, proposed)
    if mode in ("prefer", "weigh") and len(proposed) <= len(rules):  # where fill would keep the rules' reading whole
        rules = _preferred(rules, proposed, weigh=mode == "weigh")
    # a labeller task whose text names no work ("Sở Tư pháp": a line of a cell of partners) is no task of the line;
    # two cues compete (the labeller's start says "a task", the text "an agency's name"): the text wins, since a task
    # says what is to be done (weigh only; the other modes read as they did)
    working = [pair for pair in proposed if mode != "weigh" or not names_no_work(pair[1].content)]
    per_line = Counter(line for line, _ in working)
    ruled = Counter(line for line, _ in rules)
    activities = _activity_rows(rules, proposed)
    split = {line for line, n in per_line.items() if n >= 2 and ruled[line] == 1} - activities
    if split:  # a paragraph the rules read as one task and the labeller as several: the labeller's reading
        rules = [pair for pair in rules if pair[0] not in split]
        if mode == "weigh":  # nesting: the labeller's tasks stand for it, whatever the two readings' counts
            rules = sorted(rules + [pair for pair in working if pair[0] in split], key=lambda pair: pair[0])
    rules = [part for rule in rules for part in ([rule] if rule[0] in activities else _parts(rule, proposed))]
    if mode == "weigh":
        rules = [part for rule in rules for part in ran_over(rule, proposed, rules)]
    rules = [_with_lead(_cleaner(rule, proposed), proposed, weigh=mode == "weigh") for rule in rules]
    extra = [pair for pair in working if not any(covers(rule, pair) for rule in rules)]
    if len(proposed) <= len(rules):  # the rules' reading stands; weigh adds a task the labeller is sure of
        if mode != "weigh":
            return rules
        sure = getattr(proposed, "sure_of", lambda line: False)
        extra = [pair for pair in extra if pair[1].lead and not names_no_work(pair[1].content) and sure(pair[0])]
    return sorted(rules + extra, key=lambda pair: pair[0])
