"""Events of plans: a plan is issued (with its issuer, schedules and targets) and each of its tasks is assigned."""
from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated

from pydantic import Field, model_validator

from schemas.bounds import Id, Line, Period
from schemas.directory import UnitLevel
from schemas.envelope import Payload

AgencyRef = Annotated[str, Field(min_length=1, max_length=100)]
Reference = Annotated[str, Field(min_length=1, max_length=300)]


class ConditionRule(Payload):
    """The time a plan gives after its condition is met: "ngay" (immediately = a configured number of days) or N days."""

    raw: str | None = Field(default=None, max_length=1000)
    immediately: bool = Field(default=False, description='"ngay sau khi …": the configured number of days applies')
    days_after: int | None = Field(default=None, ge=0, le=3650, description='"trong vòng N ngày kể từ …" = N')


class Timing(Payload):
    """When a task is due: a date, a start, recurring every cycle, or waiting on a condition."""

    raw: str | None = Field(default=None, max_length=2000)
    due: date | None = None
    start: date | None = None
    recurring: bool = False
    condition: str | None = Field(default=None, max_length=2000)
    condition_rule: ConditionRule | None = None

    @model_validator(mode="after")
    def start_not_after_due(self) -> "Timing":
        if self.due and self.start and self.start > self.due:
            raise ValueError("start must not be after due")
        return self


class Frequency(str, Enum):
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    semiannual = "semiannual"
    annual = "annual"
    dates = "dates"


class Bound(str, Enum):
    """Who a reporting schedule binds: the agencies of the issuing unit, and/or the units below it."""

    agencies = "agencies"
    child_units = "child_units"


class MonthDay(Payload):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


class ReportingSchedule(Payload):
    """A periodic report the plan requires ("hằng tháng, trước ngày 14 … về Công an tỉnh")."""

    schedule_id: str = Field(min_length=1, max_length=100)
    frequency: Frequency
    weekday: int | None = Field(default=None, ge=1, le=7, description="ISO weekday (1 = Monday) for weekly reports")
    hour: int | None = Field(default=None, ge=0, le=23, description="local hour the report is due by")
    day_of_month: int | None = Field(default=None, ge=1, le=31, description="monthly and longer: due before this day")
    dates: list[MonthDay] = Field(default=[], max_length=24, description="fixed dates for frequency 'dates' (e.g. 14/6 and 14/12)")
    recipient: str | None = Field(default=None, max_length=500)
    cutoff_day: int | None = Field(default=None, ge=1, le=31, description="data counted up to this day of the period")
    bound: list[Bound] = Field(default=[Bound.agencies], max_length=2)
    raw: str | None = Field(default=None, max_length=2000)


class Comparator(str, Enum):
    above = "above"        # trên, hơn
    at_least = "at_least"  # ít nhất, tối thiểu, đạt
    equal = "equal"        # 100%
    about = "about"        # khoảng
    at_most = "at_most"    # không quá, dưới


class Rollup(str, Enum):
    """How an indicator of the units below adds up at the unit above."""

    sum = "sum"
    average = "average"
    min = "min"
    latest = "latest"


class Target(Payload):
    """A target (chỉ tiêu): "trên 35.000 tài khoản VNeID đến năm 2025"."""

    indicator_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    name: str = Field(min_length=1, max_length=1000)
    unit_of_measure: str | None = Field(default=None, max_length=100, description='"percent" for a rate')
    value: float | None = Field(default=None, ge=0, le=1e12)
    comparator: Comparator = Comparator.at_least
    period: Period | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    rollup: Rollup = Rollup.sum
    base_indicator_id: str | None = Field(default=None, max_length=100, description="weights of a weighted average")


class PlanIssued(Payload):
    plan_id: str = Field(min_length=1, max_length=100)
    unit_id: str = Field(min_length=1, max_length=200)
    number: str | None = Field(default=None, max_length=100)
    title: str = Field(min_length=1, max_length=1000)
    issued_on: date | None = None
    references: list[Line] = Field(default=[], max_length=100)
    task_ids: list[Id] = Field(default=[], max_length=1000)
    issuer: str | None = Field(default=None, max_length=300, description="as written: UBND tỉnh Cao Bằng")
    level: UnitLevel | None = None
    issued_period: Period | None = Field(default=None, description="when only a month (or year) is given: 2026-09")
    implements: list[Id] = Field(default=[], max_length=20, description="plan_ids of the plans this plan carries out")
    reporting_schedules: list[ReportingSchedule] = Field(default=[], max_length=20)
    targets: list[Target] = Field(default=[], max_length=500)
    due_soon_days: int = Field(default=7, ge=0, le=90)


class TaskAssigned(Payload):
    task_id: str = Field(min_length=1, max_length=200)
    plan_id: str = Field(min_length=1, max_length=100)
    unit_id: str = Field(min_length=1, max_length=200)
    code: str | None = Field(default=None, max_length=50)
    content: str = Field(min_length=1, max_length=10_000)
    group: int | None = Field(default=None, ge=1, le=5)
    lead: str = Field(min_length=1, max_length=200, description="agency_id of the lead agency")
    support: list[Id] = Field(default=[], max_length=100, description="agency_ids of coordinating agencies")
    timing: Timing = Timing()
    parent_task_id: str | None = Field(default=None, max_length=200, description="the task of the plan above this one carries out")
    clause: str | None = Field(default=None, max_length=50, description='where it stands in the plan: "III.2.b"')
    schedule: ReportingSchedule | None = Field(default=None, description="the cycle a recurring task is judged against")


class PlannedTask(Payload):
    """One task of a plan to issue."""

    task_id: str | None = Field(default=None, max_length=150, pattern=r"^[A-Za-z0-9_.:-]+$")
    code: str | None = Field(default=None, max_length=50)
    content: str = Field(min_length=1, max_length=10_000)
    group: int | None = Field(default=None, ge=1, le=5)
    lead: str = Field(min_length=1, max_length=100)
    support: list[AgencyRef] = Field(default=[], max_length=50)
    timing: Timing = Timing()
    parent_task_id: str | None = Field(default=None, max_length=200)
    clause: str | None = Field(default=None, max_length=50)


class IssuePlan(Payload):
    """Command: issue a plan of a unit with its tasks."""

    plan_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    unit_id: str = Field(min_length=1, max_length=100)
    number: str | None = Field(default=None, max_length=100)
    title: str = Field(min_length=1, max_length=1000)
    issued_on: date | None = None
    issued_period: Period | None = None
    issuer: str | None = Field(default=None, max_length=300)
    references: list[Reference] = Field(default=[], max_length=50)
    implements: list[Id] = Field(default=[], max_length=20)
    reporting_schedules: list[ReportingSchedule] = Field(default=[], max_length=20)
    targets: list[Target] = Field(default=[], max_length=500)
    due_soon_days: int = Field(default=7, ge=0, le=90)
    tasks: list[PlannedTask] = Field(min_length=1, max_length=1000)



MAX_TASKS_PER_BULK_ISSUE = 20_000


class IssuePlans(Payload):
    """Command: issue many plans at once (a roll-out to every province and commune); all or nothing.

    Plans already issued are skipped (named if they differ); any new plan refused refuses the whole batch, naming it."""

    plans: list[IssuePlan] = Field(min_length=1, max_length=1_000)

    @model_validator(mode="after")
    def _bounded(self) -> "IssuePlans":
        if sum(len(p.tasks) for p in self.plans) > MAX_TASKS_PER_BULK_ISSUE:
            raise ValueError(f"at most {MAX_TASKS_PER_BULK_ISSUE} tasks in one request; send the plans in several")
        return self
