"""A task waiting on a condition gets its due date when the condition is met, with the plan's rule for the time after."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from schemas.rejections import Conflict, Invalid
from schemas.tasks import ConditionMet, ConditionSource
from schemas.text import fold

_NUMBER = re.compile(r"(?<![\d/])\d{1,6}(?:/\d{4})?/[a-z]{1,12}(?:-[a-z0-9]{1,12}){1,4}")


def meet_condition(task: Any, met_on: date, today: date, source: ConditionSource, immediate_days: int, *,
                   declared_by: str | None = None, plan_id: str | None = None, document: str | None = None) -> list[ConditionMet]:
    """Once: the due date is the day met plus the plan's days ("trong vòng N ngày") or `immediate_days` ("ngay")."""
    if task.condition is None:
        raise Invalid(f"task {task.task_id!r} does not wait on a condition", field="task_id")
    if task.condition_met_on is not None:
        raise Conflict(f"the condition of task {task.task_id!r} was already met on {task.condition_met_on.isoformat()}",
                       field="condition")
    if task.completed:
        raise Conflict(f"task {task.task_id!r} was completed on {task.completed_on.isoformat()}", field="task_id")
    if met_on > today:
        raise Invalid("the condition cannot be met after today", field="met_on")
    days = task.condition_days if task.condition_days is not None else immediate_days
    return [ConditionMet(task_id=task.task_id, condition=task.condition, met_on=met_on, due=met_on + timedelta(days=days),
                         source=source, declared_by=declared_by, plan_id=plan_id, days_after=days, document=document)]


def names_document(condition: str, number: str | None, title: str) -> bool:
    """Whether a condition names this issued document: by its number ("số 12/KH-UBND"), or by its whole title."""
    folded = fold(condition)
    if number and _joined(fold(number)) in {m.group(0) for m in _NUMBER.finditer(_joined(folded))}:
        return True
    title_words = fold(title)
    return len(title_words.split()) >= 4 and title_words in folded


def _joined(text: str) -> str:
    return re.sub(r"\s*([/-])\s*", r"\1", text)
