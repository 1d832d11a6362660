"""notify gives the C heap's freed pages back more often than the runtime's minute: a catch-up over a republished
history at national size grew its RSS past 300 MB between two trims."""
from __future__ import annotations

from datetime import datetime

import pytest

from services.notify.bootstrap import create_app
from services.notify.settings import NotifySettings
from services.runtime import heap
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.memory_store import MemoryStore
from tests.unit.notify.memory_mailer import MemoryMailer

SECRET = "a-test-secret-long-enough-for-the-settings-check"


@pytest.mark.skipif(heap.malloc_trim() is None, reason="no malloc_trim in this C library")
async def test_notify_registers_its_own_heap_trim_beside_the_runtimes_minute():
    settings = NotifySettings(environment="test", store_url="memory://", token_secret=SECRET, heap_trim_seconds=5)
    app = await create_app(settings, store=MemoryStore(), mailer=MemoryMailer(), clock=ManualClock(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ)))
    trims = [loop for loop in app.state.runtime._loops if loop.__module__ == heap.__name__]
    assert len(trims) == 2  # the runtime's, once a minute, and notify's own, every heap_trim_seconds


def test_the_trim_interval_is_bounded():
    with pytest.raises(ValueError, match="heap_trim_seconds"):
        NotifySettings(environment="test", store_url="memory://", token_secret=SECRET, heap_trim_seconds=0.01)
