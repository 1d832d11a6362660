"""A periodic report not received by its period's deadline escalates like an overdue task: rung 1 the head of the
agency (or the chairman of the unit) that owes it, then the ladder; a report received resolves it."""
from __future__ import annotations

from datetime import date, datetime

from schemas.plans import PlanIssued, ReportingSchedule
from schemas.reports import PeriodicReportSubmitted
from services.notify.handlers.repository import ITEMS
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import Notify, directory_events, email_of, events_from

PLAN = "kh-huyen-06"
MONTHLY = ReportingSchedule(schedule_id="thang", frequency="monthly", day_of_month=14, bound=["agencies", "child_units"],
                            raw="Định kỳ hằng tháng, trước ngày 14")


def district_plan() -> list:
    return events_from(f"plan-{PLAN}", PlanIssued(plan_id=PLAN, unit_id="ha-quang", number="45/KH-UBND", title="Đề án 06 huyện Hà Quảng",
                                                  issued_on=date(2026, 2, 20), reporting_schedules=[MONTHLY]))


def report(reporter: str, period: str, on: date) -> list:
    kind, owner = reporter.split(":")
    return events_from(f"report-{reporter}", PeriodicReportSubmitted(
        report_id=f"{PLAN}:thang:{period}:{reporter}", plan_id=PLAN, schedule_id="thang", period=period,
        unit_id=owner if kind == "unit" else "ha-quang", agency_id=owner if kind == "agency" else "ca-xa", reporter=reporter,
        submitted_on=on, deadline=date(2026, 3, 14), on_time=on <= date(2026, 3, 14), revision=1))


