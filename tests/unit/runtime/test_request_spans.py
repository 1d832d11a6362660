"""One server span per HTTP request, child of the caller's traceparent: FastAPI's own spans stay off."""
from __future__ import annotations


import httpx
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from tests.support.auth import bearer
from tests.support.tracing import finished_spans  # noqa: F401  (a fixture)
from tests.unit.auth.apps import SECRET, build

CALLER_TRACE, CALLER_SPAN = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"


async def test_a_request_is_one_server_span_child_of_the_callers_traceparent(finished_spans):
    app = await build("tasks")
    headers = {**bearer(SECRET, "agency", "ca-xa"), "traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tasks") as client:
        answered = await client.get("/tasks/kh-1.1", headers=headers)
    assert answered.status_code == 404  # no such task: the request went through authentication, the route and the handler
    spans = [s for s in finished_spans.get_finished_spans() if format(s.context.trace_id, "032x") == CALLER_TRACE]
    assert [(s.name, s.kind) for s in spans] == [("GET /tasks/kh-1.1", SpanKind.SERVER)]
    assert format(spans[0].parent.span_id, "016x") == CALLER_SPAN
    assert spans[0].attributes["http.response.status_code"] == 404
