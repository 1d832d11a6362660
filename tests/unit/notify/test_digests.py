"""Digests: one message per recipient, most overdue first, each item saying why; grouping timers; inhibition; replay."""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime, timedelta

from schemas.notify import Responsibility
from schemas.tasks import TaskDeadlineChanged
from services.notify import views
from services.notify.handlers.repository import DELIVERIES, RETRY_AT
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import Notify, assigned, completed, directory_events, email_of, events_from, missed

NOW = datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ)


async def with_directory(start: datetime = NOW) -> Notify:
    notify = Notify(start)
    await notify.receive(directory_events())
    await notify.contacts_for_everyone()
    return notify


async def test_three_hundred_overdue_items_for_one_head_make_one_digest_sorted_by_days_overdue():
    notify = await with_directory()
    batch = []
    for n in range(300):
        due = date(2026, 3, 31) - timedelta(days=n % 5)  # 1 to 5 days overdue
        batch += assigned(f"t{n}", due) + missed(f"t{n}", due)
    await notify.receive(batch)
    await notify.settle()
    [digest] = notify.sent_to("vp-xa")
    assert digest.subject == "[tiendo] 300 nhiệm vụ quá hạn (lâu nhất 5 ngày)"
    days = [int(line.split("Quá hạn ")[1].split(" ngày")[0]) for line in digest.body.splitlines() if "[Quá hạn" in line]
    assert len(days) == 300 and days == sorted(days, reverse=True)
    assert len(notify.sent_to("ca-xa")) == 1 and len(notify.mailer.sent) == 2  # the head, and the standing body in copy
    assert notify.mailer.batches[-1] == 2  # both travel in one SMTP batch


async def test_items_arriving_within_the_group_wait_travel_together_and_news_waits_for_the_group_interval():
    notify = await with_directory()
    await notify.receive(assigned("a", date(2026, 3, 31)) + missed("a", date(2026, 3, 31)))
    await notify.tick()
    notify.clock.advance(timedelta(seconds=10))
    await notify.receive(assigned("b", date(2026, 3, 30)) + missed("b", date(2026, 3, 30)))
    await notify.tick()
    assert notify.mailer.sent == []  # still inside the group wait
    notify.clock.advance(timedelta(seconds=20))
    await notify.tick()
    [first] = notify.sent_to("vp-xa")
    assert "Nhiệm vụ a" in first.body and "Nhiệm vụ b" in first.body
    await notify.receive(assigned("c", date(2026, 3, 31)) + missed("c", date(2026, 3, 31)))
    notify.clock.advance(timedelta(minutes=1))
    await notify.tick()
    assert len(notify.sent_to("vp-xa")) == 1  # the group interval (5 minutes) is not over
    notify.clock.advance(timedelta(minutes=4))
    await notify.tick()
    second = notify.sent_to("vp-xa")[1]
    assert "[Quá hạn 1 ngày, mới] III.2.b Nhiệm vụ c" in second.body and "Nhiệm vụ a" in second.body  # the whole list, news marked


async def test_every_entry_says_why_plan_clause_due_original_and_adjusted_rung_rule_and_what_to_do():
    notify = await with_directory()
    await notify.receive(assigned("t1", date(2026, 3, 15)) + missed("t1", date(2026, 3, 15)))
    extended = TaskDeadlineChanged(task_id="t1", original_due=date(2026, 3, 15), previous_due=date(2026, 3, 15), new_due=date(2026, 3, 31))
    await notify.receive(events_from("task-t1", extended))  # the old deadline's item is resolved; the new one passes too
    assert [i["item_id"] for i in await views.open_items(notify.store)] == []
    await notify.receive(missed("t1", date(2026, 3, 31)))
    await notify.settle()
    [mail] = notify.sent_to("vp-xa")
    body = mail.body
    assert body.startswith("Kính gửi: Đồng chí Triệu Thị Lan, Chánh Văn phòng (Văn phòng HĐND và UBND xã Trường Hà).")
    for fact in ("Kế hoạch 32/KH-UBND, mục III.2.b", "Hạn hoàn thành: 31/03/2026 (đã điều chỉnh; hạn ban đầu 15/03/2026)",
                 "Quá hạn 1 ngày", "bậc 1 (default:commune v1: quá hạn từ 0 ngày)", "báo cáo tiến độ", "đề nghị gia hạn",
                 "xác nhận và hẹn ngày hoàn thành: http://notify.test/ack/"):
        assert fact in body, fact
    assert unicodedata.normalize("NFC", body) == body and unicodedata.normalize("NFC", mail.subject) == mail.subject
    assert "<table" in mail.html and "Kế hoạch 32/KH-UBND, mục III.2.b" in mail.html
    [copy] = notify.sent_to("ca-xa")
    assert "đồng gửi" in copy.body and "/ack/" not in copy.body  # the standing body is copied, not asked to acknowledge


async def test_a_recipient_who_prefers_english_gets_english_with_the_vietnamese_names():
    notify = await with_directory()
    await notify.contact(Responsibility.agency_head, "vp-xa", language="en", name="Triệu Thị Lan")
    await notify.receive(assigned("t1", date(2026, 3, 31)) + missed("t1", date(2026, 3, 31)))
    await notify.settle()
    [mail] = notify.sent_to("vp-xa")
    assert mail.subject == "[tiendo] 1 overdue task (longest 1 days)"
    assert mail.body.startswith("Dear Triệu Thị Lan, Chánh Văn phòng (Văn phòng HĐND và UBND xã Trường Hà),")
    assert "1 days overdue" in mail.body and "Kế hoạch 32/KH-UBND, clause III.2.b" in mail.body


