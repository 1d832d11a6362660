"""A client retry after a lost response never doubles a write: the first answer comes back."""
from __future__ import annotations

import httpx
import pytest

from services.plans.bootstrap import create_app
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.support.auth import ServiceClient

PROVINCE = {"unit_id": "cb", "name": "Tỉnh Cao Bằng", "level": "province"}


@pytest.fixture
async def plans():
    store = MemoryStore()
    app = await create_app(ServiceSettings(environment="test", store_url="memory://"), store=store)  # lifespan not started
    async with ServiceClient(app.state.runtime.settings.token_secret, transport=httpx.ASGITransport(app=app), base_url="http://plans") as client:
        yield client, store


async def test_the_same_write_with_the_same_key_is_done_once_and_answered_again(plans):
    client, store = plans
    first = await client.post("/units", json=PROVINCE, headers={"Idempotency-Key": "k-1"})
    again = await client.post("/units", json=PROVINCE, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(await store.load("unit-cb")) == 1
    without_key = await client.post("/units", json=PROVINCE)
    assert without_key.status_code == 409  # the plain retry meets the rule: registered once


async def test_a_key_reused_for_another_request_is_refused(plans):
    client, _ = plans
    assert (await client.post("/units", json=PROVINCE, headers={"Idempotency-Key": "k-2"})).status_code == 201
    other = await client.post("/units", json={**PROVINCE, "unit_id": "hn"}, headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 422 and other.headers["content-type"] == "application/problem+json"
    assert other.json()["field"] == "Idempotency-Key"


async def test_a_refusal_is_kept_too_and_a_bad_key_is_refused(plans):
    client, _ = plans
    orphan = {"unit_id": "xa", "name": "Xã", "level": "commune", "parent_id": "nowhere"}
    first = await client.post("/units", json=orphan, headers={"Idempotency-Key": "k-3"})
    assert first.status_code == 404
    assert (await client.post("/units", json=orphan, headers={"Idempotency-Key": "k-3"})).json() == first.json()
    assert (await client.post("/units", json=PROVINCE, headers={"Idempotency-Key": "x" * 201})).status_code == 400
