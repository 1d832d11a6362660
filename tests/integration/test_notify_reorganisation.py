"""A reorganisation on the real broker: plans merges a commune into another, tasks transfers its open task, and
notify (its own consumers, its own store) escalates the overdue task to the successor commune's chairman.

The broker is this test's own (tests/conftest.py starts one per test), so no other test's events are on its topics;
the plan's id is made afresh for each run all the same.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from services.runtime.clock import LOCAL_TZ, ManualClock
from tests.integration.test_notify import plans_tasks_notify, register_with_contacts, smtp_server  # noqa: F401 (a fixture)
from tests.support.polling import eventually
from tests.support.story import COMMUNE, DISTRICT, commune_plan, standing_body

SUCCESSOR = "xa-truong-ha-moi"
NEW_CHAIRMAN = "chutich@truonghamoi.gov.vn"
OLD_CHAIRMAN = "chutich@truongha.gov.vn"


async def test_after_a_merger_the_overdue_task_of_the_ceased_commune_reaches_the_successors_chairman(broker, tmp_path, smtp_server):  # noqa: F811
    smtp_port, inbox = smtp_server
    clock = ManualClock(datetime(2023, 3, 20, 9, tzinfo=LOCAL_TZ))
    async with plans_tasks_notify(broker, tmp_path, smtp_port, clock) as (notify_app, _, plans, tasks, _):
        notify_store = notify_app.state.runtime.store
        await register_with_contacts(plans)
        successor = {"unit_id": SUCCESSOR, "name": "Xã Trường Hà Mới", "level": "commune", "parent_id": DISTRICT,
                     "head_name": "Đàm Văn Mới", "head_contact": {"email": NEW_CHAIRMAN}}
        (await plans.post("/units", json=successor)).raise_for_status()
        plan_id = f"kh-{uuid.uuid4().hex[:6]}"
        task_id = f"{plan_id}.1"
        assert (await plans.post("/plans", json=commune_plan(plan_id), headers=standing_body(plans))).status_code == 201

        async def task_known():
            return (await tasks.get(f"/tasks/{task_id}")).status_code == 200

        await eventually(task_known, timeout=60, what=f"tasks to learn {task_id}")
        merged = await plans.post("/reorganisations/merge", json={"unit_ids": [COMMUNE], "into": SUCCESSOR, "effective_on": "2023-03-25"})
        assert merged.status_code == 201, merged.text

        async def transferred():
            task = await notify_store.get("tasks", task_id)
            unit = await notify_store.get("units", COMMUNE)
            return task and task.get("unit_id") == SUCCESSOR and unit and unit.get("successor_id") == SUCCESSOR

        await eventually(transferred, timeout=60, what="notify to learn the merger and the task's transfer")
        clock.set(datetime(2023, 4, 10, 9, tzinfo=LOCAL_TZ))  # a Monday, 10 days overdue: rung 2, the chairman

        async def told_the_successor():
            return [m for m in inbox.to(NEW_CHAIRMAN) if "1.1 Tham mưu ban hành" in m.get_body(("plain",)).get_content()]

        [mail] = await eventually(told_the_successor, timeout=90, what="the digest to the successor commune's chairman")
        assert "Xã Trường Hà Mới" in mail.get_body(("plain",)).get_content()
        view = await notify_store.get("items", f"{task_id}@2023-03-31")
        assert view["unit_id"] == SUCCESSOR and view["rung"] >= 2
        assert not [m for m in inbox.to(OLD_CHAIRMAN) if "1.1 Tham mưu ban hành" in m.get_body(("plain",)).get_content()]
