"""A periodic report is checked like a status report: who may send it, for which period, with which indicators."""
from __future__ import annotations

from datetime import date

import pytest

from schemas.rejections import Forbidden, Invalid, NotFound
from schemas.reports import IndicatorValue, PeriodicReport, ReportSections
from services.tasks.domain.periodic import submit

PLAN = {"plan_id": "kh-tinh", "unit_id": "tinh", "targets": [{"indicator_id": "vneid", "name": "Tài khoản VNeID"}],
        "reporting_schedules": [{"schedule_id": "thang", "frequency": "monthly", "day_of_month": 14, "bound": ["child_units"]},
                                {"schedule_id": "quy", "frequency": "quarterly", "bound": ["agencies"]}]}
STANDING_BODY = {"agency_id": "ca-xa", "unit_id": "xa", "standing_body": True}
PROVINCE_AGENCY = {"agency_id": "stttt", "unit_id": "tinh", "standing_body": False}


def body(**changes) -> PeriodicReport:
    values = dict(plan_id="kh-tinh", schedule_id="thang", period="2026-12", for_unit=True,
                  sections=ReportSections(results="Đã cấp 1.200 tài khoản"), indicators=[IndicatorValue(indicator_id="vneid", value=1200)])
    return PeriodicReport(**{**values, **changes})


def test_a_communes_standing_body_reports_for_the_commune_on_time_by_the_deadline():
    event = submit(PLAN, STANDING_BODY, "tinh", body(), date(2026, 12, 14), 1)
    assert event.reporter == "unit:xa" and event.deadline == date(2026, 12, 14) and event.on_time
    assert event.report_id == "kh-tinh:thang:2026-12:unit:xa" and event.revision == 1


def test_a_report_after_the_cut_off_is_received_late():
    assert submit(PLAN, STANDING_BODY, "tinh", body(), date(2026, 12, 15), 2).on_time is False


@pytest.mark.parametrize("agency, parent, changes, error, field", [
    (STANDING_BODY, "tinh", {"schedule_id": "nam"}, NotFound, "schedule_id"),
    (STANDING_BODY, "tinh", {"period": "2026-Q4"}, Invalid, "period"),
    (STANDING_BODY, "tinh", {"period": "2027-01"}, Invalid, "period"),
    (STANDING_BODY, "khac", {}, Forbidden, "for_unit"),
    ({**STANDING_BODY, "standing_body": False}, "tinh", {}, Forbidden, "for_unit"),
    (STANDING_BODY, "tinh", {"for_unit": False}, Forbidden, "schedule_id"),
    (STANDING_BODY, "tinh", {"indicators": [IndicatorValue(indicator_id="khac", value=1)]}, Invalid, "indicators.0.indicator_id"),
])
def test_a_report_that_may_not_be_sent_is_refused_naming_the_field(agency, parent, changes, error, field):
    with pytest.raises(error) as refused:
        submit(PLAN, agency, parent, body(**changes), date(2026, 12, 20), 1)
    assert refused.value.field == field


def test_an_agency_of_the_plans_unit_reports_for_itself_on_an_agencies_schedule():
    event = submit(PLAN, PROVINCE_AGENCY, None, body(schedule_id="quy", period="2026-Q4", for_unit=False), date(2026, 12, 20), 1)
    assert event.reporter == "agency:stttt" and event.unit_id == "tinh" and event.deadline == date(2026, 12, 31)
