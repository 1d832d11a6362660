"""How the line labeller's tasks join the rules' tasks.

    off       the rules alone
    fallback  the labeller's tasks only when the rules find none
    fill      the rules' tasks, plus the labeller's tasks that no rule task covers
"""
from __future__ import annotations

from ..draft.model import DraftTask
from ..read.text import compare_key
from .blocks import blocks_to_tasks
from .model import Labeller
from .segments import segments_of

MODES = ("off", "fallback", "fill")
Pair = tuple[int, DraftTask]


def labelled_tasks(lines: list, year: int | None, labeller: Labeller) -> list[Pair]:
    segments = segments_of(lines)
    return blocks_to_tasks(segments, labeller.label(segments), year)


def _covers(rule: DraftTask, task: DraftTask) -> bool:
    a, b = compare_key(rule.content)[:30], compare_key(task.content)[:30]
    return bool(a) and (a.startswith(b) or b.startswith(a))


def combine(rules: list[Pair], labelled, mode: str) -> list[Pair]:
    """`labelled` is called only when the mode needs the labeller's tasks."""
    if mode == "off" or (mode == "fallback" and rules):
        return rules
    extra = [pair for pair in labelled() if not any(_covers(rule, pair[1]) for _, rule in rules)]
    return sorted(rules + extra, key=lambda pair: pair[0])
