"""Agency keys: shown once, kept as a digest, expiring, rotated with an overlap, revoked everywhere."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from schemas.catalog import parse_event
from services.runtime.auth.revocations import note_revocations
from services.runtime.clock import ManualClock
from tests.support.auth import ServiceClient
from tests.unit.auth.apps import SECRET, build

START = datetime(2026, 9, 1, 1, 0, tzinfo=timezone.utc)
UNITS = [{"unit_id": "cao-bang", "name": "Tỉnh Cao Bằng", "level": "province"},
         {"unit_id": "truong-ha", "name": "Xã Trường Hà", "level": "commune", "parent_id": "cao-bang"},
         {"unit_id": "ha-noi", "name": "Thành phố Hà Nội", "level": "province"}]
AGENCY = {"agency_id": "ca-xa", "unit_id": "truong-ha", "name": "Công an xã Trường Hà", "head_title": "Trưởng Công an xã"}


@pytest.fixture
async def plans():
    clock = ManualClock(START)
    app = await build("plans", clock)
    async with ServiceClient(SECRET, transport=httpx.ASGITransport(app=app), base_url="http://plans") as client:
        for unit in UNITS:
            assert (await client.post("/units", json=unit)).status_code == 201
        client.clock, client.app = clock, app
        yield client


def as_key(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_registered_agency_gets_its_key_once_and_plans_keeps_only_its_digest(plans):
    registered = (await plans.post("/agencies", json=AGENCY)).json()
    key, key_id = registered["token"], registered["key_id"]
    assert (await plans.get("/units", headers=as_key(key))).status_code == 200
    listed = (await plans.get("/credentials", params={"subject": "ca-xa"})).json()
    assert [(c["key_id"], c["role"], c["issued_by"]) for c in listed] == [(key_id, "agency", "administrator:test-admin")]
    assert key not in str(listed) and "digest" not in listed[0]
    stored = await plans.app.state.runtime.store.find("credentials")
    assert key not in str(stored)
    events = await plans.app.state.runtime.events.load(f"credential-{key_id}")
    assert [e.event_type for e in events] == ["CredentialIssued"] and key not in events[0].model_dump_json()
    assert events[0].actor == "administrator:test-admin"


async def test_a_key_is_refused_from_its_expiry_on(plans):
    registered = (await plans.post("/agencies", json=AGENCY)).json()
    short = (await plans.post(f"/agencies/{AGENCY['agency_id']}/credentials", json={"valid_days": 2})).json()
    assert datetime.fromisoformat(short["expires_at"]) == START + timedelta(days=2)
    plans.clock.advance(timedelta(days=2))
    expired = await plans.get("/units", headers=as_key(short["token"]))
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    assert (await plans.get("/units", headers=as_key(registered["token"]))).status_code == 200


async def test_a_rotation_keeps_both_keys_valid_during_the_overlap_then_only_the_new_one(plans):
    old = (await plans.post("/agencies", json=AGENCY)).json()["token"]
    rotated = await plans.post("/agencies/ca-xa/credentials", json={"overlap_hours": 24})
    assert rotated.status_code == 201
    new = rotated.json()["token"]
    assert [r["effective_at"] for r in rotated.json()["retiring"]] == [(START + timedelta(hours=24)).isoformat()]
    plans.clock.advance(timedelta(hours=23))
    assert [(await plans.get("/units", headers=as_key(k))).status_code for k in (old, new)] == [200, 200]
    plans.clock.advance(timedelta(hours=1))
    assert [(await plans.get("/units", headers=as_key(k))).status_code for k in (old, new)] == [401, 200]


async def test_a_revoked_key_is_refused_by_plans_at_once_and_by_tasks_once_the_event_reaches_it(plans):
    registered = (await plans.post("/agencies", json=AGENCY)).json()
    key, key_id = registered["token"], registered["key_id"]
    tasks_app = await build("tasks", plans.clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=tasks_app), base_url="http://tasks") as tasks:
        assert (await tasks.get("/tasks", headers=as_key(key))).status_code == 200
        revoked = await plans.post(f"/credentials/{key_id}/revoke", json={"reason": "máy chủ của cơ quan bị lộ khóa"})
        assert revoked.status_code == 200 and revoked.json()["revoked_at"] == START.isoformat()
        refused = await plans.get("/units", headers=as_key(key))
        assert refused.status_code == 401 and "revoked" in refused.json()["detail"] and key not in refused.text
        assert (await plans.post(f"/credentials/{key_id}/revoke", json={})).status_code == 409
        assert (await plans.post("/credentials/nope/revoke", json={})).status_code == 404

        events = await plans.app.state.runtime.events.load(f"credential-{key_id}")
        assert [e.event_type for e in events] == ["CredentialIssued", "CredentialRevoked"]
        await note_revocations([parse_event(e.model_dump(mode="json")) for e in events], tasks_app.state.runtime.store)
        assert (await tasks.get("/tasks", headers=as_key(key))).status_code == 401


async def test_a_standing_body_issues_plans_for_its_unit_and_below_only(plans):
    await plans.post("/agencies", json=AGENCY)
    plan = {"plan_id": "kh-1", "unit_id": "truong-ha", "title": "Kế hoạch triển khai Đề án 06",
            "tasks": [{"task_id": "kh-1.1", "content": "Tuyên truyền", "lead": "ca-xa", "timing": {"raw": "Thường xuyên", "recurring": True}}]}
    foreign = await plans.post("/plans", json=plan, headers=plans.as_("standing_body", "ha-noi"))
    assert foreign.status_code == 403 and foreign.json()["field"] == "unit_id"
    assert (await plans.post("/plans", json=plan)).status_code == 403  # an administrator does not issue plans
    issued = await plans.post("/plans", json=plan, headers=plans.as_("standing_body", "cao-bang"))
    assert issued.status_code == 201, issued.text
    events = await plans.app.state.runtime.events.load("plan-kh-1")
    assert {e.actor for e in events} == {"standing_body:cao-bang"}


async def test_keys_for_units_are_of_the_role_asked_and_an_unknown_unit_or_agency_has_none(plans):
    viewer = (await plans.post("/units/cao-bang/credentials", json={})).json()
    standing = (await plans.post("/units/cao-bang/credentials", params={"role": "standing_body"}, json={"valid_days": 30})).json()
    assert (viewer["role"], standing["role"]) == ("viewer", "standing_body")
    assert (await plans.post("/units/nowhere/credentials", json={})).status_code == 404
    assert (await plans.post("/agencies/nowhere/credentials", json={})).status_code == 404
    assert (await plans.post("/units/cao-bang/credentials", params={"role": "administrator"}, json={})).status_code == 422
    assert (await plans.post("/units/cao-bang/credentials", headers=as_key(viewer["token"]), json={})).status_code == 403
