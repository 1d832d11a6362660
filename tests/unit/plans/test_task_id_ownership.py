"""A task id belongs to one plan forever: a second plan reusing it is refused with 409 problem+json."""
from __future__ import annotations

import httpx
import pytest

from services.plans.bootstrap import create_app
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.support.auth import ServiceClient


@pytest.fixture
async def plans():
    store = MemoryStore()
    app = await create_app(ServiceSettings(environment="test", store_url="memory://"), store=store)  # lifespan not started
    async with ServiceClient(app.state.runtime.settings.token_secret, transport=httpx.ASGITransport(app=app), base_url="http://plans") as client:
        assert (await client.post("/units", json={"unit_id": "cb", "name": "Tỉnh", "level": "province"})).status_code == 201
        agency = {"agency_id": "ca", "unit_id": "cb", "name": "Công an tỉnh", "head_title": "Giám đốc"}
        assert (await client.post("/agencies", json=agency)).status_code == 201
        client.act_as("standing_body", "cb")  # the province's standing body issues its plans
        yield client, store


def plan(plan_id: str, *task_ids: str) -> dict:
    return {"plan_id": plan_id, "unit_id": "cb", "title": f"Kế hoạch {plan_id}",
            "tasks": [{"task_id": t, "content": "Nhiệm vụ", "lead": "ca", "timing": {"due": "2099-12-31"}} for t in task_ids]}


async def test_a_second_plan_reusing_a_task_id_is_refused_and_nothing_of_it_is_written(plans):
    client, store = plans
    assert (await client.post("/plans", json=plan("kh-1", "t-1", "t-2"))).status_code == 201
    refused = await client.post("/plans", json=plan("kh-2", "t-3", "t-2"))
    assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["field"] == "tasks.1.task_id" and "belongs to plan 'kh-1'" in refused.json()["detail"]
    assert await store.load("plan-kh-2") == [] and (await client.get("/plans/kh-2")).status_code == 404
    assert await store.get("task_owners", "t-3") is None
    assert (await client.post("/plans", json=plan("kh-2", "t-3"))).status_code == 201
