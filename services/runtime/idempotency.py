"""HTTP writes accept an `Idempotency-Key`: a client that retries after a lost response gets the first answer again.

The first response (status below 500) to a write carrying the header is kept for a day in the
service's store, under the key and the caller's credential; the same request again is answered
from there, marked `Idempotent-Replayed: true`, and does nothing twice. The same key with a
different request is refused (422). Concurrent copies in one process wait for the first.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
from typing import Any, Callable

IDEMPOTENCY = "idempotency"
KEEP_SECONDS = 24 * 3600
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _problem(status: int, title: str, detail: str, path: str) -> tuple[int, bytes]:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": path, "field": "Idempotency-Key"}
    return status, json.dumps(body).encode()


class IdempotencyMiddleware:
    def __init__(self, app: Any, store_of: Callable[[], Any]) -> None:
        self.app, self.store_of = app, store_of
        self._locks: dict[str, asyncio.Lock] = {}

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITES:
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        key = headers.get(b"idempotency-key")
        if key is None:
            return await self.app(scope, receive, send)
        if not 1 <= len(key) <= 200 or not key.decode("latin-1").isprintable():
            return await _answer(send, *_problem(400, "invalid Idempotency-Key", "give 1 to 200 printable characters", scope["path"]))
        body = await _read_body(receive)
        fingerprint = hashlib.sha256(b"\n".join([scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body])).hexdigest()
        doc_id = hashlib.sha256(headers.get(b"authorization", b"") + b"\n" + key).hexdigest()
        lock = self._locks.setdefault(doc_id, asyncio.Lock())
        try:
            async with lock:
                await self._once(scope, _replay(body, receive), fingerprint, doc_id, send)
        finally:
            if not lock.locked():
                self._locks.pop(doc_id, None)

    async def _once(self, scope: dict, receive: Callable, fingerprint: str, doc_id: str, send: Callable) -> None:
        store = self.store_of()
        kept = await store.get(IDEMPOTENCY, doc_id)
        if kept and time.time() - kept["at"] < KEEP_SECONDS:
            if kept["fingerprint"] != fingerprint:
                detail = "this Idempotency-Key was used for a different request; use a new key for a new request"
                return await _answer(send, *_problem(422, "Idempotency-Key reused", detail, scope["path"]))
            return await _answer(send, kept["status"], base64.b64decode(kept["body"]), kept["content_type"], replayed=True)
        captured: dict[str, Any] = {"body": b""}

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["content_type"] = dict(message.get("headers") or ()).get(b"content-type", b"application/json").decode()
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        await self.app(scope, receive, capture)
        if captured.get("status", 500) < 500:
            await store.put(IDEMPOTENCY, doc_id, {"fingerprint": fingerprint, "status": captured["status"], "at": time.time(),
                                                  "content_type": captured["content_type"], "body": base64.b64encode(captured["body"]).decode()})


async def _read_body(receive: Callable) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes, receive: Callable) -> Callable:
    """The body read already, then whatever the client sends next (its disconnect)."""
    sent = False

    async def replayed() -> dict:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


async def _answer(send: Callable, status: int, body: bytes, content_type: str = "application/problem+json", replayed: bool = False) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    if replayed:
        headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
