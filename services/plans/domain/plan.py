"""Issuing a plan: one PlanIssued carrying what the plan says, and one TaskAssigned per task, every agency known."""
from __future__ import annotations

from typing import Any, Mapping

from schemas.directory import UnitLevel
from schemas.plans import Bound, IssuePlan, PlannedTask, PlanIssued, ReportingSchedule, TaskAssigned, Timing
from schemas.rejections import Conflict, Invalid, NotFound
from services.plans.domain.conditions import condition_rule


def task_ids(command: IssuePlan) -> list[str]:
    return [t.task_id or f"{command.plan_id}.t{n:03d}" for n, t in enumerate(command.tasks, start=1)]


def issue_plan(command: IssuePlan, existing: Mapping[str, Any] | None, unit: Mapping[str, Any] | None,
               agencies: Mapping[str, Mapping[str, Any]], implemented: Mapping[str, Mapping[str, Any]] | None = None,
               ancestors: frozenset[str] = frozenset()) -> list[PlanIssued | TaskAssigned]:
    """`agencies` holds the directory entries of every agency the plan names (missing ones absent); `implemented`
    the views of the plans it names as carried out, with their tasks; `ancestors` the units above the issuing unit."""
    if existing is not None:
        raise Conflict(f"plan {command.plan_id!r} is already issued", field="plan_id")
    if unit is None:
        raise NotFound(f"no unit with id {command.unit_id!r}", field="unit_id")
    if unit.get("ceased_on"):
        raise Conflict(f"unit {command.unit_id!r} ceased on {unit['ceased_on']}; its successor is {unit.get('successor_id')!r}",
                       field="unit_id")
    ids = task_ids(command)
    if len(set(ids)) != len(ids):
        raise Invalid("task ids must be unique within a plan", field="tasks")
    for n, task in enumerate(command.tasks):
        for where, agency_id in [("lead", task.lead), *(("support", s) for s in task.support)]:
            if agency_id not in agencies:
                raise NotFound(f"no agency with id {agency_id!r}", field=f"tasks.{n}.{where}")
        if task.lead in task.support:
            raise Invalid("the lead agency cannot also be a coordinating agency", field=f"tasks.{n}.support")
    _check_cascade(command, implemented or {}, ancestors)
    recurring_schedule = next((s for s in command.reporting_schedules if Bound.agencies in s.bound), None)
    issued = PlanIssued(plan_id=command.plan_id, unit_id=command.unit_id, number=command.number, title=command.title,
                        issued_on=command.issued_on, issued_period=command.issued_period, references=command.references,
                        task_ids=ids, issuer=command.issuer, level=UnitLevel(unit["level"]), implements=command.implements,
                        reporting_schedules=command.reporting_schedules, targets=command.targets,
                        due_soon_days=command.due_soon_days)
    assigned = [_assigned(command, task_id, t, recurring_schedule) for task_id, t in zip(ids, command.tasks)]
    return [issued, *assigned]


def _assigned(command: IssuePlan, task_id: str, t: PlannedTask, schedule: ReportingSchedule | None) -> TaskAssigned:
    timing = t.timing
    if timing.condition and timing.condition_rule is None:
        timing = timing.model_copy(update={"condition_rule": condition_rule(timing.raw or timing.condition)})  # both validated
    return TaskAssigned(task_id=task_id, plan_id=command.plan_id, unit_id=command.unit_id, code=t.code, content=t.content,
                        group=t.group, lead=t.lead, support=t.support, timing=timing, parent_task_id=t.parent_task_id,
                        clause=t.clause, schedule=schedule if timing.recurring else None)


def _check_cascade(command: IssuePlan, implemented: Mapping[str, Mapping[str, Any]], ancestors: frozenset[str]) -> None:
    """The plans carried out exist and were issued above; a parent task belongs to one of them."""
    parent_plan: dict[str, str] = {}
    for n, plan_id in enumerate(command.implements):
        plan = implemented.get(plan_id)
        if plan is None:
            raise NotFound(f"no plan with id {plan_id!r}", field=f"implements.{n}")
        if plan["unit_id"] not in ancestors:
            raise Invalid(f"plan {plan_id!r} was issued by {plan['unit_id']!r}, not by a unit above {command.unit_id!r}",
                          field=f"implements.{n}")
        parent_plan.update({task["task_id"]: plan_id for task in plan.get("tasks", [])})
    for n, task in enumerate(command.tasks):
        if task.parent_task_id and task.parent_task_id not in parent_plan:
            where = "the plans it implements" if command.implements else "any plan it implements (name them in implements)"
            raise NotFound(f"task {task.parent_task_id!r} is not a task of {where}", field=f"tasks.{n}.parent_task_id")
