"""Keys for benchmarks: signed with the embedded run's secret, as plans would hand them out (benches measure the pipeline,
not sign-in)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from services.embedded.processes import Layout
from services.runtime.auth.secret import read_secret
from services.runtime.credentials import issue_token


def token_for(layout: Layout, role: str, subject: str) -> str:
    now = datetime.now(timezone.utc)
    return issue_token(read_secret(layout.secret_file), role, subject, now=now - timedelta(days=1), valid_for=timedelta(days=2))[0]


def as_role(layout: Layout, role: str, subject: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(layout, role, subject)}"}


def admin_token(secret: str, now: datetime | None = None) -> str:
    """An administrator's key for a service built in the bench's own process (its settings hold the secret);
    `now`: the service's clock, when the bench drives one."""
    now = now or datetime.now(timezone.utc)
    return issue_token(secret, "administrator", "bench", now=now - timedelta(days=1), valid_for=timedelta(days=2))[0]
