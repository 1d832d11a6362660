"""Reorganisation: the open tasks of a unit that ceases move to its successor, with their history."""
from __future__ import annotations

from datetime import date
from typing import Any

from schemas.tasks import TaskTransferred


def transfer(task: Any, successor_of: dict[str, str], effective_on: date, reorganisation: str) -> list[TaskTransferred]:
    """An open task of a unit that ceased moves to its successor; a completed one stays where it was done."""
    to_unit = successor_of.get(task.unit_id)
    if task.completed or to_unit is None or to_unit == task.unit_id:
        return []
    return [TaskTransferred(task_id=task.task_id, from_unit=task.unit_id, to_unit=to_unit, effective_on=effective_on,
                            reorganisation=reorganisation)]
