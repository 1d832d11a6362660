"""A catalogue of bad records on the event topics: each gets its specific answer on the dead-letter
topic (the reason and the consumer that refused it) and nothing of it is applied or half-written.

The HTTP, command-topic and importer parts of the trust issue's catalogue are not here yet.
"""
from __future__ import annotations

import asyncio
import json
import uuid
from datetime import datetime, timezone

import pytest

from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS
from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.runtime.deadletter_cli import read_dead_letters
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.kafka import produce
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, PROVINCE, commune_plan, register_hierarchy, standing_body

NOW = datetime(2023, 3, 20, 2, tzinfo=timezone.utc).isoformat()
READS = [f"/units/{PROVINCE}/summary", f"/units/{COMMUNE}/tasks", "/tasks/kh-32.1", "/tasks/kh-32.2"]


def envelope(event_type: str, stream_id: str, version: int, payload: dict, **changes) -> dict:
    body = {"event_id": str(uuid.uuid4()), "event_type": event_type, "schema_version": 1, "stream_id": stream_id,
            "stream_version": version, "occurred_at": NOW, "recorded_at": NOW, "correlation_id": "catalogue", "actor": "forger",
            "payload": payload}
    body.update(changes)
    return body


REPORT = {"task_id": "kh-32.1", "agency_id": "ca-xa", "status": "in_progress", "progress": 50}
DONE = {"task_id": "kh-32.1", "agency_id": "ca-xa", "completed_on": "2023-03-20", "on_time": True}
ASSIGNED = {"task_id": "huge.1", "plan_id": "huge", "unit_id": COMMUNE, "content": "x" * 600_000, "lead": "ca-xa"}

# (case, topic, value, headers, consumer that refuses it, words of the reason)
CASES = [
    ("not-utf8", TASKS_EVENTS, b"\xff\xfe not json", {}, "reporting.projection", "UnicodeDecodeError"),
    ("not-json", TASKS_EVENTS, b"{event_type: StatusReported", {}, "reporting.projection", "JSONDecodeError"),
    ("json-list", TASKS_EVENTS, b"[1, 2, 3]", {}, "reporting.projection", "ValidationError"),
    ("no-event-id", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, REPORT, event_id=None), {}, "reporting.projection", "event_id"),
    ("bad-event-id", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, REPORT, event_id="not-a-uuid"), {}, "reporting.projection", "event_id"),
    ("unknown-type", TASKS_EVENTS, envelope("TaskDeleted", "task-kh-32.1", 2, REPORT), {}, "reporting.projection", "unknown event_type 'TaskDeleted'"),
    ("payload-missing", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, {"task_id": "kh-32.1"}), {}, "reporting.projection", "agency_id"),
    ("payload-extra", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, {**REPORT, "admin": True}), {}, "reporting.projection", "admin"),
    ("progress-101", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, {**REPORT, "progress": 101}), {}, "reporting.projection", "progress"),
    ("bad-status", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, {**REPORT, "status": "finished"}), {}, "reporting.projection", "status"),
    ("version-0", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 0, REPORT), {}, "reporting.projection", "stream_version"),
    ("naive-time", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, REPORT, occurred_at="2023-03-20T09:00:00"), {},
     "reporting.projection", "occurred_at"),
    ("empty-actor", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, REPORT, actor=""), {}, "reporting.projection", "actor"),
    ("schema-99", TASKS_EVENTS, envelope("TaskCompleted", "task-kh-32.1", 2, DONE, schema_version=99), {}, "reporting.projection",
     "schema_version 99 is newer than this consumer knows"),
    ("future-999", TASKS_EVENTS, envelope("TaskCompleted", "task-kh-32.1", 999, DONE), {}, "reporting.projection", "version 999 would skip"),
    ("lying-headers", TASKS_EVENTS, envelope("TaskCompleted", "task-kh-32.1", 2, DONE), {"stream_id": "task-kh-32.1", "stream_version": "1"},
     "reporting.projection", None),  # claims an applied version: skipped unread, never applied
    # refused by its schema's bounds (content ≤ 10,000 characters) before its size: by whichever consumer of the topic reads it
    ("too-large-assignment", PLANS_EVENTS, envelope("TaskAssigned", "plan-huge", 1, ASSIGNED), {}, None,
     "content: String should have at most 10000 characters"),
]


