"""notify's escalation events for one item, built in a line each (as reporting's live consumer receives them)."""
from __future__ import annotations

from datetime import date

from schemas.notify import EscalationAcknowledged, EscalationPolicy, EscalationRaised, EscalationResolved, EscalationStarted, Role, Rung, Target
from tests.unit.reporting.events import event

POLICY = EscalationPolicy(policy_id="default", rungs=[
    Rung(after_days=0, to=[Target(role=Role.lead_agency_head)]),
    Rung(after_days=7, to=[Target(role=Role.chairman)], cc=[Target(role=Role.standing_body, up=1)]),
])


def started(task_id: str, unit_id: str, due: date, agency_id: str = "ca-xa", at: date | None = None):
    item = f"{task_id}@{due.isoformat()}"
    return event(f"escalation-{item}", 1, EscalationStarted(item_id=item, task_id=task_id, plan_id="kh-1", unit_id=unit_id,
                                                             agency_id=agency_id, due=due, cause_event_id="c", policy=POLICY), at=at)


def raised(task_id: str, unit_id: str, due: date, rung: int, version: int, agency_id: str = "ca-xa", at: date | None = None):
    item = f"{task_id}@{due.isoformat()}"
    spec = POLICY.rungs[rung - 1]
    return event(f"escalation-{item}", version, EscalationRaised(
        escalation_id=f"{item}#{rung}", item_id=item, task_id=task_id, agency_id=agency_id, unit_id=unit_id, rung=rung,
        to=spec.to, cc=spec.cc, rule="default v1", cause_event_id="c", due=due), at=at)


def acknowledged(task_id: str, due: date, version: int, by: str, until: date, at: date | None = None):
    item = f"{task_id}@{due.isoformat()}"
    return event(f"escalation-{item}", version, EscalationAcknowledged(item_id=item, by=by, note="Đang bổ sung thiết bị",
                                                                        expected_on=until, via="http"), at=at)


def resolved(task_id: str, due: date, version: int, on: date):
    item = f"{task_id}@{due.isoformat()}"
    return event(f"escalation-{item}", version, EscalationResolved(item_id=item, reason="completed", resolved_on=on), at=on)
