"""Every operation of every service declares who may call it, and refuses everyone else with problem+json.

Walks each service's OpenAPI document: an operation without `security` fails the test unless it is
one of the few public ones; every protected operation answers 401 without a credential (and with a
forged one), and 403 to a credential of a role it does not accept.
"""
from __future__ import annotations

import httpx
import pytest

from services.runtime.auth import Role
from tests.support.auth import bearer, mint
from tests.unit.auth.apps import SECRET, SERVICES, build

PUBLIC = {("get", "/health"), ("get", "/ready"), ("post", "/sign-in"),
          ("get", "/ack/{token}"), ("post", "/ack/{token}")}  # an acknowledgement link is its own signed, single-use credential
ROLES = [r.value for r in Role]


def operations(spec: dict) -> list[tuple[str, str, dict]]:
    return [(method, path, op) for path, item in spec["paths"].items() for method, op in item.items()]


def concrete(path: str) -> str:
    return path.replace("{", "").replace("}", "")  # /units/{unit_id} -> /units/unit_id: any value will do


@pytest.mark.parametrize("service", SERVICES)
async def test_every_operation_but_the_public_ones_declares_a_security_requirement(service):
    spec = (await build(service)).openapi()
    assert "bearer" in spec["components"]["securitySchemes"]
    missing = [f"{m.upper()} {p}" for m, p, op in operations(spec) if (m, p) not in PUBLIC and not op.get("security")]
    assert missing == [], f"{service}: operations without a security requirement: {missing}"
    declared = {scheme for _, _, op in operations(spec) for req in op.get("security", []) for scheme in req}
    assert declared <= set(spec["components"]["securitySchemes"])
    unknown = {role for _, _, op in operations(spec) for req in op.get("security", []) for roles in req.values() for role in roles}
    assert unknown <= set(ROLES)
    undocumented = [f"{m.upper()} {p}" for m, p, op in operations(spec) if op.get("security")
                    and not all("application/problem+json" in op["responses"].get(s, {}).get("content", {}) for s in ("401", "403", "429"))]
    assert undocumented == [], f"{service}: refusals not documented as problem+json: {undocumented}"


@pytest.mark.parametrize("service", SERVICES)
async def test_a_protected_operation_refuses_a_caller_without_a_credential_or_of_another_role(service):
    app = await build(service)
    checked = 0
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        for method, path, op in operations(app.openapi()):
            if (method, path) in PUBLIC:
                continue
            url = concrete(path)
            for headers in ({}, {"Authorization": "Bearer not-a-credential"}, {"Authorization": f"Bearer {mint('another-secret-of-32-bytes-or-more', 'administrator', 'x')}"}):
                refused = await client.request(method, url, headers=headers)
                assert refused.status_code == 401, (method, path, headers, refused.text)
                assert refused.headers["content-type"] == "application/problem+json"
                assert refused.json()["field"] == "Authorization"
            accepted = op["security"][0]["bearer"]
            for role in [r for r in ROLES if accepted and r not in accepted]:
                refused = await client.request(method, url, headers=bearer(SECRET, role, "someone"))
                assert refused.status_code == 403, (method, path, role, refused.text)
                assert refused.headers["content-type"] == "application/problem+json"
                assert refused.json()["field"] == "Authorization"
                checked += 1
    assert checked > 0


async def test_a_refusal_is_logged_with_the_key_id_and_never_the_key(caplog):
    app = await build("notify")
    viewer, forged = mint(SECRET, "viewer", "cao-bang"), mint("another-secret-of-32-bytes-or-more", "administrator", "x")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        with caplog.at_level("WARNING", logger="tiendo.auth"):
            for token in (viewer, forged):
                await client.get("/contacts", headers={"Authorization": f"Bearer {token}"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused GET /contacts (403, key " in logged and "refused GET /contacts (401" in logged
    assert viewer not in logged and forged not in logged
    assert viewer.split(".")[2] not in logged and forged.split(".")[2] not in logged  # nor their signatures
