"""Plans and tasks in this process, on the real bundled broker and SQLite stores."""
from __future__ import annotations

import uuid

from services.plans.bootstrap import create_app as create_plans
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import commune_plan, register_hierarchy, standing_body


async def test_an_issued_plan_becomes_tasks_an_agency_can_report_on(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    async with running(plans_app) as plans, running(tasks_app) as tasks:
        tokens = await register_hierarchy(plans)
        issued = await plans.post("/plans", headers=standing_body(plans), json=commune_plan())
        assert issued.status_code == 201, issued.text

        async def task_known():
            r = await tasks.get("/tasks/kh-32.1")
            return r.json() if r.status_code == 200 else None

        task = await eventually(task_known, timeout=60, what="tasks to learn kh-32.1 from plans' TaskAssigned")
        assert task["lead"] == "ca-xa" and task["due"] == "2023-03-31"

        auth = {"Authorization": f"Bearer {tokens['ca-xa']}"}
        body = {"status": "in_progress", "progress": 40, "summary": "Đã dự thảo kế hoạch"}
        reported = await tasks.post("/tasks/kh-32.1/status", json=body, headers=auth)
        assert reported.status_code == 201, reported.text
        assert (await tasks.get("/tasks/kh-32.1")).json()["progress"] == 40

        # an agency that neither leads nor supports the task is refused
        other = {"Authorization": f"Bearer {tokens['tp-xa']}"}
        refused = await tasks.post("/tasks/kh-32.1/status", json=body, headers=other)
        assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
        # a stale expected version is a conflict
        stale = await tasks.post("/tasks/kh-32.1/status", json={**body, "expected_version": 1}, headers=auth)
        assert stale.status_code == 409
        # a schema-invalid body names the field
        invalid = await tasks.post("/tasks/kh-32.1/status", json={**body, "progress": 140}, headers=auth)
        assert invalid.status_code == 422 and invalid.json()["field"] == "progress"
        missing = await tasks.post(f"/tasks/{uuid.uuid4()}/status", json=body, headers=auth)
        assert missing.status_code == 404
