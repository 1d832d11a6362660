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
"""
from __future__ import annotations

import re
from collections import Counter

from ..draft.model import DraftTask
from ..read.text import compare_key, fold
from .blocks import blocks_to_tasks
from .model import Labeller
from .segments import segments_of

MODES = ("off", "fallback", "fill", "prefer")
MAX_SEGMENTS = 5_000  # a plan of a few hundred tasks; beyond it the rules read the document alone (CPU bound)
Pair = tuple[int, DraftTask]


def labelled_tasks(lines: list, year: int | None, labeller: Labeller) -> list[Pair]:
    segments = segments_of(lines)
    if len(segments) > MAX_SEGMENTS:
        return []
    return blocks_to_tasks(segments, labeller.label(segments), year, words=labeller.words)


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


def _with_lead(rule: Pair, proposed: list[Pair]) -> Pair:
    """A rule task that names no lead takes the lead (and coordinating agencies) of the labeller's reading of it;
    one that has no time takes the time of the labeller's reading of it (the same line and the same words)."""
    timed = _timed(rule[1].timing)
    if rule[1].lead and timed:
        return rule
    same = next((pair for pair in proposed if _covers(rule, pair)), None)
    if same is None:
        return rule
    one = same[0] == rule[0] and _covers((-1, rule[1]), same)  # the same line and the same words: one task
    update = {"timing": same[1].timing} if one and not timed and _timed(same[1].timing) else {}
    if not rule[1].lead and same[1].lead:
        update.update(lead=same[1].lead, support=rule[1].support or same[1].support)
    return (rule[0], rule[1].model_copy(update=update)) if update else rule


def _timed(timing) -> bool:
    return bool(timing.due or timing.start or timing.recurring or timing.condition)


def _is_tail(task: DraftTask) -> bool:
    """Does the task's text open in lower case ("thực hiện trong năm học …"), as a sentence's tail does?"""
    first = next((c for c in task.content if c.isalpha()), "")
    return first.islower()


def _preferred(rules: list[Pair], proposed: list[Pair]) -> list[Pair]:
    """Each labeller task that no rule task covers, read by the rules only as a sentence's tail inside its block
    (from its line to the next labeller task's), gives the first such tail its text; the tail keeps its fields."""
    taken: set[int] = set()
    out = []
    for rule in rules:
        at = max((i for i, (line, _) in enumerate(proposed) if line <= rule[0]), default=None,
                 key=lambda i: proposed[i][0])
        if _is_tail(rule[1]) and at is not None and at not in taken:
            task = proposed[at][1]
            if task.lead and not _is_tail(task) and not any(_covers(other, proposed[at]) for other in rules):
                taken.add(at)
                out.append((rule[0], rule[1].model_copy(update={
                    "content": task.content, "lead": rule[1].lead or task.lead,
                    "support": rule[1].support or task.support,
                    "timing": rule[1].timing if rule[1].timing.raw else task.timing})))
                continue
        out.append(rule)
    return out


def combine(rules: list[Pair], labelled, mode: str) -> list[Pair]:
    """`labelled` is called only when the mode needs the labeller's tasks."""
    if mode == "off" or (mode == "fallback" and rules):
        return rules
    proposed = labelled()
    if mode == "prefer" and len(proposed) <= len(rules):  # where fill would keep the rules' reading whole
        rules = _preferred(rules, proposed)
    per_line = Counter(line for line, _ in proposed)
    ruled = Counter(line for line, _ in rules)
    split = {line for line, n in per_line.items() if n >= 2 and ruled[line] == 1}
    if split:  # a paragraph the rules read as one task and the labeller as several: the labeller's reading
        rules = [pair for pair in rules if pair[0] not in split]
    rules = [part for rule in rules for part in _parts(rule, proposed)]
    rules = [_with_lead(_cleaner(rule, proposed), proposed) for rule in rules]
    if len(proposed) <= len(rules):
        return rules
    extra = [pair for pair in proposed if not any(_covers(rule, pair) for rule in rules)]
    return sorted(rules + extra, key=lambda pair: pair[0])
