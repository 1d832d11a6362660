"""A key revoked at plans is refused by tasks once the revocation crosses the broker: over HTTP and on the command topic."""
from __future__ import annotations

import asyncio
import json
import uuid

from schemas.catalog import TASKS_COMMANDS, TASKS_REPLIES
from services.plans.bootstrap import create_app as create_plans
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.kafka import keyed, produce, read_topic_async
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import commune_plan, register_hierarchy, standing_body


async def test_a_revoked_agency_key_stops_working_in_tasks_and_the_rotated_one_works(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    async with running(plans_app) as plans, running(tasks_app) as tasks:
        old = (await register_hierarchy(plans))["ca-xa"]
        plan = commune_plan(f"kh-{uuid.uuid4().hex[:6]}")
        assert (await plans.post("/plans", headers=standing_body(plans), json=plan)).status_code == 201
        task_id = plan["tasks"][0]["task_id"]  # lead ca-xa
        report = {"status": "in_progress", "progress": 10}

        async def accepted_with_old_key():
            return (await tasks.post(f"/tasks/{task_id}/status", json=report, headers={"Authorization": f"Bearer {old}"})).status_code == 201

        await eventually(accepted_with_old_key, timeout=60, what="the task to reach tasks")
        key_id = next(c["key_id"] for c in (await plans.get("/credentials", params={"subject": "ca-xa"})).json())
        rotated = (await plans.post("/agencies/ca-xa/credentials", json={"overlap_hours": 0})).json()
        assert [r["key_id"] for r in rotated["retiring"]] == [key_id]

        async def old_key_refused():
            r = await tasks.post(f"/tasks/{task_id}/status", json=report, headers={"Authorization": f"Bearer {old}"})
            return r if r.status_code == 401 else None

        refused = await eventually(old_key_refused, timeout=60, what="tasks to learn the revocation from plans' topic")
        assert "revoked" in refused.json()["detail"] and old not in refused.text
        new = {"Authorization": f"Bearer {rotated['token']}"}
        assert (await tasks.post(f"/tasks/{task_id}/status", json={**report, "progress": 20}, headers=new)).status_code == 201

        command_id = str(uuid.uuid4())
        command = {"command_id": command_id, "task_id": task_id, "token": old, "status": "in_progress", "progress": 30}
        await asyncio.to_thread(produce, broker, TASKS_COMMANDS, json.dumps(command).encode(), command_id)
        replies = await read_topic_async(broker, TASKS_REPLIES, lambda ms: keyed(ms, command_id), timeout=60)
        rejection = keyed(replies, command_id)[0]["rejection"]
        assert rejection["status"] == 401 and "revoked" in rejection["detail"]
