"""Credentials for tests: minted with the deployment's secret, as plans would hand them out."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx

from services.runtime.credentials import issue_token

ADMIN = ("administrator", "test-admin")


def mint(secret: str, role: str, subject: str, days: float = 3650) -> str:
    # far beyond any test clock (some tests run in 2023, the system clock later): only expiry tests shorten it
    now = datetime.now(timezone.utc)
    return issue_token(secret, role, subject, now=now - timedelta(days=days), valid_for=timedelta(days=2 * days))[0]


def bearer(secret: str, role: str, subject: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint(secret, role, subject)}"}


class ServiceClient(httpx.AsyncClient):
    """An HTTP client that sends an administrator's credential unless told otherwise; `as_` gives headers for another role."""

    def __init__(self, secret: str, *args, role: tuple[str, str] | None = ADMIN, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.secret = secret
        if role:
            self.headers["Authorization"] = f"Bearer {mint(secret, *role)}"

    def as_(self, role: str, subject: str) -> dict[str, str]:
        return bearer(self.secret, role, subject)

    def act_as(self, role: str, subject: str) -> None:
        """From now on send this role's credential by default."""
        self.headers.update(self.as_(role, subject))
