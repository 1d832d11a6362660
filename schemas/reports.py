"""Periodic reports: a unit's or an agency's report for one period of a plan's reporting schedule.

A unit reports through its standing body (cơ quan thường trực, the police of that level); an agency
reports for itself. The text sections follow the administrative report: results (kết quả),
difficulties and causes (khó khăn, vướng mắc, nguyên nhân), proposals (đề xuất, kiến nghị) and the
next period's tasks (nhiệm vụ kỳ tới); indicator values (chỉ tiêu) travel beside them.
"""
from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas.bounds import Id, Period
from schemas.envelope import Payload


class IndicatorValue(Payload):
    indicator_id: str = Field(min_length=1, max_length=100, description="Mã chỉ tiêu của kế hoạch / the plan target's indicator_id")
    value: float = Field(ge=0, le=1e12, description="Giá trị của kỳ báo cáo / the value for the period")


class ReportSections(Payload):
    results: str = Field(default="", max_length=20_000, description="I. Kết quả thực hiện / results")
    difficulties: str = Field(default="", max_length=20_000, description="II. Khó khăn, vướng mắc, nguyên nhân / difficulties and causes")
    proposals: str = Field(default="", max_length=20_000, description="III. Đề xuất, kiến nghị / proposals")
    next_tasks: str = Field(default="", max_length=20_000, description="IV. Nhiệm vụ kỳ tới / next period's tasks")


class PeriodicReportSubmitted(Payload):
    """A periodic report was received. A later one for the same reporter and period is a revision (a correction)."""

    report_id: str = Field(min_length=1, max_length=500, description="plan:schedule:period:reporter")
    plan_id: Id
    schedule_id: str = Field(min_length=1, max_length=100)
    period: Period
    unit_id: Id = Field(description="Đơn vị báo cáo, hoặc đơn vị của cơ quan báo cáo / the reporting unit, or the reporting agency's unit")
    agency_id: Id = Field(description="Cơ quan gửi báo cáo / the agency that sent it (a unit's standing body for a unit's report)")
    reporter: str = Field(min_length=1, max_length=210, description="unit:<unit_id> or agency:<agency_id>")
    sections: ReportSections = ReportSections()
    indicators: list[IndicatorValue] = Field(default=[], max_length=500)
    submitted_on: date = Field(description="Ngày nhận (giờ Việt Nam) / the local day it was received")
    deadline: date = Field(description="Hạn gửi của kỳ / the period's deadline under the schedule")
    on_time: bool
    revision: int = Field(ge=1, description="1 for the first report of the period, then 2, 3… for corrections")


class PeriodicReport(BaseModel):
    """HTTP body (and command) of a periodic report."""

    model_config = ConfigDict(extra="forbid")

    plan_id: str = Field(min_length=1, max_length=100, description="Kế hoạch đặt chế độ báo cáo / the plan whose schedule this answers")
    schedule_id: str = Field(min_length=1, max_length=100, description="Chế độ báo cáo của kế hoạch / the plan's reporting schedule")
    period: Period = Field(description="Kỳ báo cáo: 2026-12, 2026-Q4, 2026-H1, 2026, 2026-W45 / the reporting period")
    for_unit: bool = Field(default=False, description="Báo cáo của đơn vị (do cơ quan thường trực gửi) thay vì của cơ quan / the unit's report, sent by its standing body")
    sections: ReportSections = ReportSections()
    indicators: list[IndicatorValue] = Field(default=[], max_length=500)


class SubmitPeriodicReportMessage(PeriodicReport):
    """SubmitPeriodicReport on the command topic: carries the agency's credential."""

    command_id: UUID
    token: str = Field(min_length=1, max_length=1000)
