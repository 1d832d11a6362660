"""The e-mail text: Vietnamese first with its diacritics, English below; it names the task, date, plan, agency and head."""
from __future__ import annotations

import unicodedata
from datetime import date

from schemas.notify import Responsibility
from services.notify.domain.message import OverdueTask, Recipient, render

TASK = OverdueTask(
    task_id="kh-32.1", code="1.1", content="Tham mưu ban hành Kế hoạch triển khai Đề án 06", due=date(2023, 3, 31),
    plan_id="kh-32", plan_number="32/KH-UBND", plan_title="Kế hoạch triển khai Đề án 06 năm 2023",
    agency_name="Công an xã Trường Hà", unit_name="Xã Trường Hà",
)
HEAD = Recipient(title="Trưởng Công an xã", name="Hoàng Văn Công", of="Công an xã Trường Hà")
CHAIRMAN = Recipient(title="Chủ tịch UBND", name="Lê Thị Xã", of="Xã Trường Hà")


def test_the_subject_names_the_task_in_vietnamese_then_english():
    message = render(TASK, HEAD, Responsibility.agency_head, date(2023, 4, 1))
    assert message.subject == "[tiendo] Nhiệm vụ quá hạn: 1.1 Tham mưu ban hành Kế hoạch triển khai Đề án 06 / Overdue task"


def test_the_text_keeps_its_diacritics_in_composed_form():
    message = render(TASK, HEAD, Responsibility.agency_head, date(2023, 4, 1))
    for text in (message.subject, message.body):
        assert unicodedata.normalize("NFC", text) == text
    assert "quá hạn" in message.body and "Kính gửi" in message.body and "Trân trọng" in message.body


def test_the_body_names_the_task_due_date_plan_agency_and_head_vietnamese_first():
    body = render(TASK, HEAD, Responsibility.agency_head, date(2023, 4, 1)).body
    vietnamese, english = body.split("-" * 64)
    assert "Kính gửi: Đồng chí Hoàng Văn Công, Trưởng Công an xã (Công an xã Trường Hà)." in vietnamese
    for fact in ("1.1 Tham mưu ban hành Kế hoạch triển khai Đề án 06", "31/03/2023", "Kế hoạch số 32/KH-UBND",
                 "Kế hoạch triển khai Đề án 06 năm 2023", "do Công an xã Trường Hà chủ trì", "quá hạn 1 ngày"):
        assert fact in vietnamese, fact
    assert "Dear Hoàng Văn Công, Trưởng Công an xã (head of Công an xã Trường Hà)," in english
    for fact in ("was due on 31/03/2023", "plan 32/KH-UBND", "led by Công an xã Trường Hà", "1 day overdue"):
        assert fact in english, fact


def test_the_chairman_is_told_how_long_the_task_has_been_overdue_and_who_leads_it():
    message = render(TASK, CHAIRMAN, Responsibility.unit_head, date(2023, 4, 7))
    assert message.subject.startswith("[tiendo] Nhiệm vụ quá hạn 7 ngày: 1.1 ")
    assert message.subject.endswith("/ Task overdue 7 days")
    assert "Kính gửi: Đồng chí Lê Thị Xã, Chủ tịch UBND (Xã Trường Hà)." in message.body
    assert "xem xét trách nhiệm người đứng đầu" in message.body and "chairman of Xã Trường Hà" in message.body


def test_a_long_task_is_shortened_in_the_subject_but_whole_in_the_body():
    long = TASK.__class__(**{**TASK.__dict__, "content": "Rà soát, cập nhật, làm sạch dữ liệu " * 10})
    message = render(long, HEAD, Responsibility.agency_head, date(2023, 4, 1))
    assert "…" in message.subject and len(message.subject) < 140
    assert ("Rà soát, cập nhật, làm sạch dữ liệu " * 10).strip() in message.body


def test_a_head_without_a_known_name_is_greeted_by_title():
    message = render(TASK, Recipient(title="Trưởng Công an xã", name=None, of="Công an xã Trường Hà"), Responsibility.agency_head,
                     date(2023, 4, 1))
    assert "Kính gửi: Trưởng Công an xã (Công an xã Trường Hà)." in message.body
