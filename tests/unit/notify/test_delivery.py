"""Escalation and delivery handlers on the in-memory store, with an in-memory Mailer: the service's rules without a broker."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta

import pytest

from schemas.catalog import Event, parse_event
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.notify import Responsibility
from schemas.plans import PlanIssued
from schemas.tasks import DeadlineMissed, TaskCompleted
from services.notify.handlers.contacts import RegisterContact, register_contact
from services.notify.handlers.deliver import deliver_pending
from services.notify.handlers.directory import learn_directory
from services.notify.handlers.escalate import escalate_missed_deadlines, note_completions
from services.notify.handlers.ladder import climb_ladders
from services.notify.handlers.repository import INDEXES
from services.notify import views
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from tests.unit.notify.memory_mailer import MemoryMailer

AFTER_DAYS = 7


def events_from(stream_id: str, *payloads) -> list[Event]:
    moment = datetime(2023, 3, 1, tzinfo=LOCAL_TZ)
    return [parse_event(e.model_dump(mode="json")) for e in envelop(stream_id, 0, payloads, Cause("test", str(uuid.uuid4())), moment)]


DIRECTORY = [
    *events_from("unit-truong-ha", UnitRegistered(unit_id="truong-ha", name="Xã Trường Hà", level="commune", parent_id="ha-quang",
                                                   head_name="Lê Thị Xã")),
    *events_from("agency-ca-xa", AgencyRegistered(agency_id="ca-xa", unit_id="truong-ha", name="Công an xã Trường Hà",
                                                   head_title="Trưởng Công an xã", head_name="Hoàng Văn Công")),
    *events_from("plan-kh-32", PlanIssued(plan_id="kh-32", unit_id="truong-ha", number="32/KH-UBND",
                                           title="Kế hoạch triển khai Đề án 06 năm 2023")),
]
[MISSED] = events_from("task-kh-32.1", DeadlineMissed(
    task_id="kh-32.1", plan_id="kh-32", unit_id="truong-ha", lead="ca-xa", due=date(2023, 3, 31), code="1.1",
    content="Tham mưu ban hành Kế hoạch triển khai Đề án 06"))
HEAD = RegisterContact(agency_id="ca-xa", role="agency_head", name="Hoàng Văn Công", email="cong.hv@truongha.gov.vn", phone="0912 345 678")
CHAIRMAN = RegisterContact(unit_id="truong-ha", role="unit_head", name="Lê Thị Xã", email="chutich@truongha.gov.vn")


class Notify:
    """notify's handlers over one in-memory store, driven the way its consumers and delivery loop drive them."""

    def __init__(self) -> None:
        self.store = MemoryStore(INDEXES)
        self.clock = ManualClock(datetime(2023, 4, 1, 9, tzinfo=LOCAL_TZ))
        self.events = EventLog(self.store, self.clock)
        self.mailer = MemoryMailer()

    async def receive(self, batch: list[Event]) -> list[str]:
        await learn_directory(batch, self.store)
        await note_completions(batch, self.store)
        return await escalate_missed_deadlines(batch, self.store, self.events)

    async def register(self, contact: RegisterContact) -> dict:
        return await register_contact(contact, self.store, self.clock.now())

    async def deliver(self):
        await climb_ladders(self.store, self.events, self.clock, AFTER_DAYS)
        return await deliver_pending(self.store, self.events, self.mailer, self.clock)

    async def statuses(self) -> dict[str, str]:
        return {n["responsibility"]: n["status"] for n in await views.list_notifications(self.store)}

    async def all_events(self) -> list:
        return [s.envelope for s in await self.store.read_after(0, 10_000)]


@pytest.fixture
async def notify() -> Notify:
    service = Notify()
    await service.receive(DIRECTORY)
    return service


async def test_a_missed_deadline_is_mailed_to_the_head_of_the_lead_agency_and_recorded(notify):
    await notify.register(HEAD)
    [escalation_id] = await notify.receive([MISSED])
    outcome = await notify.deliver()
    assert outcome.delivered == 1
    [mail] = notify.mailer.sent
    assert mail.to == "cong.hv@truongha.gov.vn" and mail.subject.startswith("[tiendo] Nhiệm vụ quá hạn: 1.1 Tham mưu")
    assert mail.message_id == f"<{escalation_id}@tiendo>"
    assert [e.event_type for e in await notify.all_events()] == ["EscalationRaised", "NotificationDelivered"]
    shown = await views.get_notification(notify.store, escalation_id)
    assert shown["status"] == "delivered" and shown["to"] == mail.to and shown["body"] == mail.body
    assert shown["delivered_at"] == notify.clock.now().isoformat()


async def test_a_redelivered_deadline_missed_raises_and_sends_nothing_twice(notify):
    await notify.register(HEAD)
    await notify.receive([MISSED])
    await notify.deliver()
    assert await notify.receive([MISSED]) == []
    await notify.deliver()
    assert len(notify.mailer.sent) == 1
    assert len(await notify.all_events()) == 2
    assert (await views.stats(notify.store))["deadline_missed_duplicates"] == 1


