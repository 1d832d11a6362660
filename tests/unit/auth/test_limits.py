"""Limits at the edge: request bodies over the cap are refused 413, a credential calling too often 429 with Retry-After."""
from __future__ import annotations

import httpx
import pytest

from services.plans.bootstrap import create_app as create_plans
from services.runtime.limits import TokenBuckets
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.support.auth import ServiceClient
from tests.unit.auth.apps import SECRET


async def plans_with(**settings) -> ServiceClient:
    app = await create_plans(ServiceSettings(environment="test", store_url="memory://", token_secret=SECRET, **settings),
                             store=MemoryStore())
    return ServiceClient(SECRET, transport=httpx.ASGITransport(app=app), base_url="http://plans")


async def test_a_body_over_the_cap_is_refused_413_whether_its_length_is_declared_or_not():
    async with await plans_with(max_body_bytes=64 * 1024) as plans:
        huge = {"plan_id": "kh", "unit_id": "x", "title": "t", "references": ["32/KH-UBND"] * 100_000, "tasks": []}
        declared = await plans.post("/plans", json=huge, headers=plans.as_("standing_body", "x"))
        assert declared.status_code == 413 and declared.headers["content-type"] == "application/problem+json"

        async def chunks():
            for _ in range(100):
                yield b" " * 1024

        streamed = await plans.post("/units", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413 and streamed.json()["status"] == 413
        small = await plans.post("/units", json={"unit_id": "cao-bang", "name": "Tỉnh Cao Bằng", "level": "province"})
        assert small.status_code == 201


async def test_a_credential_that_calls_too_often_waits_and_others_are_not_held_up():
    async with await plans_with(rate_per_second=0.5, rate_burst=2) as plans:
        assert [(await plans.get("/units")).status_code for _ in range(2)] == [200, 200]
        limited = await plans.get("/units")
        assert limited.status_code == 429 and limited.headers["content-type"] == "application/problem+json"
        assert 1 <= int(limited.headers["Retry-After"]) <= 2
        assert (await plans.get("/units", headers=plans.as_("viewer", "cao-bang"))).status_code == 200


async def test_sign_in_attempts_for_one_username_are_limited():
    async with await plans_with(rate_per_second=0.1, rate_burst=3) as plans:
        attempts = [(await plans.post("/sign-in", json={"username": "admin", "password": f"guess {n}"})).status_code for n in range(4)]
        assert attempts == [401, 401, 401, 429]


@pytest.mark.parametrize("elapsed,expected", [(0.0, 0.5), (0.25, 0.25), (0.5, 0.0)])
def test_a_bucket_refills_at_its_rate(elapsed, expected):
    now = [100.0]
    buckets = TokenBuckets(rate=2, burst=1, clock=lambda: now[0])
    assert buckets.take("k") == 0
    now[0] += elapsed
    assert buckets.take("k") == pytest.approx(expected)
