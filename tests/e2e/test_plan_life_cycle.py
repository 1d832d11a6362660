"""A plan's life cycle end to end, as real processes: a condition declared, a deadline extended, a recurring task
judged month by month, a task done with its evidence, and the district level abolished."""
from __future__ import annotations

import json

import pytest

from schemas.catalog import TASKS_EVENTS
from tests.support.kafka import read_topic_async
from tests.support.polling import eventually
from tests.support.story import COMMUNE, DISTRICT, PROVINCE, register_hierarchy

pytestmark = pytest.mark.e2e
PLAN = {"plan_id": "kh-40", "unit_id": COMMUNE, "number": "40/KH-UBND", "title": "Kế hoạch triển khai Đề án 06 năm 2023",
        "issued_on": "2023-03-10", "issuer": "UBND xã Trường Hà",
        "reporting_schedules": [{"schedule_id": "r1", "frequency": "monthly", "day_of_month": 14, "recipient": "Công an xã"}],
        "tasks": [
            {"task_id": "kh-40.1", "content": "Triển khai thanh toán không dùng tiền mặt tại chợ xã", "lead": "vp-xa",
             "timing": {"condition": "Ngay sau khi có hướng dẫn của UBND huyện"}},
            {"task_id": "kh-40.2", "content": "Tuyên truyền về tài khoản định danh điện tử", "lead": "tp-xa",
             "timing": {"raw": "Thường xuyên", "recurring": True}}]}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_a_condition_declared_a_deadline_extended_a_recurring_task_judged_monthly_evidence_kept_and_districts_abolished(system):
    plans, tasks = system.http["plans"], system.http["tasks"]
    as_ = {name: {"Authorization": f"Bearer {token}"} for name, token in (await register_hierarchy(plans)).items()}
    issued = await plans.post("/plans", json=PLAN)
    assert issued.status_code == 201 and issued.json()["reporting_schedules"][0]["day_of_month"] == 14

    async def task(task_id: str):
        r = await tasks.get(f"/tasks/{task_id}")
        return r.json() if r.status_code == 200 else None

    waiting = await eventually(lambda: task("kh-40.1"), timeout=90, what="tasks to learn the plan")
    assert waiting["due"] is None and waiting["condition_immediately"] is True
    await eventually(lambda: task("kh-40.2"), timeout=30, what="the recurring task")

    # the commune's standing body declares the condition met: "ngay" gives the configured 7 days
    assert (await tasks.post("/tasks/kh-40.1/condition", json={}, headers=as_["vp-xa"])).status_code == 403
    assert (await tasks.post("/tasks/kh-40.1/condition", json={}, headers=as_["ca-xa"])).status_code == 201
    assert (await task("kh-40.1"))["due"] == "2023-03-22"
    twice = await tasks.post("/tasks/kh-40.1/condition", json={}, headers=as_["ca-xa"])
    assert twice.status_code == 409 and twice.json()["field"] == "condition"

    # the lead asks for more time; the standing body approves
    asked = await tasks.post("/tasks/kh-40.1/extensions", json={"reason": "Chờ ngân hàng lắp đặt", "proposed_due": "2023-04-30"},
                             headers=as_["vp-xa"])
    assert asked.status_code == 201, asked.text
    decided = await tasks.post(f"/tasks/kh-40.1/extensions/{asked.json()['request_id']}/decision", json={"approve": True},
                               headers=as_["ca-xa"])
    assert decided.status_code == 201
    assert ((await task("kh-40.1"))["due"], (await task("kh-40.1"))["original_due"]) == ("2023-04-30", "2023-03-22")

    # done with its evidence and an attachment checked by its content
    uploaded = await tasks.post("/tasks/kh-40.1/attachments", files={"file": ("bien-ban.pdf", PDF)}, headers=as_["vp-xa"])
    assert uploaded.status_code == 201, uploaded.text
    evidence = {"document_number": "41/BC-UBND", "document_date": "2023-03-15", "issuer": "UBND xã Trường Hà",
                "attachments": [uploaded.json()]}
    done = await tasks.post("/tasks/kh-40.1/status", json={"status": "done", "progress": 100, "evidence": evidence}, headers=as_["vp-xa"])
    assert done.status_code == 201, done.text

    # two months later: April and May passed their 14th without the justice officer's report, each a miss of its own
    system.set_local_time(2023, 5, 20, 9, 0)
    messages = await read_topic_async(system.layout.bootstrap, TASKS_EVENTS, lambda ms: sum(
        json.loads(m.value())["event_type"] == "DeadlineMissed" for m in ms) >= 2, timeout=60)
    missed = [json.loads(m.value())["payload"] for m in messages if json.loads(m.value())["event_type"] == "DeadlineMissed"]
    assert [(m["task_id"], m["kind"], m["period"], m["due"]) for m in missed] == [
        ("kh-40.2", "period", "2023-04", "2023-04-14"), ("kh-40.2", "period", "2023-05", "2023-05-14")]
    recurring = await task("kh-40.2")
    assert recurring["missed"] == [] and recurring["missed_periods"] == ["2023-04", "2023-05"]

    # the district level is abolished: the district's open task moves to the province; both trees still answer
    police = {"agency_id": "ca-huyen", "unit_id": DISTRICT, "name": "Công an huyện Hà Quảng", "head_title": "Trưởng Công an huyện"}
    assert (await plans.post("/agencies", json=police)).status_code == 201
    district_plan = {"plan_id": "hq-7", "unit_id": DISTRICT, "title": "Kế hoạch của huyện", "tasks": [
        {"task_id": "hq-7.1", "content": "Hướng dẫn các xã làm sạch dữ liệu", "lead": "ca-huyen", "timing": {"due": "2023-12-31"}}]}
    assert (await plans.post("/plans", json=district_plan)).status_code == 201
    await eventually(lambda: task("hq-7.1"), timeout=60, what="the district task")
    abolished = await plans.post("/reorganisations/abolish-level", json={"level": "district", "effective_on": "2023-05-20"})
    assert abolished.status_code == 201, abolished.text

    async def moved():
        found = await task("hq-7.1")
        return found if found and found["unit_id"] == PROVINCE else None

    assert (await eventually(moved, timeout=60, what="the district task to move to the province"))["transfers"][0]["from_unit"] == DISTRICT
    before = {u["unit_id"]: u["parent_id"] for u in (await plans.get("/directory/2023-05-19")).json()}
    after = {u["unit_id"]: u["parent_id"] for u in (await plans.get("/directory/2023-05-20")).json()}
    assert before[COMMUNE] == DISTRICT and after[COMMUNE] == PROVINCE and DISTRICT not in after
