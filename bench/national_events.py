"""A national-shaped event history for reporting's bench: 34 provinces, 3,321 communes, ~20 agencies each, tasks and reports.

Events are generated batch by batch (never all in memory), already checked as the bus hands them over.
"""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Iterator

from schemas.catalog import Event
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.envelope import Envelope, Payload
from schemas.plans import PlanIssued, TaskAssigned, Timing
from schemas.reports import PeriodicReportSubmitted
from schemas.tasks import StatusReported, TaskCompleted, TaskDeadlineChanged, TaskStatus

PROVINCES, COMMUNES, AGENCIES_PER_UNIT = 34, 3321, 20
START = date(2026, 1, 1)
MONTHLY = {"schedule_id": "thang", "frequency": "monthly", "day_of_month": 14, "bound": ["child_units", "agencies"]}


def national_event(stream: str, version: int, payload: Payload, day: date) -> Event:
    at = datetime(day.year, day.month, day.day, 3, tzinfo=timezone.utc)
    envelope = Envelope(event_id=uuid.uuid4(), event_type=type(payload).__name__, stream_id=stream, stream_version=version,
                        occurred_at=at, recorded_at=at, correlation_id="bench", actor="bench", payload={})
    return Event(envelope, payload)


def units() -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = [("vn", None)] + [(f"p{p:02d}", "vn") for p in range(PROVINCES)]
    out += [(f"p{c % PROVINCES:02d}-c{c:04d}", f"p{c % PROVINCES:02d}") for c in range(COMMUNES)]
    return out


def directory() -> Iterator[Event]:
    for unit_id, parent in units():
        level = "commune" if "-c" in unit_id else ("province" if parent else "province")
        yield national_event(f"unit-{unit_id}", 1, UnitRegistered(unit_id=unit_id, name=f"Đơn vị {unit_id}", level=level, parent_id=parent), START)
        if unit_id != "vn":
            for a in range(AGENCIES_PER_UNIT):
                agency_id = f"{unit_id}-a{a:02d}"
                yield national_event(f"agency-{agency_id}", 1, AgencyRegistered(agency_id=agency_id, unit_id=unit_id, name=agency_id,
                                                                        head_title="Thủ trưởng", standing_body=a == 0), START)
        if parent == "vn":
            yield national_event(f"plan-kh-{unit_id}", 1, PlanIssued(plan_id=f"kh-{unit_id}", unit_id=unit_id, title="Kế hoạch", issued_on=START,
                                                             reporting_schedules=[MONTHLY]), START)


def task_streams(tasks: int, seed: int = 1) -> Iterator[list[Event]]:
    """Each task's stream: assigned (in one of the five utility groups), two or three status reports, completion for most; some extended."""
    rng = random.Random(seed)
    communes = [u for u, _ in units() if "-c" in u]
    for n in range(tasks):
        unit = communes[n % len(communes)]
        task_id, due = f"t{n}", START + timedelta(days=rng.randint(30, 360))
        day = START + timedelta(days=rng.randint(0, 20))
        stream = [national_event(f"task-{task_id}", 1, TaskAssigned(task_id=task_id, plan_id=f"kh-{unit}", unit_id=unit, content="Nhiệm vụ",
                                                            lead=f"{unit}-a{n % 20:02d}", support=[f"{unit}-a{(n + 1) % 20:02d}"],
                                                            timing=Timing(due=due), group=n % 5 + 1), day)]
        for _ in range(rng.randint(2, 3)):
            day += timedelta(days=rng.randint(5, 40))
            stream.append(national_event(f"task-{task_id}", len(stream) + 1, StatusReported(
                task_id=task_id, agency_id=f"{unit}-a{n % 20:02d}", status=TaskStatus.in_progress, progress=50), day))
        if n % 10 == 0:
            stream.append(national_event(f"task-{task_id}", len(stream) + 1, TaskDeadlineChanged(task_id=task_id, new_due=due + timedelta(days=30)), day))
        if rng.random() < 0.7:
            day += timedelta(days=rng.randint(1, 30))
            stream.append(national_event(f"task-{task_id}", len(stream) + 1, TaskCompleted(
                task_id=task_id, agency_id=f"{unit}-a{n % 20:02d}", completed_on=day, due=due, on_time=day <= due), day))
        yield stream


def reports(months: int = 10) -> Iterator[Event]:
    """Most communes report each month to their province; some late, some not at all."""
    rng = random.Random(2)
    for month in range(1, months + 1):
        deadline = date(2026, month, 14)
        for unit, parent in units():
            if "-c" not in unit or rng.random() < 0.1:
                continue
            day = deadline + timedelta(days=rng.randint(-5, 3))
            rid = f"kh-{parent}:thang:2026-{month:02d}:unit:{unit}"
            yield national_event(f"report-{rid}", 1, PeriodicReportSubmitted(
                report_id=rid, plan_id=f"kh-{parent}", schedule_id="thang", period=f"2026-{month:02d}", unit_id=unit,
                agency_id=f"{unit}-a00", reporter=f"unit:{unit}", submitted_on=day, deadline=deadline, on_time=day <= deadline,
                revision=1), day)


def history(tasks: int) -> Iterator[Event]:
    """Directory first, then task streams interleaved in rough time order (as the topics would deliver), then reports."""
    yield from directory()
    pending: list[list[Event]] = []
    for stream in task_streams(tasks):
        pending.append(stream)
        if len(pending) >= 200:
            yield from _drain(pending)
    yield from _drain(pending)
    yield from reports()


def _drain(streams: list[list[Event]]) -> Iterator[Event]:
    while streams:
        for stream in list(streams):
            yield stream.pop(0)
            if not stream:
                streams.remove(stream)
