"""Signed webhooks against real HTTP servers started by the test: one answers 500 twice then 200, one never answers.

The clock is a ManualClock: the test moves it past each backoff; only the HTTP exchange itself takes real time.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from datetime import date, datetime, timedelta

import pytest

from schemas.notify import Responsibility
from services.notify import views
from services.notify.adapters.webhook import HttpWebhookPoster
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import SECRET, Notify, assigned, directory_events, missed


class Receiver:
    """A minimal HTTP/1.1 server: answers with the next status in `statuses` (None: read the request and never answer)."""

    def __init__(self, statuses: list[int | None]) -> None:
        self.statuses, self.requests = list(statuses), []
        self.server: asyncio.AbstractServer | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body = await reader.readexactly(int(headers.get("content-length", 0)))
        self.requests.append((headers, body))
        status = self.statuses.pop(0) if self.statuses else 200
        if status is None:
            try:
                await asyncio.sleep(3600)  # never answers; cancelled at the end of the test
            except asyncio.CancelledError:
                writer.close()
            return
        writer.write(f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/hook"

    async def __aexit__(self, *exc) -> None:
        self.server.close()
        for task in [t for t in asyncio.all_tasks() if t.get_coro().__qualname__.startswith("Receiver.handle")]:
            task.cancel()


async def webhook_head(url: str, max_attempts: int = 5) -> Notify:
    notify = Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ), poster=HttpWebhookPoster(timeout=0.5), max_attempts=max_attempts)
    await notify.receive(directory_events())
    await notify.contact(Responsibility.agency_head, "vp-xa", channel="webhook", webhook_url=url)
    await notify.receive(assigned("t1", date(2026, 3, 31)) + missed("t1", date(2026, 3, 31)))
    return notify


async def test_a_webhook_answering_500_twice_is_retried_with_backoff_and_delivered_once_signed():
    receiver = Receiver([500, 500, 200])
    async with receiver as url:
        notify = await webhook_head(url)
        await notify.settle()
        assert len(receiver.requests) == 1
        await notify.tick()
        assert len(receiver.requests) == 1  # not before its backoff
        for _ in range(2):
            notify.clock.advance(timedelta(minutes=2))
            await notify.tick()
        notify.clock.advance(timedelta(hours=1))
        await notify.tick()
    assert len(receiver.requests) == 3
    headers, body = receiver.requests[-1]
    stamp = headers["x-tiendo-timestamp"]
    expected = "sha256=" + hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert headers["x-tiendo-signature"] == expected and json.loads(body)["items"] == ["t1@2026-03-31"]
    attempts = [(a["attempt"], a["outcome"]) for a in await views.audit(notify.store, channel="webhook")]
    assert attempts == [(1, "failed"), (2, "failed"), (3, "delivered")]
    assert [e.event_type for e in await notify.all_events()].count("NotificationDelivered") == 2  # webhook and inbox


@pytest.mark.timeout(60)
async def test_a_webhook_that_never_answers_fails_permanently_after_the_bound_and_the_standing_body_is_alerted():
    receiver = Receiver([None, None, None])
    async with receiver as url:
        notify = await webhook_head(url, max_attempts=3)
        await notify.settle()
        for _ in range(3):
            notify.clock.advance(timedelta(hours=2))
            await notify.tick()
    attempts = [(a["attempt"], a["outcome"]) for a in await views.audit(notify.store, channel="webhook")]
    assert attempts == [(1, "failed"), (2, "failed"), (3, "gave_up")]
    assert "ReadTimeout" in (await views.audit(notify.store, channel="webhook"))[0]["error"]
    [alert] = [a for a in await views.alerts(notify.store) if a["kind"] == "channel_failed"]
    assert alert["contact_id"] == "vp-xa.agency_head" and alert["items"] == ["t1@2026-03-31"]
    assert [m["items"] for m in await views.inbox(notify.store, "vp-xa.agency_head")] == [["t1@2026-03-31"]]  # never lost
