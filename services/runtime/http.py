"""Builds a service's FastAPI app: problem+json errors, body and rate limits, tracing, health, and the runtime's lifespan."""
from __future__ import annotations

import json
from typing import Annotated, Any, Awaitable, Callable, Iterable

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from pydantic_core import to_json
from starlette.exceptions import HTTPException

from services.runtime.docs import install_local_docs
from services.runtime.auth.openapi import document_refusals
from services.runtime.limits import BodyLimit, ParameterBounds, TokenBuckets
from services.runtime.idempotency import IdempotencyMiddleware
from services.runtime.problems import UNREADABLE_BODY, install_problem_handlers
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


class DirectRoute(APIRoute):
    """An operation whose arguments one function (`arguments`) resolves from the request, and whose answer is encoded
    once by pydantic-core: for the hot writes, where FastAPI's generic dependency solving, its JSON decoding of the body
    before validating it, and its encoding pass cost more than a small request's own work (bench/http_stack.py).

    FastAPI still reads the endpoint's signature for the OpenAPI document, so `arguments` must give every parameter the
    signature declares and enforce what it declares there: the role alias (`auth.require`), the body's model and bounds
    (`json_body`), each header's bound. A test per route holds the two together. Errors raised while resolving go to the
    app's problem handlers as any route's do."""

    arguments: Callable[[Request], Awaitable[dict[str, Any]]]

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        endpoint, arguments, status = self.endpoint, type(self).arguments, self.status_code or 200

        async def handle(request: Request) -> Response:
            return Response(to_json(await endpoint(**await arguments(request))), status_code=status, media_type="application/json")

        return handle


def direct(arguments: Callable[[Request], Awaitable[dict[str, Any]]]) -> type[DirectRoute]:
    """The route class (`route_class_override=`) of an operation whose arguments `arguments` resolves."""
    return type(f"DirectRoute_{arguments.__name__}", (DirectRoute,), {"arguments": staticmethod(arguments)})


async def json_body(request: Request, adapter: TypeAdapter) -> Any:
    """The request's JSON body validated by `adapter` straight from its bytes (pydantic-core parses and validates in one
    pass), refused with the errors FastAPI gives a declared body: missing, not JSON (at character N), not UTF-8, not
    declared as JSON (validated as bytes, so refused), each wrong value at ("body", item, field…)."""
    body = await request.body()
    if not body:
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    try:
        if not _declares_json(request.headers.get("content-type")):
            return adapter.validate_python(body)  # FastAPI's strict content type: the bytes, which a JSON model refuses
        return adapter.validate_json(body)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        if any(e["type"] == "json_invalid" for e in errors):
            return _validated(adapter, _decoded(body))  # what the standard decoder says of it, as FastAPI would answer
        raise _invalid(errors) from None


def _declares_json(content_type: str | None) -> bool:
    kind = (content_type or "").partition(";")[0].strip().lower()
    maintype, _, subtype = kind.partition("/")
    return maintype == "application" and (subtype == "json" or subtype.endswith("+json"))


def _decoded(body: bytes) -> Any:
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body", error.pos), "msg": "JSON decode error", "input": {},
                                       "ctx": {"error": error.msg}}]) from None
    except ValueError:  # not UTF-8
        raise HTTPException(400, UNREADABLE_BODY) from None


def _validated(adapter: TypeAdapter, value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError as error:
        raise _invalid(error.errors(include_url=False)) from None


def _invalid(errors: list) -> RequestValidationError:
    return RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors])
