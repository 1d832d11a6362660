"""People sign in: local accounts with scrypt-hashed passwords for the embedded run; JWTs of a configured OIDC issuer."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.runtime.auth.passwords import hash_password, verify_password
from services.runtime.clock import ManualClock
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.support.auth import ServiceClient
from tests.unit.auth.apps import SECRET

START = datetime(2026, 9, 1, 1, 0, tzinfo=timezone.utc)
ISSUER, AUDIENCE = "https://sso.caobang.example.vn/realms/tiendo", "tiendo"
LEADER = {"username": "hoang.van.thach", "password": "một mật khẩu dài đủ", "role": "standing_body", "unit_id": "cao-bang"}


def test_a_password_hash_verifies_only_its_password_and_holds_no_trace_of_it():
    stored = hash_password("một mật khẩu dài đủ")
    assert stored.startswith("scrypt$") and "mật" not in stored and hash_password("một mật khẩu dài đủ") != stored
    assert verify_password("một mật khẩu dài đủ", stored) and not verify_password("mot mat khau dai du", stored)
    assert not verify_password("anything", None) and not verify_password("anything", "garbage")


@pytest.fixture
async def plans():
    clock = ManualClock(START)
    app = await create_plans(ServiceSettings(environment="test", store_url="memory://", token_secret=SECRET), clock=clock, store=MemoryStore())
    async with ServiceClient(SECRET, transport=httpx.ASGITransport(app=app), base_url="http://plans") as client:
        assert (await client.post("/units", json={"unit_id": "cao-bang", "name": "Tỉnh Cao Bằng", "level": "province"})).status_code == 201
        client.clock = clock
        yield client


async def test_a_person_signs_in_and_acts_in_the_role_of_the_account_for_a_short_while(plans):
    created = await plans.put("/accounts", json=LEADER)
    assert created.status_code == 201 and "password" not in created.text and "scrypt" not in created.text
    anonymous = httpx.AsyncClient(transport=plans._transport, base_url="http://plans")
    signed = await anonymous.post("/sign-in", json={"username": LEADER["username"], "password": LEADER["password"]})
    assert signed.status_code == 200, signed.text
    assert signed.json()["role"] == "standing_body" and signed.json()["subject"] == "cao-bang"
    as_leader = {"Authorization": f"Bearer {signed.json()['token']}"}
    assert (await anonymous.get("/units", headers=as_leader)).status_code == 200
    assert (await anonymous.get("/accounts", headers=as_leader)).status_code == 403
    plans.clock.advance(timedelta(minutes=60))
    assert (await anonymous.get("/units", headers=as_leader)).status_code == 401


@pytest.mark.parametrize("username,password", [(LEADER["username"], "wrong password"), ("nobody", LEADER["password"])])
async def test_a_wrong_password_or_unknown_person_is_refused_alike(plans, username, password):
    await plans.put("/accounts", json=LEADER)
    refused = await httpx.AsyncClient(transport=plans._transport, base_url="http://plans").post(
        "/sign-in", json={"username": username, "password": password})
    assert refused.status_code == 401 and refused.json()["detail"] == "the username or the password is wrong"
    assert password not in refused.text


async def test_an_account_names_a_known_unit_exactly_when_its_role_has_one(plans):
    assert (await plans.put("/accounts", json={**LEADER, "unit_id": "nowhere"})).status_code == 404
    assert (await plans.put("/accounts", json={**LEADER, "role": "administrator"})).status_code == 422
    assert (await plans.put("/accounts", json={**LEADER, "password": "short"})).json()["field"] == "password"


def rsa_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return key, public


def oidc_token(key, **overrides) -> str:
    now = int(datetime.now(timezone.utc).timestamp())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "f3a1", "preferred_username": "nong.van.hung", "exp": now + 300,
              "tiendo_role": "viewer", "tiendo_subject": "cao-bang", **overrides}
    return jwt.encode(claims, key, algorithm="RS256")


async def test_a_token_of_the_configured_oidc_issuer_is_a_credential_and_any_other_is_not():
    key, public = rsa_key()
    settings = ServiceSettings(environment="test", store_url="memory://", token_secret=SECRET, oidc_issuer=ISSUER,
                               oidc_audience=AUDIENCE, oidc_public_key=public)
    app = await create_reporting(settings, store=MemoryStore())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reporting") as client:
        async def status(token: str) -> int:
            return (await client.get("/units", headers={"Authorization": f"Bearer {token}"})).status_code

        assert await status(oidc_token(key)) == 200
        assert await status(oidc_token(key, tiendo_role="agency")) == 403
        assert await status(oidc_token(key, aud="another-app")) == 401
        assert await status(oidc_token(key, exp=int(datetime.now(timezone.utc).timestamp()) - 120)) == 401
        assert await status(oidc_token(rsa_key()[0])) == 401  # signed by a key that is not the issuer's
        assert await status(oidc_token(key, tiendo_subject=None)) == 401
