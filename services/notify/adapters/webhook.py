"""HttpWebhookPoster: POST a signed body with httpx; anything but a 2xx in time is a failure to retry."""
from __future__ import annotations

import httpx

from services.notify.domain.webhook import WebhookFailed


class HttpWebhookPoster:
    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise WebhookFailed(f"{type(error).__name__}: {error}") from error
        if not 200 <= response.status_code < 300:
            raise WebhookFailed(f"HTTP {response.status_code}")
