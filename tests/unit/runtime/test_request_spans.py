"""One server span per HTTP request, child of the caller's traceparent: FastAPI's own spans stay off."""
from __future__ import annotations

from typing import Iterator

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from services.runtime.telemetry import install_tracing
from tests.support.auth import bearer
from tests.unit.auth.apps import SECRET, build

CALLER_TRACE, CALLER_SPAN = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"


@pytest.fixture
def finished_spans() -> Iterator[InMemorySpanExporter]:
    """As tests/integration/test_tracing.py: the process's one provider (installed if none), this test's processor on it.
    With a provider installed, FastAPI's own telemetry would be on unless the app turns it off."""
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        install_tracing("tests", processors=[SimpleSpanProcessor(exporter)])
    yield exporter
    exporter.shutdown()


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
