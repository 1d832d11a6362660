"""POST /plans/bulk: many plans in one request and one transaction, the same plans and events as one request each;
plans already issued are skipped; a refused plan refuses the batch naming it; bounded; standing bodies and administrators."""
from __future__ import annotations

import httpx
import pytest

from schemas.plans import MAX_TASKS_PER_BULK_ISSUE
from services.plans.bootstrap import create_app
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.support.auth import ServiceClient

PROBLEM = "application/problem+json"


async def _plans_api():
    store = MemoryStore()
    app = await create_app(ServiceSettings(environment="test", store_url="memory://"), store=store)  # lifespan not started
    client = ServiceClient(app.state.runtime.settings.token_secret, transport=httpx.ASGITransport(app=app), base_url="http://plans")
    units = [{"unit_id": "cb", "name": "Tỉnh Cao Bằng", "level": "province"},
             {"unit_id": "th", "name": "Xã Trường Hà", "level": "commune", "parent_id": "cb"},
             {"unit_id": "hg", "name": "Tỉnh Hà Giang", "level": "province"}]
    agencies = [{"agency_id": f"ca-{u['unit_id']}", "unit_id": u["unit_id"], "name": f"Công an {u['name']}", "head_title": "Trưởng"}
                for u in units]
    assert (await client.post("/directory", json={"units": units, "agencies": agencies})).status_code == 200
    return client, store


@pytest.fixture
async def plans():
    client, store = await _plans_api()
    yield client, store
    await client.aclose()


def plan(plan_id: str, unit_id: str, tasks: int = 3, *, lead: str | None = None) -> dict:
    return {"plan_id": plan_id, "unit_id": unit_id, "title": f"Kế hoạch {plan_id}", "number": "01/KH-UBND",
            "tasks": [{"task_id": f"{plan_id}.{n}", "content": f"Nhiệm vụ {n}", "lead": lead or f"ca-{unit_id}",
                       "timing": {"due": "2027-03-31"}} for n in range(1, tasks + 1)]}


BATCH = [plan("cb.kh26", "cb", 4), plan("th.kh26", "th", 3), plan("hg.kh26", "hg", 2)]


def _payloads(envelopes) -> list[tuple[str, dict]]:
    return [(e.event_type, e.payload) for e in envelopes]


async def test_a_batch_gives_the_same_plans_events_and_task_owners_as_one_request_each(plans):
    client, store = plans
    answer = await client.post("/plans/bulk", json={"plans": BATCH})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"issued": 3, "tasks": 9, "already": 0, "differing": []}
    one_by_one, other = await _plans_api()
    for p in BATCH:
        assert (await one_by_one.post("/plans", json=p, headers=one_by_one.as_("standing_body", p["unit_id"]))).status_code == 201
    for p in BATCH:
        assert (await client.get(f"/plans/{p['plan_id']}")).json() == (await one_by_one.get(f"/plans/{p['plan_id']}")).json()
        assert _payloads(await store.load(f"plan-{p['plan_id']}")) == _payloads(await other.load(f"plan-{p['plan_id']}"))
        for t in p["tasks"]:
            assert await store.get("task_owners", t["task_id"]) == {"task_id": t["task_id"], "plan_id": p["plan_id"]}
    await one_by_one.aclose()
    assert [e.event_type for e in await store.load("plan-th.kh26")] == ["PlanIssued"] + ["TaskAssigned"] * 3


async def test_sending_the_batch_again_changes_nothing_and_names_a_plan_that_differs(plans):
    client, store = plans
    assert (await client.post("/plans/bulk", json={"plans": BATCH})).status_code == 200
    again = await client.post("/plans/bulk", json={"plans": [*BATCH, plan("th.kh27", "th", 1)]})
    assert again.json() == {"issued": 1, "tasks": 1, "already": 3, "differing": []}
    assert len(await store.load("plan-cb.kh26")) == 5  # not appended twice
    changed = await client.post("/plans/bulk", json={"plans": [plan("cb.kh26", "cb", 5)]})
    assert changed.json() == {"issued": 0, "tasks": 0, "already": 1, "differing": ["cb.kh26"]}
    assert len((await client.get("/plans/cb.kh26")).json()["tasks"]) == 4


