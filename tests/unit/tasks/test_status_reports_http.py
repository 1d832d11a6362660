"""POST /status-reports and POST /tasks/{task_id}/status resolve their own arguments (services.runtime.http.DirectRoute):
the same guarantees as any route, held here one by one: the role, the bounds (500 items, the header), problem+json naming
the field of a bad item, nothing of a refused batch written, an Idempotency-Key answered once, and the OpenAPI document
describing what is enforced."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import httpx
import pytest

from schemas.catalog import Event
from schemas.envelope import Payload
from schemas.tasks import MAX_REPORTS_PER_REQUEST
from services.runtime.clock import ManualClock
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from services.tasks.bootstrap import create_app
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.repository import stream_of
from tests.support.auth import mint
from tests.unit.tasks.given import assigned

SECRET = "test-secret-of-at-least-thirty-two-chars"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
TASKS = [f"t{n}" for n in range(MAX_REPORTS_PER_REQUEST + 1)]
PROBLEM = "application/problem+json"


def bearer(role: str, subject: str) -> dict:
    return {"Authorization": f"Bearer {mint(SECRET, role, subject)}"}


AGENCY = bearer("agency", "ca")


def item(task_id: str, progress: int = 40) -> dict:
    return {"task_id": task_id, "status": "in_progress", "progress": progress}


@pytest.fixture
async def api():
    store = MemoryStore()
    app = await create_app(ServiceSettings(environment="test", store_url="memory://", token_secret=SECRET), clock=ManualClock(NOW), store=store)
    rt = app.state.runtime
    payloads: list[Payload] = [assigned(task_id=t) for t in TASKS]
    envelopes = envelop("plans", 0, payloads, Cause("plans", str(uuid.uuid4())), NOW)
    await accept_assignments([Event(e, p) for e, p in zip(envelopes, payloads)], store, rt.events)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tasks") as client:
        client.runtime = rt
        yield client


async def versions(api, *task_ids: str) -> list[int]:
    return [len(await api.runtime.events.load(stream_of(t))) for t in task_ids]


async def test_a_batch_of_the_largest_size_is_answered_item_by_item_in_order(api):
    items = [item(t, n % 101) for n, t in enumerate(TASKS[:MAX_REPORTS_PER_REQUEST])]
    items[7]["task_id"] = "no-such-task"
    response = await api.post("/status-reports", json=items, headers={**AGENCY, "X-Correlation-Id": "batch-7"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json", response.text
    answer = response.json()
    assert answer["accepted"] == MAX_REPORTS_PER_REQUEST - 1
    assert [r["task_id"] for r in answer["results"]] == [i["task_id"] for i in items]
    assert answer["results"][7] == {"task_id": "no-such-task", "status": 404, "title": "not found",
                                    "detail": "no task with id 'no-such-task'", "field": "task_id"}
    assert answer["results"][8] == {"task_id": "t8", "status": 201, "version": 2}
    reported = (await api.runtime.events.load(stream_of("t8")))[-1]
    assert (reported.actor, reported.correlation_id, reported.payload["progress"]) == ("agency:ca", "batch-7", 8)


async def test_one_item_more_than_the_largest_batch_is_refused_and_nothing_is_written(api):
    response = await api.post("/status-reports", json=[item(t) for t in TASKS], headers=AGENCY)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["message"].startswith(f"List should have at most {MAX_REPORTS_PER_REQUEST} items")
    assert await versions(api, "t0", "t499") == [1, 1]


async def test_a_bad_item_is_named_and_no_item_of_its_batch_is_written(api):
    items = [item(t) for t in TASKS[:MAX_REPORTS_PER_REQUEST]]
    items[499]["progress"] = 101
    response = await api.post("/status-reports", json=items, headers=AGENCY)
    problem = response.json()
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert problem["field"] == "499.progress" and problem["detail"].startswith("499.progress: Input should be less than or equal to 100")
    assert await versions(api, "t0", "t498") == [1, 1]


@pytest.mark.parametrize("content, headers, field, starts", [
    (b"", {"content-type": "application/json"}, "", "Field required"),
    (b'[{"task_id": ', {"content-type": "application/json"}, "body", "body: not valid JSON (at character 13)"),
    (b"\xff\xfe[", {"content-type": "application/json"}, "body", "body: not readable as the declared content type (JSON must be UTF-8)"),
    (b'[{"task_id": "t1", "status": "in_progress", "progress": 5}]', {"content-type": "text/plain"}, "", "Input should be a valid list"),
    (b"[]", {"content-type": "application/json"}, "", "List should have at least 1 item"),
    (b'[{"task_id": "t1", "status": "finished", "progress": 5}]', {"content-type": "application/json"}, "0.status", "0.status: Input should be"),
    (b'[{"task_id": "t1", "status": "done", "progress": 5, "colour": 1}]', {"content-type": "application/json"}, "0.colour", "0.colour: Extra inputs"),
])
async def test_a_body_that_is_not_a_batch_is_a_problem_naming_its_field(api, content, headers, field, starts):
    response = await api.post("/status-reports", content=content, headers={**AGENCY, **headers})
    problem = response.json()
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM, response.text
    assert problem["field"] == field and problem["detail"].startswith(starts), problem
    assert await versions(api, "t1") == [1]


async def test_a_correlation_id_longer_than_its_bound_is_a_problem_naming_the_header(api):
    response = await api.post("/status-reports", json=[item("t1")], headers={**AGENCY, "X-Correlation-Id": "c" * 101})
    assert response.status_code == 422 and response.json()["field"] == "header.x-correlation-id"
    assert await versions(api, "t1") == [1]


@pytest.mark.parametrize("headers, status", [({}, 401), ({"Authorization": "Bearer forged"}, 401),
                                             (bearer("viewer", "xa"), 403), (bearer("administrator", "admin"), 403)])
async def test_only_an_agency_credential_may_report_and_the_credential_is_checked_before_the_body(api, headers, status):
    for content in (b'[{"task_id": "t1", "status": "in_progress", "progress": 5}]', b"not json"):
        response = await api.post("/status-reports", content=content, headers={**headers, "content-type": "application/json"})
        assert response.status_code == status and response.headers["content-type"] == PROBLEM
        assert response.json()["field"] == "Authorization"
    assert await versions(api, "t1") == [1]


async def test_an_agency_reporting_on_a_task_it_neither_leads_nor_supports_is_refused_that_item(api):
    response = await api.post("/status-reports", json=[item("t1"), item("t2")], headers=bearer("agency", "someone-else"))
    assert [r["status"] for r in response.json()["results"]] == [403, 403] and await versions(api, "t1") == [1]


async def test_the_same_idempotency_key_is_answered_once(api):
    headers = {**AGENCY, "Idempotency-Key": "batch-2026-11-20-1"}
    first = await api.post("/status-reports", json=[item("t1", 10), item("t2", 20)], headers=headers)
    again = await api.post("/status-reports", json=[item("t1", 10), item("t2", 20)], headers=headers)
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert again.headers["idempotent-replayed"] == "true" and await versions(api, "t1", "t2") == [2, 2]
    reused = await api.post("/status-reports", json=[item("t1", 11)], headers=headers)
    assert reused.status_code == 422 and reused.json()["field"] == "Idempotency-Key"


async def test_the_document_describes_what_the_route_enforces(api):
    operation = (await api.get("/openapi.json")).json()["paths"]["/status-reports"]["post"]
    assert operation["security"] == [{"bearer": ["agency"]}]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert (body["minItems"], body["maxItems"], body["items"]) == (1, MAX_REPORTS_PER_REQUEST, {"$ref": "#/components/schemas/TaskStatusReport"})
    header = next(p for p in operation["parameters"] if p["name"] == "x-correlation-id")
    assert header["in"] == "header" and header["schema"]["anyOf"][0]["maxLength"] == 100
    assert {"401", "403", "413", "422", "429"} <= set(operation["responses"])


async def test_one_report_is_answered_with_its_version_and_events(api):
    response = await api.post("/tasks/t3/status", json={"status": "in_progress", "progress": 30}, headers={**AGENCY, "X-Correlation-Id": "one"})
    assert response.status_code == 201, response.text
    appended = await api.runtime.events.load(stream_of("t3"))
    assert response.json() == {"task_id": "t3", "version": 2, "event_ids": [str(appended[-1].event_id)]}
    assert (appended[-1].correlation_id, appended[-1].payload["progress"]) == ("one", 30)


@pytest.mark.parametrize("path, body, headers, status, field", [
    ("/tasks/t3/status", {"status": "in_progress", "progress": -1}, AGENCY, 422, "progress"),
    ("/tasks/t3/status", {"status": "in_progress"}, AGENCY, 422, "progress"),
    ("/tasks/t3/status", {"status": "in_progress", "progress": 5, "expected_version": 9}, AGENCY, 409, None),
    ("/tasks/nope/status", {"status": "in_progress", "progress": 5}, AGENCY, 404, "task_id"),
    ("/tasks/t3/status", {"status": "in_progress", "progress": 5}, bearer("agency", "someone-else"), 403, None),
    ("/tasks/t3/status", {"status": "in_progress", "progress": 5}, bearer("viewer", "xa"), 403, "Authorization"),
    ("/tasks/t3/status", {"status": "in_progress", "progress": 5}, {}, 401, "Authorization"),
])
async def test_one_report_refused_is_a_problem_naming_its_field_and_writes_nothing(api, path, body, headers, status, field):
    response = await api.post(path, json=body, headers=headers)
    assert response.status_code == status and response.headers["content-type"] == PROBLEM, response.text
    assert response.json().get("field") == field
    assert await versions(api, "t3") == [1]


async def test_a_batch_counts_its_request_reports_and_transaction_in_the_stage_figures(api):
    from services.tasks.entrypoints.http import REPORTS_STAGE

    for size in (3, 2):
        response = await api.post("/status-reports", json=[item(t) for t in TASKS[:size]], headers=AGENCY)
        assert response.status_code == 200, response.text
    figures = api.runtime.bus.stages.figures[REPORTS_STAGE]
    assert (figures["requests"], figures["reports"]) == (2, 5)
    assert 0 < figures["decide_commit_cpu_s"] and 0 < figures["decide_commit_s"]