async def test_an_escalation_with_nobody_to_tell_is_undeliverable_until_a_contact_is_registered(notify):
    [escalation_id] = await notify.receive([MISSED])
    await notify.deliver()
    shown = await views.get_notification(notify.store, escalation_id)
    assert shown["status"] == "undeliverable" and "ca-xa" in shown["reason"] and not notify.mailer.sent
    await notify.register(HEAD)
    await notify.deliver()
    assert [m.to for m in notify.mailer.sent] == ["cong.hv@truongha.gov.vn"]
    assert await notify.statuses() == {"agency_head": "delivered"}


async def test_a_mail_server_that_is_down_leaves_the_escalation_pending_and_it_is_sent_on_a_later_pass(notify):
    await notify.register(HEAD)
    [escalation_id] = await notify.receive([MISSED])
    notify.mailer.down = True
    assert (await notify.deliver()).failed == 1
    shown = await views.get_notification(notify.store, escalation_id)
    assert shown["status"] == "pending" and shown["attempts"] == 1 and "ConnectionRefusedError" in shown["last_error"]
    assert [e.event_type for e in await notify.all_events()] == ["EscalationRaised"]
    notify.mailer.down = False
    await notify.deliver()
    await notify.deliver()
    assert len(notify.mailer.sent) == 1 and await notify.statuses() == {"agency_head": "delivered"}


async def test_the_unit_chairman_is_told_when_the_task_is_still_overdue_seven_days_after_its_due_date(notify):
    await notify.register(HEAD)
    await notify.register(CHAIRMAN)
    await notify.receive([MISSED])
    await notify.deliver()
    notify.clock.set(datetime(2023, 4, 6, 9, tzinfo=LOCAL_TZ))
    await notify.deliver()
    assert len(notify.mailer.sent) == 1
    notify.clock.set(datetime(2023, 4, 7, 9, tzinfo=LOCAL_TZ))
    await notify.deliver()
    await notify.deliver()
    assert [m.to for m in notify.mailer.sent] == ["cong.hv@truongha.gov.vn", "chutich@truongha.gov.vn"]
    assert "Kính gửi: Đồng chí Lê Thị Xã, Chủ tịch UBND (Xã Trường Hà)." in notify.mailer.sent[1].body
    assert await notify.statuses() == {"agency_head": "delivered", "unit_head": "delivered"}
    assert [e.event_type for e in await notify.all_events()] == [
        "EscalationRaised", "NotificationDelivered", "EscalationRaised", "NotificationDelivered"]


async def test_a_task_completed_late_is_not_escalated_to_the_chairman(notify):
    await notify.register(HEAD)
    await notify.register(CHAIRMAN)
    await notify.receive([MISSED])
    await notify.receive(events_from("task-kh-32.1", TaskCompleted(
        task_id="kh-32.1", agency_id="ca-xa", completed_on=date(2023, 4, 3), due=date(2023, 3, 31), on_time=False)))
    notify.clock.set(datetime(2023, 5, 1, 9, tzinfo=LOCAL_TZ))
    await notify.deliver()
    assert [m.to for m in notify.mailer.sent] == ["cong.hv@truongha.gov.vn"]
    assert await notify.statuses() == {"agency_head": "delivered"}


async def test_delivery_waits_for_notifys_directory_to_know_the_agency():
    notify = Notify()
    await notify.register(HEAD)
    [escalation_id] = await notify.receive([MISSED])
    assert (await notify.deliver()).waiting == 1
    shown = await views.get_notification(notify.store, escalation_id)
    assert shown["status"] == "pending" and "directory" in shown["reason"]
    await notify.receive(DIRECTORY)
    assert (await notify.deliver()).delivered == 1


async def test_no_event_notify_stores_carries_an_address_or_a_phone(notify):
    await notify.register(HEAD)
    await notify.register(CHAIRMAN)
    await notify.receive([MISSED])
    notify.clock.set(datetime(2023, 4, 10, 9, tzinfo=LOCAL_TZ))
    await notify.deliver()
    await notify.deliver()
    stored = await notify.all_events()
    assert len(stored) == 4
    text = json.dumps([e.model_dump(mode="json") for e in stored], ensure_ascii=False)
    for secret in ("cong.hv@truongha.gov.vn", "chutich@truongha.gov.vn", "0912 345 678", "@"):
        assert secret not in text


async def test_the_contact_registered_last_for_a_head_is_the_one_used(notify):
    await notify.register(HEAD)
    notify.clock.advance(timedelta(minutes=1))
    await notify.register(RegisterContact(contact_id="ca-xa.new-address", agency_id="ca-xa", role=Responsibility.agency_head,
                                          name="Hoàng Văn Công", email="Cong.New@TruongHa.gov.vn"))
    await notify.receive([MISSED])
    await notify.deliver()
    assert [m.to for m in notify.mailer.sent] == ["Cong.New@truongha.gov.vn"]
