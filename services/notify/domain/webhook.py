"""Signed webhooks: which URLs are allowed, how a body is signed, and when a failed delivery is tried again."""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Protocol
from urllib.parse import urlsplit

from services.notify.domain.errors import WebhookNotAllowed

SIGNATURE_HEADER = "X-Tiendo-Signature"  # "sha256=<hex of HMAC-SHA256 over '<timestamp>.<body>'>"
TIMESTAMP_HEADER = "X-Tiendo-Timestamp"  # unix seconds; receivers refuse old ones (replay)


class WebhookFailed(Exception):
    """The receiver did not answer 2xx in time; sending again later may work."""


class WebhookPoster(Protocol):
    """The port (adapters implement it): POST a signed body to a URL."""

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        """Deliver; raise WebhookFailed unless the receiver answered 2xx in time."""


def check_url(url: str, allowed_hosts: list[str]) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookNotAllowed(f"a webhook URL must be http(s)://host/…, not {url!r}", field="webhook_url")
    host = parts.hostname.lower()
    if not any(host == allowed or (allowed.startswith(".") and host.endswith(allowed)) for allowed in allowed_hosts):
        raise WebhookNotAllowed(f"host {host!r} is not among the allowed webhook hosts", field="webhook_url")
    return url


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def backoff(attempt: int, jitter: float, base: timedelta = timedelta(seconds=30), cap: timedelta = timedelta(hours=1)) -> timedelta:
    """Wait before attempt `attempt + 1`: exponential from `base`, capped, with full jitter (`jitter` in [0, 1) is given)."""
    ceiling = min(cap, base * (2 ** (attempt - 1)))
    return ceiling * (0.5 + jitter / 2)
