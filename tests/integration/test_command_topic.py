"""Agency systems send ReportStatus on the command topic with another Kafka client; tasks answers on the reply topic."""
from __future__ import annotations

import asyncio
import json
import uuid

from schemas.catalog import DEAD_LETTER, PLANS_EVENTS, TASKS_COMMANDS, TASKS_REPLIES
from services.plans.bootstrap import create_app as create_plans
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.kafka import keyed, produce, read_topic_async
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import commune_plan, register_hierarchy


def command(task_id: str, token: str, **fields) -> tuple[str, bytes]:
    command_id = str(uuid.uuid4())
    body = {"command_id": command_id, "task_id": task_id, "token": token, "status": "in_progress", "progress": 60, **fields}
    return command_id, json.dumps(body).encode()


async def replies_to(broker: str, *command_ids: str) -> dict[str, list[dict]]:
    """Read the reply topic once until every command has as many replies as it was sent."""
    wanted = {c: command_ids.count(c) for c in command_ids}
    messages = await read_topic_async(broker, TASKS_REPLIES, lambda ms: all(len(keyed(ms, c)) >= n for c, n in wanted.items()), timeout=90)
    replies = {c: keyed(messages, c) for c in wanted}
    assert all(len(replies[c]) >= n for c, n in wanted.items()), f"replies missing: { {c: len(r) for c, r in replies.items()} }"
    return replies


async def test_commands_from_another_kafka_client_are_validated_answered_and_refusals_dead_lettered(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    async with running(plans_app) as plans, running(tasks_app) as tasks:
        tokens = await register_hierarchy(plans)
        plan = commune_plan(f"kh-{uuid.uuid4().hex[:6]}")
        assert (await plans.post("/plans", json=plan)).status_code == 201
        task_id = plan["tasks"][1]["task_id"]  # lead tp-xa, support ca-xa

        async def known():
            return (await tasks.get(f"/tasks/{task_id}")).status_code == 200

        await eventually(known, timeout=60, what="the task to reach tasks")

        accepted_id, accepted = command(task_id, tokens["ca-xa"])
        forbidden_id, forbidden = command(task_id, tokens["vp-xa"])
        invalid_id, invalid = command(task_id, tokens["tp-xa"], progress=101)
        for command_id, value in ((accepted_id, accepted), (accepted_id, accepted), (forbidden_id, forbidden), (invalid_id, invalid)):
            await asyncio.to_thread(produce, broker, TASKS_COMMANDS, value, command_id)
        await asyncio.to_thread(produce, broker, TASKS_COMMANDS, b"\xff not json", "garbage-1")

        replies = await replies_to(broker, accepted_id, accepted_id, forbidden_id, invalid_id)
        ok, again = replies[accepted_id]
        assert ok["accepted"] is True and len(ok["event_ids"]) == 1 and not ok["duplicate"]
        assert again["accepted"] is True and again["duplicate"] is True and again["event_ids"] == []
        task = (await tasks.get(f"/tasks/{task_id}")).json()  # a coordinating agency's report is its own part, beside the lead's
        assert task["progress"] == 0 and [(p["agency_id"], p["progress"]) for p in task["parts"]] == [("ca-xa", 60)]
        stream = await tasks_app.state.runtime.store.load(f"task-{task_id}")
        assert [e.event_type for e in stream].count("StatusReported") == 1  # the repeated command did nothing

        refused = replies[forbidden_id][0]
        assert refused["accepted"] is False and refused["rejection"]["status"] == 403
        bad = replies[invalid_id][0]
        assert bad["rejection"]["status"] == 422 and bad["rejection"]["field"] == "progress"

        dead = await read_topic_async(broker, DEAD_LETTER, lambda ms: {forbidden_id, invalid_id, "garbage-1"} <= {m.key().decode() for m in ms if m.key()}, timeout=60)
        dead_keys = {m.key().decode() for m in dead if m.key()}
        assert {forbidden_id, invalid_id, "garbage-1"} <= dead_keys
        assert accepted_id not in dead_keys


async def test_a_malformed_event_is_dead_lettered_and_the_consumer_keeps_going(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    async with running(plans_app) as plans, running(tasks_app) as tasks:
        await asyncio.to_thread(produce, broker, PLANS_EVENTS, b'{"event_type": "TaskAssigned", "payload": {}}', "poison-1")
        await asyncio.to_thread(produce, broker, PLANS_EVENTS, json.dumps({"event_type": "Nonsense"}).encode(), "poison-2")
        await register_hierarchy(plans)
        plan = commune_plan(f"kh-{uuid.uuid4().hex[:6]}")
        assert (await plans.post("/plans", json=plan)).status_code == 201

        async def known():
            return (await tasks.get(f"/tasks/{plan['tasks'][0]['task_id']}")).status_code == 200

        await eventually(known, timeout=60, what="the plan after the poison messages to reach tasks")
        dead = await read_topic_async(broker, DEAD_LETTER, lambda ms: {"poison-1", "poison-2"} <= {m.key().decode() for m in ms if m.key()}, timeout=60)
        errors = {m.key().decode(): dict(m.headers())["error"].decode() for m in dead if m.key() and m.key().decode().startswith("poison")}
        assert "ValidationError" in errors["poison-1"]
        assert "Nonsense" in errors["poison-2"] or "ValidationError" in errors["poison-2"]
