"""Issuing a plan: one PlanIssued and one TaskAssigned per task, every agency known."""
from __future__ import annotations

from typing import Any, Mapping

from schemas.plans import IssuePlan, PlanIssued, TaskAssigned
from schemas.rejections import Conflict, Invalid, NotFound


def task_ids(command: IssuePlan) -> list[str]:
    return [t.task_id or f"{command.plan_id}.t{n:03d}" for n, t in enumerate(command.tasks, start=1)]


def issue_plan(command: IssuePlan, existing: Mapping[str, Any] | None, unit: Mapping[str, Any] | None,
               agencies: Mapping[str, Mapping[str, Any]]) -> list[PlanIssued | TaskAssigned]:
    """`agencies` holds the directory entries of every agency the plan names (missing ones absent)."""
    if existing is not None:
        raise Conflict(f"plan {command.plan_id!r} is already issued", field="plan_id")
    if unit is None:
        raise NotFound(f"no unit with id {command.unit_id!r}", field="unit_id")
    ids = task_ids(command)
    if len(set(ids)) != len(ids):
        raise Invalid("task ids must be unique within a plan", field="tasks")
    for n, task in enumerate(command.tasks):
        for where, agency_id in [("lead", task.lead), *(("support", s) for s in task.support)]:
            if agency_id not in agencies:
                raise NotFound(f"no agency with id {agency_id!r}", field=f"tasks.{n}.{where}")
        if task.lead in task.support:
            raise Invalid("the lead agency cannot also be a coordinating agency", field=f"tasks.{n}.support")
    issued = PlanIssued(plan_id=command.plan_id, unit_id=command.unit_id, number=command.number, title=command.title,
                        issued_on=command.issued_on, references=command.references, task_ids=ids)
    assigned = [
        TaskAssigned(task_id=task_id, plan_id=command.plan_id, unit_id=command.unit_id, code=t.code, content=t.content,
                     group=t.group, lead=t.lead, support=t.support, timing=t.timing)
        for task_id, t in zip(ids, command.tasks)
    ]
    return [issued, *assigned]