@pytest.mark.timeout(300)
async def test_every_bad_record_is_refused_with_its_reason_and_nothing_is_applied(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    reporting_app = await create_reporting(settings_for(broker, tmp_path, "reporting"))
    async with running(plans_app) as plans, running(tasks_app) as tasks, running(reporting_app) as reporting:
        await register_hierarchy(plans)
        assert (await plans.post("/plans", json=commune_plan(), headers=standing_body(plans))).status_code == 201
        await eventually(lambda: _has_tasks(reporting, 3), timeout=90, what="the plan's tasks in reporting")
        seen: list = []

        async def settled():  # the deadline scanner marks the 2023 tasks missed soon after they arrive: wait for it
            now = [(await reporting.get(path)).json() for path in READS]
            seen.append(now)
            return len(seen) > 1 and seen[-2] == now and now

        before = await eventually(settled, timeout=60, interval=2, what="reporting to settle after the deadline scan")

        for case, topic, value, headers, _, _ in CASES:
            raw = value if isinstance(value, bytes) else json.dumps(value).encode()
            await asyncio.to_thread(produce, broker, topic, raw, f"catalogue-{case}", headers)

        expected = {f"catalogue-{case}": (consumer, words) for case, _, _, _, consumer, words in CASES if words}

        async def all_dead_lettered():
            found = {}
            for record in await read_dead_letters(broker):
                key = (record.key or b"").decode()
                if key in expected:
                    found[key] = {k: v.decode() for k, v in record.headers}
            return found if set(found) == set(expected) else None

        dead = await eventually(all_dead_lettered, timeout=180, interval=1, what="every bad record on the dead-letter topic")
        for key, (consumer, words) in expected.items():
            assert consumer is None or dead[key]["consumer"] == consumer, (key, dead[key])
            assert words in dead[key]["error"], (key, dead[key])
        assert [(await reporting.get(path)).json() for path in READS] == before  # nothing applied
        assert await tasks_app.state.runtime.store.load("task-huge.1") == []  # nothing half-written
        assert (await tasks.get("/tasks/huge.1")).status_code == 404


async def _has_tasks(reporting, n: int) -> bool:
    response = await reporting.get(f"/units/{COMMUNE}/tasks")
    return response.status_code == 200 and len(response.json()["tasks"]) >= n


def command(token: str | None, **fields) -> bytes:
    body = {"command_id": str(uuid.uuid4()), "task_id": "kh-32.2", "status": "in_progress", "progress": 40, **fields}
    if token is not None:
        body["token"] = token
    return json.dumps(body).encode()


@pytest.mark.timeout(300)
async def test_every_bad_command_is_refused_with_its_reason_and_no_token_is_kept(broker, tmp_path):
    from schemas.catalog import TASKS_COMMANDS

    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    async with running(plans_app) as plans, running(tasks_app) as tasks:
        tokens = await register_hierarchy(plans)
        assert (await plans.post("/plans", json=commune_plan(), headers=standing_body(plans))).status_code == 201
        await eventually(lambda: _task_known(tasks, "kh-32.2"), timeout=90, what="the task in tasks")
        lead = tokens["tp-xa"]  # kh-32.2: lead tp-xa, support ca-xa; vp-xa has no part in it
        cases = [
            ("not-utf8", b"\xff\xfe", "invalid command"),
            ("not-json", b"{task_id: kh-32.2", "invalid command"),
            ("json-list", b"[]", "invalid command"),
            ("no-token", command(None), "invalid command"),
            ("forged-token", command("agency.ca-xa.forged-signature"), "unauthorized"),
            ("viewer-token-shape", command("viewer.cao-bang.x"), "unauthorized"),
            ("unknown-task", command(lead, task_id="no-such-task"), "not found"),
            ("not-its-task", command(tokens["vp-xa"]), "forbidden"),
            ("progress-101", command(lead, progress=101), "invalid command"),
            ("negative-progress", command(lead, progress=-1), "invalid command"),
            ("bad-status", command(lead, status="finished"), "invalid command"),
            ("stale-version", command(lead, expected_version=99), "version conflict"),
        ]
        for case, value, _ in cases:
            await asyncio.to_thread(produce, broker, TASKS_COMMANDS, value, f"cmd-{case}")
        expected = {f"cmd-{case}": words for case, _, words in cases}

        async def all_dead_lettered():
            found = {(r.key or b"").decode(): r for r in await read_dead_letters(broker) if (r.key or b"").decode() in expected}
            return found if set(found) == set(expected) else None

        dead = await eventually(all_dead_lettered, timeout=180, interval=1, what="every bad command on the dead-letter topic")
        for key, words in expected.items():
            headers = {k: v.decode() for k, v in dead[key].headers}
            assert headers["consumer"] == "tasks.commands" and headers["error"].startswith(words), (key, headers["error"])
            for secret in tokens.values():
                assert secret.encode() not in dead[key].value, key  # dead letters never carry a credential
        stream = await tasks_app.state.runtime.store.load("task-kh-32.2")
        assert "StatusReported" not in [e.event_type for e in stream]  # nothing applied (the clock is 2026: DeadlineMissed may be there)


async def _task_known(tasks, task_id: str) -> bool:
    return (await tasks.get(f"/tasks/{task_id}")).status_code == 200
