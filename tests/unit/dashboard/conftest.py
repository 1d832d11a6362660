"""The reporting app over an in-memory store holding the small province; no broker (lifespan not started)."""
from __future__ import annotations

import httpx
import pytest

from services.reporting.bootstrap import create_app
from services.runtime.bus import Bus
from services.runtime.clock import ManualClock
from services.runtime.settings import ServiceSettings
from tests.unit.dashboard.province import NOW, province_store


@pytest.fixture
async def reporting():
    settings = ServiceSettings(environment="test", viewer_auth=False)
    app = await create_app(settings, clock=ManualClock(NOW), store=await province_store(), bus=Bus("127.0.0.1:1", client_id="unused"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client
