"""Builds a service's FastAPI app: problem+json errors, body and rate limits, tracing, health, and the runtime's lifespan."""
from __future__ import annotations

from typing import Annotated, Iterable

from fastapi import APIRouter, Depends, FastAPI, Request, Response

from services.runtime.docs import install_local_docs
from services.runtime.auth.openapi import document_refusals
from services.runtime.limits import BodyLimit, ParameterBounds, TokenBuckets
from services.runtime.idempotency import IdempotencyMiddleware
from services.runtime.problems import install_problem_handlers
from services.runtime.readiness import readiness
from services.runtime.service import ServiceRuntime
from services.runtime.telemetry import TracingMiddleware

# FastAPI's own OpenTelemetry (on as soon as a tracer provider is installed, as every service's process does) adds a server
# span, a span around each dependency, the endpoint and the serialisation, and metrics: five spans a request on top of
# TracingMiddleware's one, a fifth of a small request's CPU (bench/http_stack.py). TracingMiddleware's span is the request's.
NO_NATIVE_TELEMETRY = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


def build_app(runtime: ServiceRuntime, routers: Iterable[APIRouter], title: str) -> FastAPI:
    app = FastAPI(title=title, lifespan=runtime.lifespan, docs_url=None, redoc_url=None, telemetry=NO_NATIVE_TELEMETRY)
    install_local_docs(app)  # Swagger UI from the installed package, nothing from a CDN
    app.state.runtime = runtime
    settings = runtime.settings
    app.state.rate_limits = TokenBuckets(settings.rate_per_second, settings.rate_burst)
    install_problem_handlers(app)
    app.add_middleware(ParameterBounds)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(TracingMiddleware)
    app.add_middleware(IdempotencyMiddleware, store_of=lambda: runtime.store)

    @app.get("/health", tags=["operations"])
    async def health() -> dict:
        relay = runtime.relay
        return {"service": runtime.name, "status": "ok", "published": relay.published if relay else None}

    @app.get("/ready", tags=["operations"], responses={503: {"description": "not ready: see the failed checks"}})
    async def ready(response: Response) -> dict:
        """Store and broker reachable, consumers joined, relay and consumer lags bounded, nothing parked."""
        report = await readiness(runtime)
        response.status_code = 200 if report["ready"] else 503
        return report

    for router in routers:
        app.include_router(router)
    document_refusals(app)
    return app


async def current_runtime(request: Request) -> ServiceRuntime:  # async: FastAPI runs a sync dependency in its thread pool
    return request.app.state.runtime


Runtime = Annotated[ServiceRuntime, Depends(current_runtime)]
