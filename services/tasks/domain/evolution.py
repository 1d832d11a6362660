"""How each event after TaskAssigned changes a task: one small function per event type, giving the fields it changes
(`apply` makes the one copy of the task, its version included: a status report was two copies of 32 fields)."""
from __future__ import annotations

from typing import Any, Callable

from schemas.envelope import Payload
from schemas.tasks import (
    ConditionMet,
    DeadlineMissed,
    ExtensionRejected,
    ExtensionRequested,
    MissKind,
    Role,
    StatusReported,
    TaskCompleted,
    TaskDeadlineChanged,
    TaskTransferred,
    TaskWaitingOnAgency,
    TaskWaitingOnAgencyCleared,
)

Changes = dict[str, Any]  # field name -> its new value


def _reported(task: Any, e: StatusReported) -> Changes:
    role = e.role or (Role.lead if e.agency_id == task.lead else Role.support)
    part = {"agency_id": e.agency_id, "role": role.value, "status": e.status.value, "progress": e.progress, "summary": e.summary}
    changes: dict[str, Any] = {"parts": (*[p for p in task.parts if p["agency_id"] != e.agency_id], part)}
    if role == Role.lead:
        changes.update(status=e.status.value, progress=e.progress)
        if e.period and e.period not in task.reported_periods:
            changes["reported_periods"] = (*task.reported_periods, e.period)
    return changes


def _completed(task: Any, e: TaskCompleted) -> Changes:
    return dict(completed_on=e.completed_on, on_time=e.on_time, evidence=e.evidence.model_dump(mode="json") if e.evidence else None)


def _missed(task: Any, e: DeadlineMissed) -> Changes:
    if e.kind == MissKind.period and e.period:
        return dict(missed_periods=(*task.missed_periods, e.period))
    return dict(missed=(*task.missed, e.due))


def _condition_met(task: Any, e: ConditionMet) -> Changes:
    return dict(condition_met_on=e.met_on, due=e.due, original_due=task.original_due or e.due)


def _requested(task: Any, e: ExtensionRequested) -> Changes:
    request = {"request_id": e.request_id, "agency_id": e.agency_id, "proposed_due": e.proposed_due.isoformat(),
               "reason": e.reason, "state": "pending"}
    return dict(extensions=(*task.extensions, request))


def _decided(task: Any, request_id: str | None, state: str) -> Changes:
    return dict(extensions=tuple({**x, "state": state} if x["request_id"] == request_id else x for x in task.extensions))


def _rejected(task: Any, e: ExtensionRejected) -> Changes:
    return _decided(task, e.request_id, "rejected")


def _deadline_changed(task: Any, e: TaskDeadlineChanged) -> Changes:
    return {**_decided(task, e.request_id, "approved"), "due": e.new_due, "original_due": task.original_due or e.original_due}


def _waiting(task: Any, e: TaskWaitingOnAgency) -> Changes:
    return dict(waiting_on=(*task.waiting_on, {"agency_id": e.agency_id, "reason": e.reason, "since": e.since.isoformat()}))


def _waiting_cleared(task: Any, e: TaskWaitingOnAgencyCleared) -> Changes:
    return dict(waiting_on=tuple(w for w in task.waiting_on if w["agency_id"] != e.agency_id))


def _transferred(task: Any, e: TaskTransferred) -> Changes:
    move = {"from_unit": e.from_unit, "to_unit": e.to_unit, "effective_on": e.effective_on.isoformat(), "reorganisation": e.reorganisation}
    return dict(unit_id=e.to_unit, transfers=(*task.transfers, move))


STEPS: dict[type, Callable[[Any, Any], Changes]] = {
    StatusReported: _reported, TaskCompleted: _completed, DeadlineMissed: _missed, ConditionMet: _condition_met,
    ExtensionRequested: _requested, ExtensionRejected: _rejected, TaskDeadlineChanged: _deadline_changed,
    TaskWaitingOnAgency: _waiting, TaskWaitingOnAgencyCleared: _waiting_cleared, TaskTransferred: _transferred,
}


def changes_of(task: Any, event: Payload) -> Changes:
    """The fields `event` changes (an event type without a step changes nothing but the version)."""
    step = STEPS.get(type(event))
    return step(task, event) if step else {}


def apply(task: Any, event: Payload, version: int) -> Any:
    """The task at `version`, after `event`."""
    return task.changed(version=version, **changes_of(task, event))