async def district_with_reporters() -> Notify:
    notify = Notify(datetime(2026, 3, 2, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events() + district_plan())
    await notify.contacts_for_everyone()
    return notify


async def test_given_one_reporter_on_time_and_one_not_when_the_deadline_passes_then_only_the_missing_one_escalates_to_its_head():
    notify = await district_with_reporters()
    await notify.receive(report("unit:truong-ha", "2026-03", date(2026, 3, 13)))

    await notify.day(date(2026, 3, 14))  # the deadline day itself: nothing yet
    assert await notify.store.find(ITEMS, open=True) == []
    await notify.day(date(2026, 3, 16))  # Monday after the deadline

    items = await notify.store.find(ITEMS, open=True)
    assert [i["item_id"] for i in items] == [f"report:{PLAN}:thang:2026-03:agency:ca-huyen"]
    mail = notify.sent_to("ca-huyen")[0]
    assert "Chưa gửi báo cáo định kỳ (thang) kỳ 2026-03" in mail.body and "Kế hoạch 45/KH-UBND" in mail.body
    assert notify.sent_to("truong-ha", "unit_head") == []
    await notify.day(date(2026, 3, 17))
    assert len(await notify.store.find(ITEMS)) == 1  # judged once: the next pass starts nothing twice


async def test_given_a_commune_that_did_not_report_when_it_escalates_then_its_chairman_is_told_and_a_late_report_resolves_it():
    notify = await district_with_reporters()
    await notify.receive(report("agency:ca-huyen", "2026-03", date(2026, 3, 10)))

    await notify.day(date(2026, 3, 16))
    item_id = f"report:{PLAN}:thang:2026-03:unit:truong-ha"
    assert [i["item_id"] for i in await notify.store.find(ITEMS, open=True)] == [item_id]
    assert "kỳ 2026-03" in notify.sent_to("truong-ha", "unit_head")[0].body  # rung 1: the commune's chairman
    assert notify.sent_to("vp-xa") == []

    await notify.receive(report("unit:truong-ha", "2026-03", date(2026, 3, 17)))

    view = await notify.store.get(ITEMS, item_id)
    assert view["open"] is False and view["resolved"]["reason"] == "report_submitted"


async def test_given_a_historic_plan_when_notify_first_judges_it_then_only_recent_periods_escalate():
    notify = Notify(datetime(2026, 9, 2, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events() + district_plan())
    await notify.contacts_for_everyone()
    await notify.day(date(2026, 9, 2))
    periods = sorted({i["period"] for i in await notify.store.find(ITEMS, open=True)})
    assert periods == ["2026-06", "2026-07", "2026-08"]  # not every month since February


async def test_reminders_come_before_a_reports_deadline_once_per_threshold_and_stop_once_it_is_received():
    notify = await district_with_reporters()
    await notify.receive(report("agency:ca-huyen", "2026-03", date(2026, 3, 5)))

    for day in range(6, 15):  # Friday 6 to Saturday 14 March, the deadline (weekends off: nothing on the 7th, 8th and 14th)
        await notify.day(date(2026, 3, day))

    chairman = [m.body for m in notify.sent_to("truong-ha", "unit_head")]
    assert len(chairman) == 3  # Monday 9th (within 7 days: 5 left), Wednesday 11th (3 left), Friday 13th (1 left)
    assert "[Còn 5 ngày đến hạn, mới]" in chairman[0] and "[Còn 3 ngày đến hạn, mới]" in chairman[1]
    assert "[Còn 1 ngày đến hạn, mới]" in chairman[2]
    assert all("Chưa gửi báo cáo định kỳ (thang) kỳ 2026-03" in b for b in chairman)
    assert notify.sent_to("ca-huyen") == []  # its report came: no reminder


async def district_with_fixed_dates() -> Notify:
    """The district's plan with a report due before two fixed dates a year (14/6 and 14/12), bound on its agencies."""
    twice = ReportingSchedule(schedule_id="sau-thang", frequency="dates", dates=[{"month": 6, "day": 14}, {"month": 12, "day": 14}],
                              bound=["agencies"], raw="Báo cáo sơ kết 6 tháng trước ngày 14/6 và tổng kết năm trước ngày 14/12")
    notify = Notify(datetime(2026, 6, 1, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events() + events_from(f"plan-{PLAN}", PlanIssued(
        plan_id=PLAN, unit_id="ha-quang", number="45/KH-UBND", title="Đề án 06 huyện Hà Quảng", issued_on=date(2026, 2, 20),
        reporting_schedules=[twice])))
    await notify.contacts_for_everyone()
    return notify


async def test_reminders_come_before_each_fixed_date_of_a_dates_schedule_and_the_next_date_starts_them_again():
    notify = await district_with_fixed_dates()

    for day in (date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 11), date(2026, 12, 7), date(2026, 12, 11)):
        await notify.day(day)  # Mondays 1 and 8 June, Thursday 11 June; Monday 7 and Friday 11 December

    june = [m for m in notify.sent_to("ca-huyen") if "kỳ 2026-06" in m.body]
    assert [m.sent_at.astimezone(LOCAL_TZ).date() for m in june] == [date(2026, 6, 8), date(2026, 6, 11)]  # 13 days left: too early
    assert "[Còn 6 ngày đến hạn, mới]" in june[0].body and "[Còn 3 ngày đến hạn, mới]" in june[1].body
    assert all("Chưa gửi báo cáo định kỳ (sau-thang) kỳ 2026-06" in m.body for m in june)
    december = [m for m in notify.sent_to("ca-huyen") if "kỳ 2026-12" in m.body]
    assert [m.sent_at.astimezone(LOCAL_TZ).date() for m in december] == [date(2026, 12, 7), date(2026, 12, 11)]


async def test_a_fixed_date_of_a_dates_schedule_passing_without_a_report_escalates_that_month_once():
    notify = await district_with_fixed_dates()

    await notify.day(date(2026, 6, 14))  # the date itself: nothing owed yet
    assert await notify.store.find(ITEMS, open=True) == []
    await notify.day(date(2026, 6, 15))

    items = sorted(i["item_id"] for i in await notify.store.find(ITEMS, open=True))
    assert items and all(i.startswith(f"report:{PLAN}:sau-thang:2026-06:agency:") for i in items)
    assert any("Chưa gửi báo cáo định kỳ (sau-thang) kỳ 2026-06" in m.body for m in notify.sent_to("ca-huyen"))
    await notify.day(date(2026, 6, 16))
    assert sorted(i["item_id"] for i in await notify.store.find(ITEMS)) == items  # judged once


def test_fixed_dates_between_takes_each_date_of_each_year_once_in_order_and_a_day_past_the_month_end_as_its_last_day():
    from services.notify.domain.reports import fixed_dates_between, missed_periods
    schedule = ReportingSchedule(schedule_id="quy", frequency="dates", dates=[{"month": 12, "day": 14}, {"month": 6, "day": 31}],
                                 bound=["agencies"], raw="trước ngày 31/6 và 14/12")
    assert fixed_dates_between(schedule, date(2026, 1, 1), date(2027, 7, 1)) == [date(2026, 6, 30), date(2026, 12, 14), date(2027, 6, 30)]
    assert fixed_dates_between(schedule, date(2026, 6, 30), date(2026, 6, 30)) == []  # up to, not including, today
    assert missed_periods(schedule, date(2026, 1, 1), date(2026, 7, 1)) == [("2026-06", date(2026, 6, 30))]
