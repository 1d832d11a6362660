"""Every path and query parameter is bounded: the bound is in each service's OpenAPI and a longer value is a 422 naming it."""
from __future__ import annotations

import httpx
import pytest

from services.runtime.limits import MAX_PARAMETER_CHARS, MAX_QUERY_PARAMETERS
from tests.support.auth import bearer
from tests.unit.auth.apps import SECRET, SERVICES, build


@pytest.mark.parametrize("service", SERVICES)
async def test_every_string_parameter_of_every_operation_has_a_bound_in_the_openapi(service):
    spec = (await build(service)).openapi()
    unbounded = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("path", "query"):
                    options = parameter["schema"].get("anyOf", [parameter["schema"]])
                    if any(o.get("type") == "string" and not ({"maxLength", "enum", "format"} & o.keys()) for o in options):
                        unbounded.append(f"{method.upper()} {path} {parameter['name']}")
                    if any(o.get("type") == "string" for o in options):
                        assert "422" in operation["responses"], f"{method.upper()} {path}: 422 not documented"
    assert unbounded == []


async def _get(service: str, url: str) -> httpx.Response:
    app = await build(service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await client.get(url, headers=bearer(SECRET, "administrator", "root"))


async def test_a_path_parameter_longer_than_the_bound_is_refused_naming_it():
    response = await _get("reporting", f"/units/{'x' * (MAX_PARAMETER_CHARS + 1)}/summary")
    assert response.status_code == 422 and response.json()["field"] == "unit_id"


async def test_a_query_parameter_longer_than_the_bound_is_refused_naming_it():
    response = await _get("plans", f"/units?parent_id={'x' * (MAX_PARAMETER_CHARS + 1)}")
    assert response.status_code == 422 and response.json()["field"] == "parent_id"
    assert (await _get("plans", f"/units?parent_id={'x' * MAX_PARAMETER_CHARS}")).status_code == 200


async def test_too_many_query_parameters_are_refused():
    query = "&".join(f"p{n}=1" for n in range(MAX_QUERY_PARAMETERS + 1))
    response = await _get("plans", f"/units?{query}")
    assert response.status_code == 422 and response.json()["field"] == "query"


async def test_a_long_path_to_no_operation_is_not_found_and_a_long_value_is_refused_before_the_credential_is_read():
    assert (await _get("reporting", f"/nowhere/{'x' * (MAX_PARAMETER_CHARS + 1)}")).status_code == 404
    app = await build("reporting")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get(f"/units/{'x' * (MAX_PARAMETER_CHARS + 1)}/summary")  # no credential at all
    assert response.status_code == 422 and response.json()["field"] == "unit_id"
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_long_value_on_a_page_outside_the_openapi_document_is_refused_naming_it():
    response = await _get("reporting", f"/dashboard/{'x' * (MAX_PARAMETER_CHARS + 1)}/units")
    assert response.status_code == 422 and response.json()["field"] == "unit_id"
