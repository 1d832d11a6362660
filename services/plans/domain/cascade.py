"""Cascade: which task of the plan above a task of a lower plan carries out, suggested by likeness of content."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any, Iterable, Mapping

from schemas.text import fold

# words every task says; they tell nothing about which task it is
_COMMON = frozenset(("va cac cua cho voi theo tren trong tai duoc thuc hien trien khai to chuc de an 06 nhiem vu "
                     "co quan don vi dia phuong ke hoach ubnd tinh huyen xa phuong").split())


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)) if w not in _COMMON and len(w) > 1}


def likeness(a: str, b: str) -> float:
    """0..1: shared significant words (Dice) weighed with the matching character runs of the folded texts."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    dice = 2 * len(wa & wb) / (len(wa) + len(wb))
    runs = SequenceMatcher(None, fold(a)[:600], fold(b)[:600], autojunk=False).ratio()
    return round(0.7 * dice + 0.3 * runs, 3)


def parent_candidates(content: str, plans_above: Iterable[Mapping[str, Any]], most: int = 5, at_least: float = 0.15) -> list[dict]:
    """Tasks of the plans above, most alike first: a person confirms one in the draft."""
    scored = [
        {"task_id": t["task_id"], "plan_id": plan["plan_id"], "code": t.get("code"), "content": t["content"],
         "score": likeness(content, t["content"])}
        for plan in plans_above for t in plan.get("tasks", [])
    ]
    return sorted((s for s in scored if s["score"] >= at_least), key=lambda s: -s["score"])[:most]