async def test_a_refused_plan_refuses_the_whole_batch_naming_it(plans):
    client, store = plans
    refused = await client.post("/plans/bulk", json={"plans": [plan("cb.kh26", "cb"), plan("th.kh26", "th", lead="nobody")]})
    assert refused.status_code == 404 and refused.headers["content-type"] == PROBLEM
    assert refused.json()["field"] == "plans[1].tasks.0.lead" and "plans[1]" in refused.json()["detail"]
    assert await store.load("plan-cb.kh26") == [] and await store.get("task_owners", "cb.kh26.1") is None


async def test_a_task_id_of_another_plan_in_the_store_or_in_the_batch_is_refused(plans):
    client, store = plans
    assert (await client.post("/plans", json=plan("cb.kh26", "cb", 2), headers=client.as_("standing_body", "cb"))).status_code == 201
    taken = {**plan("cb.kh27", "cb", 1), "tasks": [{**plan("x", "cb", 1)["tasks"][0], "task_id": "cb.kh26.2"}]}
    refused = await client.post("/plans/bulk", json={"plans": [plan("th.kh26", "th"), taken]})
    assert refused.status_code == 409 and refused.json()["field"] == "plans[1].tasks.0.task_id"
    twice = {**plan("hg.kh27", "hg", 1), "tasks": [{**plan("x", "hg", 1)["tasks"][0], "task_id": "th.kh26.1"}]}
    refused = await client.post("/plans/bulk", json={"plans": [plan("th.kh26", "th"), twice]})
    assert refused.status_code == 409 and refused.json()["field"] == "plans[1].tasks.0.task_id"
    same_id = await client.post("/plans/bulk", json={"plans": [plan("th.kh26", "th"), plan("th.kh26", "th")]})
    assert same_id.status_code == 422 and same_id.json()["field"] == "plans[1].plan_id"
    assert await store.load("plan-th.kh26") == []


@pytest.mark.parametrize("body, field", [
    ({"plans": []}, "plans"),
    ({"plans": [plan(f"p{n}", "cb", 1) for n in range(1_001)]}, "plans"),
    ({"plans": [plan(f"p{n}", "cb", 1_000) for n in range(MAX_TASKS_PER_BULK_ISSUE // 1_000 + 1)]}, "plans"),
    ({"plans": [{**plan("p", "cb"), "title": "x" * 1_001}]}, "plans.0.title"),
])
async def test_bounds_are_refused_with_problem_json_naming_the_field(plans, body, field):
    client, store = plans
    refused = await client.post("/plans/bulk", json=body)
    assert refused.status_code in (413, 422) and refused.headers["content-type"] == PROBLEM
    if refused.status_code == 422:
        assert refused.json()["field"] == field
    assert await store.find("plans") == []


async def test_standing_bodies_issue_for_their_units_below_them_and_agencies_not_at_all(plans):
    client, store = plans
    as_agency = await client.post("/plans/bulk", json={"plans": BATCH[:1]}, headers=client.as_("agency", "ca-cb"))
    assert as_agency.status_code == 403 and as_agency.headers["content-type"] == PROBLEM
    other_province = await client.post("/plans/bulk", json={"plans": BATCH}, headers=client.as_("standing_body", "cb"))
    assert other_province.status_code == 403 and other_province.json()["field"] == "unit_id"
    assert await store.find("plans") == []
    own = await client.post("/plans/bulk", json={"plans": BATCH[:2]}, headers=client.as_("standing_body", "cb"))
    assert own.status_code == 200 and own.json()["issued"] == 2
    assert (await client.post("/plans/bulk", json={"plans": BATCH[:1]}, headers={"Authorization": ""})).status_code == 401
