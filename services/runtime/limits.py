"""Limits at the edge: the size of a request body, of every path and query parameter, and how often one credential may call.

The body cap is ASGI middleware: a declared Content-Length over the cap is refused before a byte
is read, and a body sent without one (chunked) is counted as it arrives and refused when it
passes the cap. Multipart uploads (plan documents) have their own, larger cap.

Path and query parameters are bounded in one place (`ParameterBounds`, middleware of every app, and the same
bound written into each string parameter's OpenAPI schema): ids are far shorter, a signed link's token fits.

The rate limit is a token bucket per key id (so per credential, not per address), kept in the
process: a deployment with several instances of a service allows that many times the rate.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from fastapi.routing import APIRoute, iter_route_contexts
from schemas.rejections import Invalid
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.runtime.problems import problem_response

PROBLEM = "application/problem+json"
MAX_PARAMETER_CHARS = 1000  # every path and query parameter value
MAX_QUERY_PARAMETERS = 50


class ParameterBounds:
    """Refuse (422 naming the parameter) a path or query value longer than MAX_PARAMETER_CHARS, or too many query values,
    on any operation of the app, before anything else of the request runs.

    It was an app-wide FastAPI dependency: one more dependency to solve on every request, about a tenth of a small one's
    CPU (bench/http_stack.py). Here nearly every request passes on its raw lengths: a path parameter is a part of the
    path and a query value a part of the query string (decoding only shortens them), and a query string holds at most
    one value more than it has '&'. Only a request that could break a bound is matched against the app's routes, to name
    the value; a request for no route goes on to the app's 404 or 405 as before."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (len(scope["path"]) > MAX_PARAMETER_CHARS or len(scope["query_string"]) > MAX_PARAMETER_CHARS
                                        or scope["query_string"].count(b"&") >= MAX_QUERY_PARAMETERS):
            refusal = _out_of_bounds(scope)
            if refusal is not None:
                response = problem_response(refusal.status, refusal.title, refusal.detail, scope["path"], field=refusal.field)
                return await response(scope, receive, send)
        await self.app(scope, receive, send)


def _out_of_bounds(scope: Scope) -> Invalid | None:
    parameters = _path_parameters(scope["app"].routes, scope["method"], scope["path"])
    if parameters is None:
        return None
    query = QueryParams(scope["query_string"]).multi_items()
    if len(query) > MAX_QUERY_PARAMETERS:
        return Invalid(f"more than {MAX_QUERY_PARAMETERS} query parameters", field="query")
    for name, value in [*parameters.items(), *query]:
        if len(value) > MAX_PARAMETER_CHARS:
            return Invalid(f"longer than {MAX_PARAMETER_CHARS} characters", field=name)
    return None


def _path_parameters(routes: list, method: str, path: str) -> dict[str, str] | None:
    """The path parameters of the operation (a FastAPI route, documented or not, e.g. the dashboard's pages) that
    `method path` would reach, or None when none would. No route of ours has a parameter spanning segments."""
    segments = path.split("/")
    for route in iter_route_contexts(routes):
        parts = route.path.split("/")
        if (isinstance(route.original_route, APIRoute) and method in (route.methods or ()) and len(parts) == len(segments)
                and all(p == s or p.startswith("{") for p, s in zip(parts, segments))):
            return {p.strip("{}"): s for p, s in zip(parts, segments) if p.startswith("{")}
    return None


def document_parameter_bounds(schema: dict) -> None:
    """Write MAX_PARAMETER_CHARS into every string path/query parameter of an OpenAPI document that has no bound of its own."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") not in ("path", "query"):
                    continue
                param_schema = parameter.get("schema", {})
                for option in param_schema.get("anyOf", [param_schema]):
                    if option.get("type") == "string" and "maxLength" not in option and "enum" not in option and "format" not in option:
                        option["maxLength"] = MAX_PARAMETER_CHARS


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int) -> None:
        self.app, self.max_bytes, self.max_upload_bytes = app, max_bytes, max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        upload = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        cap = self.max_upload_bytes if upload else self.max_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            return await _too_large(scope, send, cap)
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:  # answered 413 as problem+json by the app's handler of HTTP errors
                    raise HTTPException(413, f"the request body is larger than {cap} bytes")
            return message

        await self.app(scope, counted, send)


async def _too_large(scope: Scope, send: Send, cap: int) -> None:
    body = json.dumps({"type": "about:blank", "title": "request too large", "status": 413, "instance": scope.get("path"),
                       "detail": f"the request body is larger than {cap} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", PROBLEM.encode()), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


@dataclass
class TokenBuckets:
    """`rate` calls a second on average, `burst` at once, per key; `take` says how long to wait when empty."""

    rate: float
    burst: float
    clock: object = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, key: str) -> float:
        """0 when the call may go ahead (a token is taken), else the seconds until a token is there."""
        now = self.clock()
        tokens, then = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > 100_000:  # forget idle keys rather than grow without bound
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 3600}
        return (1 - tokens) / self.rate
