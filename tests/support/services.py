"""Running a service's app in the test process, against the real broker and a real store."""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import httpx
from fastapi import FastAPI

from services.runtime.settings import ServiceSettings
from tests.support.auth import ADMIN, ServiceClient

TEST_SECRET = "test-secret-shared-by-the-services-of-one-test"


def settings_for(bootstrap: str, tmp_path: Path, name: str, **overrides) -> ServiceSettings:
    values = dict(
        environment="test", kafka_bootstrap=bootstrap, store_url=f"sqlite:///{tmp_path / name}.sqlite3",
        consumer_group_prefix=f"test-{tmp_path.name}", token_secret=TEST_SECRET, deadline_scan_seconds=0.2, broker_check_seconds=1.0,
    )
    values.update(overrides)
    return ServiceSettings(**values)


@asynccontextmanager
async def running(app: FastAPI, role: tuple[str, str] | None = ADMIN) -> AsyncIterator[ServiceClient]:
    """Start the app's lifespan (bus, relay, consumers) and give an HTTP client to it (an administrator's, by default)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        secret = app.state.runtime.settings.token_secret
        async with ServiceClient(secret, transport=transport, base_url="http://test", role=role) as client:
            yield client
