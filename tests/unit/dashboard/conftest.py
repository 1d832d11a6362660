"""The reporting app over an in-memory store holding the small province; no broker (lifespan not started)."""
from __future__ import annotations

import httpx
import pytest

from services.reporting.bootstrap import create_app
from services.runtime.bus import Bus
from services.runtime.clock import ManualClock
from services.runtime.settings import ServiceSettings
from tests.unit.dashboard.province import NOW, province_store
from tests.support.auth import bearer


@pytest.fixture
async def reporting():
    settings = ServiceSettings(environment="test")
    app = await create_app(settings, clock=ManualClock(NOW), store=await province_store(), bus=Bus("127.0.0.1:1", client_id="unused"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), headers=bearer(app.state.runtime.settings.token_secret, "administrator", "test-admin"), base_url="http://test") as client:
        yield client
