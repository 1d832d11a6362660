"""Periodic reports on the command topic: SubmitPeriodicReport from another Kafka client (confluent-kafka), with the
agency's key in the command, validated as over HTTP, answered on the reply topic, refusals dead-lettered; reporting counts it."""
from __future__ import annotations

import asyncio
import json
import uuid

from schemas.catalog import DEAD_LETTER, TASKS_COMMANDS, TASKS_REPLIES
from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.auth import mint
from tests.support.kafka import keyed, produce, read_topic_async
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, commune_plan, register_hierarchy, standing_body

MONTHLY = {"schedule_id": "thang", "frequency": "monthly", "day_of_month": 14, "bound": ["agencies"], "recipient": "UBND xã",
           "raw": "Định kỳ hằng tháng, trước ngày 14"}
TARGET = {"indicator_id": "vneid", "name": "Tài khoản định danh điện tử", "value": 3500, "comparator": "above", "rollup": "sum"}


def submit(plan_id: str, token: str, **fields) -> tuple[str, bytes]:
    command_id = str(uuid.uuid4())
    body = {"command_id": command_id, "token": token, "plan_id": plan_id, "schedule_id": "thang", "period": "2026-01",
            "sections": {"results": "Đã kích hoạt 1.200 tài khoản"}, "indicators": [{"indicator_id": "vneid", "value": 1200}], **fields}
    return command_id, json.dumps(body).encode()


async def test_a_periodic_report_sent_on_the_command_topic_is_validated_like_http_answered_and_counted(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    reporting_app = await create_reporting(settings_for(broker, tmp_path, "reporting"))
    async with running(plans_app) as plans, running(tasks_app) as tasks, running(reporting_app) as reporting:
        tokens = await register_hierarchy(plans)
        plan = {**commune_plan(f"kh-{uuid.uuid4().hex[:6]}"), "issued_on": "2026-01-05", "reporting_schedules": [MONTHLY], "targets": [TARGET]}
        assert (await plans.post("/plans", headers=standing_body(plans), json=plan)).status_code == 201
        probe = {"plan_id": plan["plan_id"], "schedule_id": "nope", "period": "2026-01"}

        async def plan_known():  # tasks learns plans from the plans topic; an unknown schedule of a known plan names schedule_id
            answer = await tasks.post("/periodic-reports", json=probe, headers={"Authorization": f"Bearer {tokens['ca-xa']}"})
            return answer.json().get("field") == "schedule_id"

        await eventually(plan_known, timeout=90, what="tasks to learn the plan")

        accepted_id, accepted = submit(plan["plan_id"], tokens["ca-xa"])
        unit_id, for_unit = submit(plan["plan_id"], tokens["vp-xa"], for_unit=True)  # vp-xa is not the commune's standing body
        target_id, unknown_target = submit(plan["plan_id"], tokens["tp-xa"], indicators=[{"indicator_id": "khong-co", "value": 1}])
        period_id, bad_period = submit(plan["plan_id"], tokens["tp-xa"], period="2026-13")
        viewer_id, viewer = submit(plan["plan_id"], mint(tasks_app.state.runtime.settings.token_secret, "viewer", COMMUNE))
        sent = [(accepted_id, accepted), (accepted_id, accepted), (unit_id, for_unit), (target_id, unknown_target),
                (period_id, bad_period), (viewer_id, viewer)]
        for command_id, value in sent:
            await asyncio.to_thread(produce, broker, TASKS_COMMANDS, value, command_id)

        ids = [c for c, _ in sent]
        messages = await read_topic_async(broker, TASKS_REPLIES, lambda ms: all(len(keyed(ms, c)) >= ids.count(c) for c in set(ids)), timeout=90)
        ok, again = keyed(messages, accepted_id)[:2]
        assert ok["accepted"] is True and len(ok["event_ids"]) == 1 and not ok["duplicate"]
        assert again["accepted"] is True and again["duplicate"] is True and again["event_ids"] == []
        refusals = {c: keyed(messages, c)[0]["rejection"] for c in (unit_id, target_id, period_id, viewer_id)}
        assert (refusals[unit_id]["status"], refusals[unit_id]["field"]) == (403, "for_unit")
        assert (refusals[target_id]["status"], refusals[target_id]["field"]) == (422, "indicators.0.indicator_id")
        assert (refusals[period_id]["status"], refusals[period_id]["field"]) == (422, "period")
        assert (refusals[viewer_id]["status"], refusals[viewer_id]["field"]) == (401, "token")

        stream = await tasks_app.state.runtime.store.load(f"report-{plan['plan_id']}:thang:2026-01:agency:ca-xa")
        assert [(e.event_type, e.actor) for e in stream] == [("PeriodicReportSubmitted", "agency:ca-xa")]  # once, for the right agency

        async def counted():
            body = (await reporting.get(f"/units/{COMMUNE}/obligations", params={"period": "2026-01"})).json()
            return body if body.get("received") == 1 else None

        owed = await eventually(counted, timeout=90, what="reporting to count the report sent as a command")
        assert sorted(n["reporter"] for n in owed["non_reporters"]) == ["agency:tp-xa", "agency:vp-xa"]

        refused = set(refusals)
        dead = await read_topic_async(broker, DEAD_LETTER, lambda ms: refused <= {m.key().decode() for m in ms if m.key()}, timeout=60)
        assert accepted_id not in {m.key().decode() for m in dead if m.key()}
        assert not any(token in m.value().decode(errors="replace") for m in dead for token in tokens.values()), "a key was dead-lettered"
