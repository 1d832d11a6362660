"""Holidays, weekends, silences and acknowledgement defer sending, never drop it; reminders before due; periods; alerts."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from schemas.notify import Responsibility
from schemas.tasks import DeadlineMissed, MissKind, StatusReported
from services.notify import views
from services.notify.handlers.silences import Silence, add_silence
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import PLAN, Notify, assigned, directory_events, events_from, missed


async def with_directory(start: datetime) -> Notify:
    notify = Notify(start)
    await notify.receive(directory_events())
    await notify.contacts_for_everyone()
    return notify


def local_days(mails) -> list[date]:
    return [m.sent_at.astimezone(LOCAL_TZ).date() for m in mails]


async def test_a_send_falling_on_a_national_holiday_is_deferred_to_the_next_working_day():
    notify = await with_directory(datetime(2026, 4, 30, 9, tzinfo=LOCAL_TZ))  # 30/4 and 1/5 are holidays, 2-3/5 a weekend
    await notify.receive(assigned("t1", date(2026, 4, 29)) + missed("t1", date(2026, 4, 29)))
    for day in (date(2026, 4, 30), date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 3)):
        await notify.day(day)
        assert notify.mailer.sent == [], day
    await notify.day(date(2026, 5, 4))
    assert local_days(notify.sent_to("vp-xa")) == [date(2026, 5, 4)]


async def test_tet_2027_holds_sending_until_the_first_working_day_after_it():
    notify = await with_directory(datetime(2027, 2, 4, 9, tzinfo=LOCAL_TZ))
    await notify.receive(assigned("t1", date(2027, 2, 3)) + missed("t1", date(2027, 2, 3)))
    for offset in range(0, 8):
        await notify.day(date(2027, 2, 4) + timedelta(days=offset))
    assert local_days(notify.sent_to("vp-xa")) == [date(2027, 2, 11)]


async def test_a_silence_defers_matching_items_until_it_ends_and_others_go_on():
    notify = await with_directory(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await add_silence(notify.store, Silence(starts_at=notify.clock.now(), ends_at=datetime(2026, 4, 3, 0, tzinfo=LOCAL_TZ),
                                            agency_id="vp-xa", comment="Đang kiện toàn lãnh đạo văn phòng"), "admin", notify.clock.now())
    await notify.receive(assigned("t1", date(2026, 3, 31)) + missed("t1", date(2026, 3, 31)))
    await notify.receive(assigned("t2", date(2026, 3, 31), lead="tp-xa") + missed("t2", date(2026, 3, 31), lead="tp-xa"))
    await notify.day(date(2026, 4, 1))
    await notify.day(date(2026, 4, 2))
    assert notify.sent_to("vp-xa") == [] and len(notify.sent_to("tp-xa")) == 1
    await notify.day(date(2026, 4, 3))
    assert local_days(notify.sent_to("vp-xa")) == [date(2026, 4, 3)]


async def test_reminders_come_seven_three_one_and_zero_days_before_due_or_as_the_head_prefers():
    notify = await with_directory(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await notify.contact(Responsibility.agency_head, "tp-xa", reminder_days=[2])
    await notify.receive(assigned("t1", date(2026, 4, 16)) + assigned("t2", date(2026, 4, 16), lead="tp-xa"))
    for offset in range(0, 16):
        await notify.day(date(2026, 4, 1) + timedelta(days=offset))
    assert local_days(notify.sent_to("vp-xa")) == [date(2026, 4, 9), date(2026, 4, 13), date(2026, 4, 15), date(2026, 4, 16)]
    assert "[Còn 7 ngày đến hạn, mới]" in notify.sent_to("vp-xa")[0].body and "sắp đến hạn" in notify.sent_to("vp-xa")[0].subject
    assert "[Đến hạn hôm nay, mới]" in notify.sent_to("vp-xa")[-1].body
    assert local_days(notify.sent_to("tp-xa")) == [date(2026, 4, 14)]


async def test_a_recurring_task_escalates_per_missed_period_and_a_report_for_the_period_resolves_it():
    notify = await with_directory(datetime(2026, 11, 16, 9, tzinfo=LOCAL_TZ))
    await notify.receive(assigned("r1", None, recurring=True))
    for period, last_day in (("2026-10", date(2026, 10, 31)), ("2026-11", date(2026, 11, 15))):
        await notify.receive(events_from(f"task-r1-{period}", DeadlineMissed(
            task_id="r1", plan_id=PLAN, unit_id="truong-ha", lead="vp-xa", due=last_day, content="Báo cáo tháng", kind=MissKind.period,
            period=period)))
    await notify.settle()
    [mail] = notify.sent_to("vp-xa")
    assert "kỳ báo cáo 2026-10" in mail.body and "kỳ báo cáo 2026-11" in mail.body
    assert {i["item_id"] for i in await views.open_items(notify.store)} == {"r1@2026-10", "r1@2026-11"}
    await notify.receive(events_from("task-r1", StatusReported(task_id="r1", agency_id="vp-xa", status="in_progress", progress=50,
                                                               period="2026-10")))
    assert {i["item_id"] for i in await views.open_items(notify.store)} == {"r1@2026-11"}


async def test_a_head_without_a_contact_is_an_alert_to_the_standing_body_and_listed_never_silent():
    notify = Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events())
    await notify.contact(Responsibility.agency_head, "ca-xa")  # only the commune police have a contact
    await notify.receive(assigned("t1", date(2026, 3, 31)) + missed("t1", date(2026, 3, 31)))
    await notify.settle()
    [alert] = await views.alerts(notify.store)
    assert alert["kind"] == "no_contact" and alert["contact_id"] == "vp-xa.agency_head" and alert["items"] == ["t1@2026-03-31"]
    [mail] = notify.sent_to("ca-xa")
    assert "[Cảnh báo] Chưa có địa chỉ liên hệ của Chánh Văn phòng" in mail.body and "1 cảnh báo" in mail.subject
    await notify.contact(Responsibility.agency_head, "vp-xa")
    notify.clock.advance(timedelta(minutes=10))
    await notify.settle()
    assert len(notify.sent_to("vp-xa")) == 1 and await views.alerts(notify.store) == []
