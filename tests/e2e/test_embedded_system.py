"""The business story end to end: real processes, real broker, a real SMTP server."""
from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from schemas.catalog import TASKS_COMMANDS, TASKS_EVENTS
from services.runtime.credentials import issue_token
from tests.support.kafka import produce, read_topic_async
from tests.support.polling import eventually
from tests.support.story import COMMUNE, DISTRICT, PROVINCE, commune_plan, register_hierarchy

pytestmark = pytest.mark.e2e
HEAD_OF_JUSTICE = "phap.do@truongha.example.vn"


async def test_a_commune_plan_is_reported_on_falls_behind_and_the_head_is_emailed(system):
    plans, tasks, reporting, notify = (system.http[n] for n in ("plans", "tasks", "reporting", "notify"))
    tokens = await register_hierarchy(plans)
    await system.view_as(PROVINCE)
    contact = {"agency_id": "tp-xa", "role": "agency_head", "name": "Đỗ Văn Pháp", "email": HEAD_OF_JUSTICE}
    admin = {"Authorization": f"Bearer {issue_token('embedded-only-secret', 'admin', 'e2e')}"}  # the embedded run's secret
    assert (await notify.post("/contacts", json=contact, headers=admin)).status_code == 201
    assert (await plans.post("/plans", json=commune_plan())).status_code == 201

    async def assigned():
        return all([(await tasks.get(f"/tasks/kh-32.{n}")).status_code == 200 for n in (1, 2, 3)])

    await eventually(assigned, timeout=90, what="the three tasks to reach tasks")

    # the commune police report the first task done, over HTTP, on time
    done = {"status": "done", "progress": 100, "summary": "Đã ban hành kế hoạch",
            "evidence": {"document_number": "35/KH-UBND", "document_date": "2023-03-15", "issuer": "UBND xã Trường Hà"}}
    response = await tasks.post("/tasks/kh-32.1/status", json=done, headers={"Authorization": f"Bearer {tokens['ca-xa']}"})
    assert response.status_code == 201, response.text

    # the justice officer's system reports on the second task on the command topic, with another Kafka client
    command_id = str(uuid.uuid4())
    command = {"command_id": command_id, "task_id": "kh-32.2", "token": tokens["tp-xa"], "status": "in_progress", "progress": 30}
    await asyncio.to_thread(produce, system.layout.bootstrap, TASKS_COMMANDS, json.dumps(command).encode(), command_id)

    async def reported():
        return (await tasks.get("/tasks/kh-32.2")).json()["progress"] == 30

    await eventually(reported, timeout=60, what="the command-topic report to be applied")

    # time passes the second task's due date (30/06/2023) without it being done
    system.set_local_time(2023, 7, 1, 8, 0)

    async def province_counts():
        summary = (await reporting.get(f"/units/{PROVINCE}/summary")).json()
        total = summary["total"]
        return summary if (total.get("done_on_time"), total.get("overdue"), total.get("ongoing")) == (1, 1, 1) else None

    summary = await eventually(province_counts, timeout=60, what="province totals: 1 done on time, 1 overdue, 1 ongoing")
    assert [c["unit"]["unit_id"] for c in summary["children"]] == [DISTRICT]

    missed = await read_topic_async(system.layout.bootstrap, TASKS_EVENTS,
                                    lambda ms: any(json.loads(m.value())["event_type"] == "DeadlineMissed"
                                                   and json.loads(m.value())["payload"]["task_id"] == "kh-32.2" for m in ms), timeout=60)
    deadline_events = [json.loads(m.value()) for m in missed if json.loads(m.value())["event_type"] == "DeadlineMissed"]
    due_missed = [e["payload"] for e in deadline_events if e["payload"]["kind"] == "due"]
    assert [(e["task_id"], e["due"]) for e in due_missed] == [("kh-32.2", "2023-06-30")]
    # the recurring task is never overdue as a whole: each month without its lead's report is a miss of that month
    assert {e["payload"]["task_id"] for e in deadline_events if e["payload"]["kind"] == "period"} <= {"kh-32.3"}

    async def mailed():
        return system.inbox.to(HEAD_OF_JUSTICE)

    mails = await eventually(mailed, timeout=60, what="an e-mail to the head of the justice office")
    assert len(mails) == 1
    assert "quá hạn" in mails[0]["Subject"].lower()
    assert "30/06/2023" in mails[0].get_body(preferencelist=("plain",)).get_content()
    commune = (await reporting.get(f"/units/{COMMUNE}/summary")).json()
    assert commune["own"]["overdue"] == 1

    # the provincial leader's dashboard, in Vietnamese: the district to drill into, the overdue task and its lead
    page = (await reporting.get(f"/dashboard/{PROVINCE}")).text
    assert "Tiến độ thực hiện Đề án 06: Tỉnh Cao Bằng" in page and f"/dashboard/{DISTRICT}?lang=vi" in page
    assert "Đối chiếu, cập nhật dữ liệu hộ tịch" in page and "Công chức Tư pháp - Hộ tịch xã" in page and "30/06/2023" in page
    assert "Overdue and blocked tasks" in (await reporting.get(f"/dashboard/{PROVINCE}", params={"lang": "en"})).text
