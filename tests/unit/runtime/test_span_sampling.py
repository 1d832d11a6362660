"""Spans are recorded where something receives them; elsewhere they carry the trace and record nothing."""
from __future__ import annotations

from opentelemetry import context as otel_context
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import set_span_in_context

from services.runtime.telemetry import PROPAGATOR, context_from, tracer_provider

CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def traceparent_inside(span) -> str | None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context=set_span_in_context(span, otel_context.Context()))
    return carrier.get("traceparent")


def test_with_nothing_to_receive_them_spans_record_nothing_but_carry_the_callers_trace(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    span = tracer_provider("tests").get_tracer("t").start_span("POST /status-reports", context=context_from(CALLER))
    assert not span.is_recording()
    assert traceparent_inside(span).startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")  # the events stored inside keep the trace
    assert traceparent_inside(span) != CALLER  # a span of its own, not the caller's
    root = tracer_provider("tests").get_tracer("t").start_span("GET /tasks")
    assert not root.is_recording() and traceparent_inside(root) is not None


def test_with_a_processor_every_span_is_recorded(monkeypatch):
    monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    exporter = InMemorySpanExporter()
    provider = tracer_provider("tests", processors=[SimpleSpanProcessor(exporter)])
    provider.get_tracer("t").start_span("GET /tasks").end()
    assert [s.name for s in exporter.get_finished_spans()] == ["GET /tasks"]
