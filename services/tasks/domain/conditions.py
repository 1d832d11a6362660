"""A task waiting on a condition gets its due date when the condition is met, with the plan's rule for the time after."""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
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
    numbers, folded = _named_in(condition)
    number_key, title_key = _document_keys(number, title)
    return (number_key is not None and number_key in numbers) or (title_key is not None and title_key in folded)


# Both folded once per text: every issued plan is matched against every waiting condition, and at national size
# thousands of tasks wait on the same few conditions (folding them again for each plan was most of tasks' time).
@lru_cache(maxsize=4096)
def _named_in(condition: str) -> tuple[frozenset[str], str]:
    folded = fold(condition)
    return frozenset(m.group(0) for m in _NUMBER.finditer(_joined(folded))), folded


@lru_cache(maxsize=1024)
def _document_keys(number: str | None, title: str) -> tuple[str | None, str | None]:
    title_words = fold(title)
    return (_joined(fold(number)) if number else None), (title_words if len(title_words.split()) >= 4 else None)


def _joined(text: str) -> str:
    return re.sub(r"\s*([/-])\s*", r"\1", text)
