"""notify → its topic → reporting's live views → the dashboard, on the real bundled broker with SQLite stores.

plans, tasks, notify and reporting run in this process. A task misses its deadline, notify escalates it and
the head of the lead agency acknowledges it over notify's API; reporting's escalations page and the task's
timeline show each step, with roles and never the heads' names.
"""
from __future__ import annotations

import re
from datetime import datetime

from services.notify.bootstrap import create_app as create_notify
from services.notify.settings import NotifySettings
from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, PROVINCE, commune_plan, register_hierarchy, standing_body

ITEM = "kh-32.1@2023-03-31"
HEAD = "Trưởng Công an xã, Công an xã Trường Hà"


async def test_an_escalation_and_its_acknowledgement_reach_the_dashboard_through_the_topic(broker, tmp_path):
    clock = ManualClock(datetime(2023, 3, 20, 9, tzinfo=LOCAL_TZ))
    notify_app = await create_notify(NotifySettings(**settings_for(broker, tmp_path, "notify").model_dump(), group_wait_seconds=0), clock=clock)
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"), clock=clock)
    reporting_app = await create_reporting(settings_for(broker, tmp_path, "reporting"), clock=clock)
    async with running(plans_app) as plans, running(tasks_app) as tasks, running(notify_app) as notify, running(reporting_app) as reporting:
        keys = await register_hierarchy(plans)
        assert (await plans.post("/plans", json=commune_plan(), headers=standing_body(plans))).status_code == 201

        async def task_known():
            return (await tasks.get("/tasks/kh-32.1")).status_code == 200

        await eventually(task_known, timeout=60, what="tasks to learn kh-32.1")
        report = {"status": "in_progress", "progress": 40, "summary": "Đã có dự thảo kế hoạch", "obstacles": "Chờ ý kiến Văn phòng"}
        assert (await tasks.post("/tasks/kh-32.1/status", json=report, headers={"Authorization": f"Bearer {keys['ca-xa']}"})).status_code == 201
        clock.set(datetime(2023, 4, 3, 9, tzinfo=LOCAL_TZ))  # three days overdue: rung 1, the lead agency's head

        async def escalated():
            page = await reporting.get(f"/dashboard/{PROVINCE}/escalations")
            return page.text if f'data-item="{ITEM}"' in page.text else None

        html = await eventually(escalated, timeout=60, what="reporting to show notify's item on the escalations page")
        row = html[html.index(f'data-item="{ITEM}"'):]
        assert _figure(row, "rung").startswith("1/") and _figure(row, "days_overdue") == "3" and _figure(row, "told") == HEAD
        assert _figure(row, "acknowledged") == "Chưa xác nhận"

        ack = {"note": "Đã giao cán bộ hoàn thiện dự thảo", "expected_on": "2023-04-10"}
        done = await notify.post(f"/escalations/{ITEM}/acknowledgement", json=ack, headers={"Authorization": f"Bearer {keys['ca-xa']}"})
        assert done.status_code == 201, done.text

        async def acknowledged():
            page = await reporting.get(f"/dashboard/{COMMUNE}/escalations")
            return page.text if "10/04/2023" in page.text else None

        row = (await eventually(acknowledged, timeout=60, what="the acknowledgement to reach reporting")).split(f'data-item="{ITEM}"')[1]
        assert _figure(row, "acknowledged") == f"{HEAD} (03/04/2023)" and _figure(row, "until") == "10/04/2023"

        timeline = (await reporting.get("/dashboard/tasks/kh-32.1")).text
        kinds = re.findall(r'data-kind="([a-z_]+)"', timeline)
        assert kinds == ["assigned", "report", "missed", "escalation_started", "escalation", "acknowledged"], kinds
        assert "Đã có dự thảo kế hoạch" in timeline and "Chờ ý kiến Văn phòng" in timeline and "Hạn xử lý 10/04/2023" in timeline
        for name in ("Hoàng Văn Công", "Lê Thị Xã", "Nguyễn Văn Tỉnh"):  # heads' names stay out of every page
            assert name not in timeline and name not in row


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, f"no {name} in {html[:300]}"
    return match.group(1).strip()
