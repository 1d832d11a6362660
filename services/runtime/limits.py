"""Limits at the edge: the size of a request body, and how often one credential may call.

The body cap is ASGI middleware: a declared Content-Length over the cap is refused before a byte
is read, and a body sent without one (chunked) is counted as it arrives and refused when it
passes the cap. Multipart uploads (plan documents) have their own, larger cap.

The rate limit is a token bucket per key id (so per credential, not per address), kept in the
process: a deployment with several instances of a service allows that many times the rate.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROBLEM = "application/problem+json"


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
