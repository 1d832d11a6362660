"""Crashes and restarts lose nothing and count nothing twice: a consumer killed mid-stream, the broker restarted."""
from __future__ import annotations

import asyncio

import pytest

from services.embedded.processes import ProcessGroup
from tests.support.polling import eventually
from tests.support.story import COMMUNE, PROVINCE, register_hierarchy, standing_body

pytestmark = pytest.mark.e2e
N_TASKS, ROUNDS = 50, 8


def big_plan() -> dict:
    tasks = [{"task_id": f"big.{i}", "content": f"Nhiệm vụ số {i}", "lead": "ca-xa", "timing": {"due": "2099-12-31"}} for i in range(N_TASKS)]
    return {"plan_id": "big", "unit_id": COMMUNE, "title": "Kế hoạch nhiều nhiệm vụ", "tasks": tasks}


async def issue_and_wait(system) -> str:
    plans, tasks = system.http["plans"], system.http["tasks"]
    token = (await register_hierarchy(plans))["ca-xa"]
    await system.view_as(PROVINCE)
    assert (await plans.post("/plans", headers=standing_body(plans), json=big_plan())).status_code == 201

    async def all_assigned():
        return len((await tasks.get("/tasks", params={"plan_id": "big"})).json()) == N_TASKS

    await eventually(all_assigned, timeout=90, what="every task to reach tasks")
    return token


async def send_round(system, token: str, progress: int) -> None:
    items = [{"task_id": f"big.{i}", "status": "in_progress", "progress": progress} for i in range(N_TASKS)]
    response = await system.http["tasks"].post("/status-reports", json=items, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["accepted"] == N_TASKS, response.text[:300]


async def reports_counted(system) -> int:
    summary = (await system.http["reporting"].get(f"/units/{PROVINCE}/summary")).json()
    return summary["reports"]["total"]


async def assert_every_report_counted_once(system, token: str, expected: int) -> None:
    await eventually(lambda: _at_least(system, expected), timeout=120, what=f"{expected} reports counted")
    # a sentinel after everything: once it is counted, anything counted twice would show too
    await send_round(system, token, 99)
    await eventually(lambda: _at_least(system, expected + N_TASKS), timeout=120, what="the sentinel round counted")
    assert await reports_counted(system) == expected + N_TASKS
    tasks = (await system.http["reporting"].get(f"/units/{COMMUNE}/tasks")).json()["tasks"]
    assert sorted(t["progress"] for t in tasks) == [99] * N_TASKS


async def _at_least(system, n: int) -> bool:
    return await reports_counted(system) >= n


async def test_a_reporting_process_killed_mid_stream_loses_and_double_counts_nothing(system):
    token = await issue_and_wait(system)
    group: ProcessGroup = system.group
    for progress in range(1, ROUNDS // 2 + 1):
        await send_round(system, token, progress)
    await eventually(lambda: _at_least(system, N_TASKS), timeout=60, what="reporting to be consuming")
    group.kill("reporting")  # SIGKILL, mid-stream: offsets of applied batches may not be committed
    for progress in range(ROUNDS // 2 + 1, ROUNDS + 1):
        await send_round(system, token, progress)
    group.start_service("reporting")
    await asyncio.to_thread(group.wait_healthy, ("reporting",))
    await assert_every_report_counted_once(system, token, N_TASKS * ROUNDS)


async def test_a_broker_restart_loses_and_double_counts_nothing(system):
    token = await issue_and_wait(system)
    group: ProcessGroup = system.group
    for progress in range(1, ROUNDS // 2 + 1):
        await send_round(system, token, progress)
    await eventually(lambda: _at_least(system, N_TASKS * ROUNDS // 2), timeout=60, what="the first half counted")
    group.kill("broker")  # the bundled broker keeps nothing: it comes back empty
    for progress in range(ROUNDS // 2 + 1, ROUNDS + 1):
        await send_round(system, token, progress)  # tasks keeps accepting: events wait in its event store
    group.start_broker()
    await assert_every_report_counted_once(system, token, N_TASKS * ROUNDS)
