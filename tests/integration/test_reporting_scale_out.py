"""Scale-out: two reporting instances in one consumer group, on one database, build the same read model as one.

The pair shares one store (as replicas share one MongoDB database in production) and one group,
so the broker splits the topics' partitions between them; each task's events travel on one
partition (key = stream id), so each task view has one writer at a time.
"""
from __future__ import annotations

import os
import signal
from contextlib import AsyncExitStack
from typing import Any, Iterator

import pytest

from services.plans.bootstrap import create_app as create_plans
from services.plans.official_directory import official_directory
from services.reporting.bootstrap import INDEXES, create_app as create_reporting
from services.runtime.broker import free_port, start_tansu
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.story import standing_body
from tests.support.services import running, settings_for

COMMUNES = 12
TASKS_PER_COMMUNE = 5
COLLECTIONS = ("units", "agencies", "plans", "tasks")


@pytest.fixture(scope="module")
def broker(tmp_path_factory) -> Iterator[str]:
    """This module's own broker: the read models are compared whole, so no other test's events may be on it."""
    port = free_port()
    process = start_tansu("127.0.0.1", port, log=tmp_path_factory.mktemp("scale-out-broker") / "tansu.log")
    yield f"127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


class SharedStore:
    """One database used by two instances: each instance's shutdown leaves it open; the test closes it."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def close(self) -> None:
        return None


def cao_bang_plans(units: list[dict]) -> list[dict]:
    communes = [u for u in units if u["level"] == "commune"][:COMMUNES]
    return [{"plan_id": f"{c['unit_id']}.kh", "unit_id": c["unit_id"], "title": f"Kế hoạch Đề án 06 {c['name']}",
             "tasks": [{"task_id": f"{c['unit_id']}.{n}", "lead": f"ca-{c['unit_id']}", "content": f"Nhiệm vụ {n}",
                        "timing": {"due": "2099-12-31"}} for n in range(TASKS_PER_COMMUNE)]} for c in communes]


async def send_round(tasks, plans: list[dict], progress: int) -> None:
    for plan in plans:
        items = [{"task_id": t["task_id"], "status": "in_progress", "progress": progress} for t in plan["tasks"]]
        response = await tasks.post("/status-reports", json=items, headers=tasks.as_("agency", plan["tasks"][0]["lead"]))
        assert response.json()["accepted"] == len(items), response.text


async def read_model(store) -> dict[str, list[dict]]:
    return {collection: await store.find(collection) for collection in COLLECTIONS}


async def test_two_reporting_instances_in_one_group_build_the_read_model_one_instance_builds(broker, tmp_path):
    single_store = SqliteStore(tmp_path / "single.sqlite3", INDEXES)
    pair_store = SqliteStore(tmp_path / "pair.sqlite3", INDEXES)
    units, agencies = official_directory({"04"})
    plans_list = cao_bang_plans(units)
    n_tasks = COMMUNES * TASKS_PER_COMMUNE
    async with AsyncExitStack() as stack:
        plans = await stack.enter_async_context(running(await create_plans(settings_for(broker, tmp_path, "plans"))))
        tasks = await stack.enter_async_context(running(await create_tasks(settings_for(broker, tmp_path, "tasks"))))
        single = await create_reporting(settings_for(broker, tmp_path, "r1", consumer_group_prefix="single"), store=single_store)
        pair = [await create_reporting(settings_for(broker, tmp_path, f"r-{n}", consumer_group_prefix="pair"), store=SharedStore(pair_store))
                for n in (1, 2)]
        for app in (single, *pair):
            await stack.enter_async_context(running(app))
        assert (await plans.post("/directory", json={"units": units, "agencies": agencies})).status_code == 200
        for plan in plans_list:
            assert (await plans.post("/plans", json=plan, headers=standing_body(plans))).status_code == 201

        async def tasks_has_every_task():
            return len((await tasks.get("/tasks")).json()) == n_tasks

        await eventually(tasks_has_every_task, timeout=60, what="tasks to accept every assignment")
        rounds = iter(range(1, 90))

        async def both_instances_took_part():  # each poll sends one more round, until the group has split the work
            await send_round(tasks, plans_list, next(rounds))
            return all(app.state.projection.applied > 0 for app in pair)

        await eventually(both_instances_took_part, timeout=90, interval=1.0, what="both instances of the group to apply events")
        await send_round(tasks, plans_list, 99)

        async def both_models_complete():
            models = [await read_model(single_store), await read_model(pair_store)]
            return all(len(m["tasks"]) == n_tasks and all(t["progress"] == 99 for t in m["tasks"]) and len(m["units"]) == len(units)
                       for m in models) and models

        single_model, pair_model = await eventually(both_models_complete, timeout=90, interval=0.5, what="both read models to catch up")
        assert pair_model == single_model
        assert sum(app.state.projection.applied for app in pair) == single.state.projection.applied
    await single_store.close()
    await pair_store.close()
