"""Events as the reporting consumer receives them, built in a line each."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from schemas.catalog import Event
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.envelope import Envelope, Payload
from schemas.plans import PlanIssued, TaskAssigned, Timing
from schemas.reports import IndicatorValue, PeriodicReportSubmitted, ReportSections
from schemas.tasks import DeadlineMissed, StatusReported, TaskCompleted, TaskDeadlineChanged, TaskStatus

AT = datetime(2023, 3, 20, 3, 0, tzinfo=timezone.utc)


def event(stream_id: str, version: int, payload: Payload, event_id: uuid.UUID | None = None, at: datetime | date | None = None) -> Event:
    moment = _moment(at)
    envelope = Envelope(
        event_id=event_id or uuid.uuid4(), event_type=type(payload).__name__, stream_id=stream_id, stream_version=version,
        occurred_at=moment, recorded_at=moment, correlation_id="c-1", actor="test", payload=payload.model_dump(mode="json"),
    )
    return Event(envelope, payload)


def _moment(at: datetime | date | None) -> datetime:
    """An event's time: AT by default; a date means 10:00 local (03:00 UTC) that day."""
    if at is None:
        return AT
    if isinstance(at, datetime):
        return at
    return datetime(at.year, at.month, at.day, 3, 0, tzinfo=timezone.utc)


def unit(unit_id: str, parent_id: str | None = None, level: str = "commune") -> Event:
    return event(f"unit-{unit_id}", 1, UnitRegistered(unit_id=unit_id, name=unit_id, level=level, parent_id=parent_id))


def agency(agency_id: str, unit_id: str = "xa", head_title: str = "Trưởng Công an xã") -> Event:
    return event(f"agency-{agency_id}", 1, AgencyRegistered(agency_id=agency_id, unit_id=unit_id, name=agency_id, head_title=head_title))


def assignment(task_id: str, unit_id: str, due: date | None = None, *, stream: str | None = None, version: int = 1,
               lead: str = "ca-xa", support: tuple[str, ...] = (), at: datetime | date | None = None, group: int | None = None,
               **timing) -> Event:
    payload = TaskAssigned(task_id=task_id, plan_id="kh-1", unit_id=unit_id, content="Nhiệm vụ", lead=lead,
                           support=list(support), timing=Timing(due=due, **timing), group=group)
    return event(stream or f"task-{task_id}", version, payload, at=at)


def status(task_id: str, version: int, value: str = "in_progress", progress: int = 50, at: datetime | date | None = None) -> Event:
    payload = StatusReported(task_id=task_id, agency_id="ca-xa", status=TaskStatus(value), progress=progress)
    return event(f"task-{task_id}", version, payload, at=at)


def completion(task_id: str, version: int, on: date, due: date | None, on_time: bool) -> Event:
    payload = TaskCompleted(task_id=task_id, agency_id="ca-xa", completed_on=on, due=due, on_time=on_time)
    return event(f"task-{task_id}", version, payload, at=on)


def deadline_changed(task_id: str, version: int, new_due: date, on: date, original: date | None = None) -> Event:
    payload = TaskDeadlineChanged(task_id=task_id, original_due=original, new_due=new_due, reason="Gia hạn")
    return event(f"task-{task_id}", version, payload, at=on)


def missed(task_id: str, version: int, due: date, unit_id: str = "xa", at: datetime | date | None = None) -> Event:
    payload = DeadlineMissed(task_id=task_id, plan_id="kh-1", unit_id=unit_id, lead="ca-xa", due=due, content="Nhiệm vụ")
    return event(f"task-{task_id}", version, payload, at=at)


MONTHLY = {"schedule_id": "thang", "frequency": "monthly", "day_of_month": 14, "bound": ["child_units", "agencies"],
           "recipient": "Công an tỉnh", "raw": "Định kỳ hằng tháng, trước ngày 14"}


def plan(plan_id: str, unit_id: str, issued_on: date, schedules: list[dict] | None = None, targets: list[dict] | None = None) -> Event:
    payload = PlanIssued(plan_id=plan_id, unit_id=unit_id, title="Kế hoạch triển khai Đề án 06", number="32/KH-UBND",
                         issued_on=issued_on, reporting_schedules=schedules if schedules is not None else [MONTHLY],
                         targets=targets or [])
    return event(f"plan-{plan_id}", 1, payload, at=issued_on)


def periodic(plan_id: str, period: str, reporter: str, on: date, deadline: date, *, revision: int = 1, schedule_id: str = "thang",
             indicators: dict[str, float] | None = None, unit_id: str | None = None, results: str = "Đã triển khai") -> Event:
    kind, who = reporter.split(":")
    payload = PeriodicReportSubmitted(
        report_id=f"{plan_id}:{schedule_id}:{period}:{reporter}", plan_id=plan_id, schedule_id=schedule_id, period=period,
        unit_id=unit_id or who, agency_id=f"ca-{who}" if kind == "unit" else who, reporter=reporter,
        sections=ReportSections(results=results), indicators=[IndicatorValue(indicator_id=k, value=v) for k, v in (indicators or {}).items()],
        submitted_on=on, deadline=deadline, on_time=on <= deadline, revision=revision)
    return event(f"report-{payload.report_id}", revision, payload, at=on)
