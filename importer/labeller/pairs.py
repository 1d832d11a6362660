"""One task read twice: the (line, task) pairs both readings give, and when two of them are one task."""
from __future__ import annotations

from ..draft.model import DraftTask
from ..read.text import compare_key

Pair = tuple[int, DraftTask]
PROBE = 30  # characters of a task's content that say two tasks are one


def covers(rule: Pair, task: Pair) -> bool:
    """One task read twice: same line, or one's opening words inside the other's text (the rules may have cut
    a leading time, number or agency that the labeller kept)."""
    a, b = compare_key(rule[1].content), compare_key(task[1].content)
    return rule[0] == task[0] or (bool(a) and bool(b) and (a[:PROBE] in b or b[:PROBE] in a))


def timed(timing) -> bool:
    return bool(timing.due or timing.start or timing.recurring or timing.condition)


def block_of(line: int, proposed: list[Pair]) -> int | None:
    """The labeller task whose block holds `line`: the last one that starts at or before it."""
    return max((i for i, (at, _) in enumerate(proposed) if at <= line), default=None, key=lambda i: proposed[i][0])


BLOCK_LINES = 6  # a task's line and its field lines ("a) Đơn vị chủ trì: …" … "d) Sản phẩm: …") below it


def same_block(line: int, start: int, *, in_table: bool) -> bool:
    """Is `line` in the block a labeller task opens at `start`: its own row in a table, else at most BLOCK_LINES
    below it?"""
    return line == start if in_table else line - start <= BLOCK_LINES
