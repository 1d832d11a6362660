"""Fault injection, reconciled: reports sent while services are SIGKILLed, the broker is killed and
comes back empty, and events are delivered twice; then the read model is reconciled with the event
store: nothing lost, nothing counted twice. Prints the figures.

Clients retry a write whose answer was lost with the same Idempotency-Key, as agency systems should.
Notifications are not reconciled here (the tasks in this story are not overdue).
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import signal

import httpx
import pytest

from schemas.catalog import TASKS_EVENTS
from services.embedded.supervisor import Supervisor
from services.runtime.sqlite_store import SqliteStore
from tests.e2e.test_reliability import N_TASKS, issue_and_wait, reports_counted
from tests.support.kafka import produce
from tests.support.polling import eventually
from tests.support.story import COMMUNE

pytestmark = pytest.mark.e2e
ROUNDS = 8
OTHER_FAULTS = ["kill reporting", "kill tasks", "kill notify", "kill plans", "duplicate deliveries"]


async def send_round_until_answered(system, token: str, progress: int) -> int:
    """POST one round of reports, retrying with the same Idempotency-Key until an answer comes; returns attempts."""
    items = [{"task_id": f"big.{i}", "status": "in_progress", "progress": progress} for i in range(N_TASKS)]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"round-{progress}"}
    for attempt in range(1, 200):
        try:
            response = await system.http["tasks"].post("/status-reports", json=items, headers=headers)
            if response.status_code == 200:
                assert response.json()["accepted"] == N_TASKS, response.text[:300]
                return attempt
        except httpx.HTTPError:
            pass  # tasks is down: the supervisor starts it again
        await asyncio.sleep(0.25)  # a client's retry pause, not a synchronisation
    raise AssertionError(f"round {progress} never answered")


async def inject(system, fault: str, said: list[str]) -> None:
    name = fault.split()[-1]
    if fault.startswith("kill"):
        os.killpg(system.group.processes[name].pid, signal.SIGKILL)
        await eventually(lambda: _said(said, f"{name} exited"), timeout=30, what=f"{name} started again")
    else:  # every stored event of tasks delivered again, without the relay's headers (decoded and skipped)
        store = SqliteStore(system.layout.var / "tasks.sqlite3")
        try:
            stored = await store.read_after(0, 100_000)
        finally:
            await store.close()
        for item in stored:
            await asyncio.to_thread(produce, system.layout.bootstrap, TASKS_EVENTS, item.body, item.stream_id)


async def test_faults_at_random_points_lose_and_double_nothing(system):
    seed = int(os.environ.get("TIENDO_FAULT_SEED") or random.randrange(10_000))  # set it to replay a failed run
    rng = random.Random(seed)
    chosen = ["kill broker", *rng.sample(OTHER_FAULTS, k=3)]
    faults = dict(zip(rng.sample(range(1, ROUNDS + 1), k=len(chosen)), chosen))
    said: list[str] = []
    supervisor = Supervisor(system.group, say=said.append, interval=0.2)
    supervisor.start()
    attempts = 0
    try:
        token = await issue_and_wait(system)
        for progress in range(1, ROUNDS + 1):
            if progress in faults:
                await inject(system, faults[progress], said)
            attempts += await send_round_until_answered(system, token, progress)
        try:
            await eventually(lambda: _counted(system, N_TASKS * ROUNDS), timeout=180, what="every report counted")
        except AssertionError as stalled:
            plan = {"seed": seed, "faults": {str(k): v for k, v in sorted(faults.items())}, "attempts": attempts}
            counted = await reports_counted(system)
            raise AssertionError(f"{stalled}: {counted} of {N_TASKS * ROUNDS} counted; {json.dumps(plan)}; "
                                 f"the supervisor said {said[-12:]!r}") from None
        store = SqliteStore(system.layout.var / "tasks.sqlite3")
        try:
            stored = [s for s in await store.read_after(0, 100_000) if s.event_type == "StatusReported"]
        finally:
            await store.close()
        counted = await reports_counted(system)
        figures = {"seed": seed, "faults": {str(k): v for k, v in sorted(faults.items())}, "rounds": ROUNDS,
                   "reports_sent": N_TASKS * ROUNDS, "post_attempts": attempts, "StatusReported_in_tasks_store": len(stored),
                   "counted_by_reporting": counted, "lost": N_TASKS * ROUNDS - min(counted, len(stored)),
                   "doubled": max(0, len(stored) - N_TASKS * ROUNDS) + max(0, counted - len(stored)), "restarts": supervisor.restarts}
        print("fault injection:", json.dumps(figures))
        assert len(stored) == counted == N_TASKS * ROUNDS, figures
        tasks = (await system.http["reporting"].get(f"/units/{COMMUNE}/tasks")).json()["tasks"]
        assert sorted(t["progress"] for t in tasks) == [ROUNDS] * N_TASKS
    finally:
        supervisor.stop()


async def _counted(system, n: int) -> bool:
    try:
        return await reports_counted(system) >= n
    except httpx.HTTPError:
        return False


async def _said(lines: list[str], text: str) -> bool:
    return any(text in line for line in lines)
