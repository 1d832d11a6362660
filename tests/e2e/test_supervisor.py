"""The embedded run notices a dead broker or service, starts it again and says so; nothing is lost."""
from __future__ import annotations

import os
import signal

import pytest

from services.embedded.supervisor import Supervisor
from tests.e2e.test_reliability import N_TASKS, issue_and_wait, reports_counted, send_round
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


async def test_a_killed_broker_and_a_killed_service_are_started_again_and_count_every_report(system):
    said: list[str] = []
    supervisor = Supervisor(system.group, say=said.append, interval=0.2)
    supervisor.start()
    try:
        token = await issue_and_wait(system)
        await send_round(system, token, 1)
        await eventually(lambda: _counted(system, N_TASKS), timeout=60, what="the first round counted")

        os.killpg(system.group.processes["broker"].pid, signal.SIGKILL)
        await eventually(lambda: _said(said, "broker exited"), timeout=30, what="the supervisor to restart the broker")
        os.killpg(system.group.processes["reporting"].pid, signal.SIGKILL)
        await eventually(lambda: _said(said, "reporting exited"), timeout=30, what="the supervisor to restart reporting")
        await eventually(lambda: _ready(system, "reporting"), timeout=120, what="reporting ready again")

        await send_round(system, token, 2)
        await eventually(lambda: _counted(system, 2 * N_TASKS), timeout=120, what="both rounds counted after the restarts")
        assert await reports_counted(system) == 2 * N_TASKS
        assert supervisor.restarts == {"broker": 1, "reporting": 1}
        for name in ("plans", "tasks", "notify"):
            await eventually(lambda name=name: _ready(system, name), timeout=120, what=f"{name} ready again")
    finally:
        supervisor.stop()


async def _counted(system, n: int) -> bool:
    return await reports_counted(system) >= n


async def _said(lines: list[str], text: str) -> bool:
    return any(text in line for line in lines)


async def _ready(system, name: str) -> bool:
    try:
        return (await system.http[name].get("/ready")).status_code == 200
    except Exception:  # the service is still starting
        return False