async def test_a_child_tasks_escalation_folds_into_its_overdue_parents_message():
    notify = await with_directory()
    await notify.receive(assigned("parent", date(2026, 3, 31), lead="ca-huyen"))
    await notify.receive(assigned("child", date(2026, 3, 31), lead="tp-xa", parent="parent"))  # the commune's task implements the district's
    await notify.receive(missed("parent", date(2026, 3, 31), lead="ca-huyen") + missed("child", date(2026, 3, 31), lead="tp-xa"))
    await notify.settle()
    assert notify.sent_to("tp-xa") == []  # the child's head is not mailed on its own
    [parent] = notify.sent_to("ca-huyen")
    assert "Nhiệm vụ parent" in parent.body and "Nhiệm vụ cấp dưới (gộp vào đây):" in parent.body and "Nhiệm vụ child" in parent.body
    await notify.receive(completed("parent", date(2026, 4, 2), lead="ca-huyen"))
    notify.clock.advance(timedelta(days=1))
    await notify.settle()
    [child] = notify.sent_to("tp-xa")  # the parent done, the child escalates on its own
    assert "Nhiệm vụ child" in child.body


async def test_redelivered_and_replayed_input_sends_nothing_twice():
    notify = await with_directory()
    batch = assigned("t1", date(2026, 3, 31)) + missed("t1", date(2026, 3, 31))
    await notify.receive(batch)
    await notify.settle()
    before = (len(notify.mailer.sent), len(await notify.all_events()))
    await notify.receive(directory_events() + batch)  # redelivery and a replay from offset 0
    await notify.settle()
    notify.clock.advance(timedelta(hours=2))
    await notify.settle()
    assert (len(notify.mailer.sent), len(await notify.all_events())) == before
    await notify.receive(completed("t1", date(2026, 4, 1)))
    resolved = len(await notify.all_events())
    await notify.receive(completed("t1", date(2026, 4, 1)) + batch)
    assert len(await notify.all_events()) == resolved


async def test_a_historic_plan_with_thirty_seven_tasks_long_overdue_gives_one_digest_per_recipient():
    notify = await with_directory(datetime(2026, 11, 2, 9, tzinfo=LOCAL_TZ))
    leads = ["vp-xa", "tp-xa", "ca-xa"]
    batch = []
    for n in range(37):
        due = date(2023, 3, 31) + timedelta(days=30 * (n % 6))
        batch += assigned(f"h{n}", due, lead=leads[n % 3]) + missed(f"h{n}", due, lead=leads[n % 3])
    await notify.receive(batch)
    await notify.settle()
    per_address = {}
    for mail in notify.mailer.sent:
        per_address[mail.to] = per_address.get(mail.to, 0) + 1
    assert set(per_address.values()) == {1}  # one digest each, not 37 mails
    assert email_of("cao-bang.unit_head") in per_address  # years overdue: the ladder has reached the province
    assert email_of("vp-xa.agency_head") in per_address and "13 nhiệm vụ quá hạn" in notify.sent_to("vp-xa")[0].subject
    raised = [e for e in await notify.all_events() if e.event_type == "EscalationRaised"]
    assert len(raised) == 37 and {e.payload["rung"] for e in raised} == {4}  # one event per item: the rung reached, not each below


async def test_no_event_notify_stores_carries_an_address_or_a_phone():
    notify = await with_directory()
    await notify.contact(Responsibility.agency_head, "vp-xa", phone="0912 345 678")
    await notify.receive(assigned("t1", date(2026, 3, 31)) + missed("t1", date(2026, 3, 31)))
    await notify.settle()
    text = json.dumps([e.model_dump(mode="json") for e in await notify.all_events()], ensure_ascii=False)
    assert "NotificationDelivered" in text
    for secret in ("@example.vn", "0912 345 678", "0912345678"):
        assert secret not in text
    assert not re.search(r"[A-Za-z0-9._-]+@[A-Za-z0-9-]+\.[A-Za-z]", text)  # no address at all (item ids are task@due)


async def test_an_item_whose_view_was_lost_after_its_events_were_stored_is_rebuilt_on_redelivery():
    notify = await with_directory()
    batch = assigned("t1", date(2026, 3, 31)) + missed("t1", date(2026, 3, 31))
    await notify.receive(batch)
    await notify.store.delete("items", "t1@2026-03-31")  # a store without transactions stopped between the two writes
    await notify.receive(batch)
    [shown] = await views.open_items(notify.store)
    assert (shown["item_id"], shown["rung"]) == ("t1@2026-03-31", 1)


async def test_a_send_pass_cut_short_after_recording_records_each_delivery_once_when_it_runs_again():
    notify = await with_directory()
    for task_id, lead in (("t1", "vp-xa"), ("t2", "ca-xa")):
        await notify.receive(assigned(task_id, date(2026, 3, 31), lead=lead) + missed(task_id, date(2026, 3, 31), lead=lead))
    await notify.settle()
    sent = await notify.store.find(DELIVERIES, status="sent")
    assert len(sent) >= 4  # two recipients at least, inbox and e-mail each, recorded together
    lagging = sent[0]  # its event is stored; its view says pending again (as if the pass stopped before the view)
    await notify.store.put(DELIVERIES, lagging["delivery_id"], {**lagging, "status": "pending", "attempt": 0, RETRY_AT: notify.clock.now().isoformat()})
    await notify.tick()
    delivered = [e.stream_id for e in await notify.all_events() if e.event_type == "NotificationDelivered"]
    assert len(delivered) == len(set(delivered)) == len(sent)  # nothing recorded twice
    assert (await notify.store.get(DELIVERIES, lagging["delivery_id"]))["status"] == "sent"
