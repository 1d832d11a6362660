"""OpenTelemetry: one trace from an HTTP request, through the event store and Kafka, into consumers.

The traceparent of the request is stored with each event; the outbox relay puts it in the Kafka
headers; consumers start their span as its child.
"""
from __future__ import annotations

import functools
import os
from typing import Any, Iterable

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Receive, Scope, Send

PROPAGATOR = TraceContextTextMapPropagator()
TRACE_HEADERS = (b"traceparent", b"tracestate")  # all the propagator reads of a request's headers


def install_tracing(service: str, processors: Iterable[SpanProcessor] = (), console: bool = False) -> TracerProvider:
    """Install a tracer provider for this process (called from a composition root, never at import)."""
    provider = tracer_provider(service, processors, console)
    trace.set_tracer_provider(provider)
    return provider


def tracer_provider(service: str, processors: Iterable[SpanProcessor] = (), console: bool = False) -> TracerProvider:
    """The tracer provider of a service's process, with its processors and exporters.

    Spans are recorded only where something receives them (a processor given, the console, an OTLP endpoint) or where
    OTEL_TRACES_SAMPLER chooses; otherwise every span is sampled out: it still carries the trace (its traceparent goes
    into events and Kafka headers as ever) but records nothing, as the embedded run, which exports nowhere, needs.
    A recorded span cost a tenth of a small request's CPU (bench/http_stack.py)."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

    processors = list(processors)
    received = bool(processors) or console or bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
    sampler = None if received or os.environ.get("OTEL_TRACES_SAMPLER") else ALWAYS_OFF  # None: the SDK's default (or the variable's)
    provider = TracerProvider(resource=Resource.create({"service.name": f"tiendo-{service}"}), sampler=sampler)
    for processor in processors:
        provider.add_span_processor(processor)
    if console:
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):  # production: spans to the OpenTelemetry collector
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


@functools.cache
def tracer() -> trace.Tracer:
    """The tiendo tracer (a proxy until a provider is installed); cached: it is asked for once per message."""
    return trace.get_tracer("tiendo")


def spans_recorded() -> bool:
    """Whether spans made now may be recorded: False when the installed provider samples every span out (the embedded
    run, which exports nowhere: `tracer_provider`), so a caller can leave out spans that would only carry a trace it
    hands to no one (a consumer's batch spans are never made current)."""
    return getattr(trace.get_tracer_provider(), "sampler", None) is not _always_off()


@functools.cache
def _always_off() -> Any:
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

    return ALWAYS_OFF


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


def context_from(traceparent: str | None) -> otel_context.Context:
    return PROPAGATOR.extract({"traceparent": traceparent} if traceparent else {})


class TracingMiddleware:
    """A server span around every HTTP request, child of the caller's traceparent if it sent one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", ()) if k in TRACE_HEADERS}
        parent = PROPAGATOR.extract(carrier)
        name = f"{scope['method']} {scope['path']}"
        with tracer().start_as_current_span(name, context=parent, kind=SpanKind.SERVER) as span:
            span.set_attribute("http.request.method", scope["method"])
            span.set_attribute("url.path", scope["path"])

            async def send_with_status(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                await send(message)

            await self.app(scope, receive, send_with_status)
