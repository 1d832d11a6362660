"""Spans ended during a test, for the tests of tracing (import the fixture into the test module)."""
from __future__ import annotations

from typing import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from services.runtime.telemetry import install_tracing


@pytest.fixture
def finished_spans() -> Iterator[InMemorySpanExporter]:
    """OpenTelemetry sets the global provider once per process: install one if none is set, otherwise add this test's
    processor to the one already there. (With a provider installed, FastAPI's own telemetry would be on unless the app
    turns it off.)"""
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.add_span_processor(processor)
    else:
        install_tracing("tests", processors=[processor])
    yield exporter
    exporter.shutdown()  # the processor stays on the provider; a shut-down exporter keeps nothing more
