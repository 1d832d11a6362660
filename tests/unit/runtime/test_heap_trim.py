"""Every service gives the C heap's free pages back to the system: after a catch-up the heap held ≈ 100 MB freed but not
returned (bench/history/national-scale.md, "RSS at national size (2026-11-30, reporting-rss)")."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from types import SimpleNamespace

import pytest

from services.runtime import heap
from tests.support.polling import eventually

FRAGMENTED = """
import json
from services.runtime.heap import malloc_trim
def rss():
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')) // 1024
held = [bytes(2000) for _ in range(60_000)]  # ≈ 120 MB of heap chunks (past pymalloc's 512 bytes: glibc's heap)
kept = held[::50]  # one in fifty stays, so free() cannot shrink the heap from its top
del held
before = rss()
trimmed = malloc_trim()()
print(json.dumps({"before": before, "after": rss(), "trimmed": trimmed, "kept": len(kept)}))
"""


@pytest.mark.skipif(heap.malloc_trim() is None, reason="not glibc: no malloc_trim")
def test_a_trim_returns_the_freed_heap_that_free_kept():
    out = subprocess.run([sys.executable, "-c", FRAGMENTED], capture_output=True, text=True, timeout=120, check=True)
    figures = json.loads(out.stdout)
    assert figures["trimmed"] is True
    assert figures["before"] - figures["after"] >= 60, figures  # most of the ≈ 118 MB freed goes back


async def test_the_loop_trims_every_period(monkeypatch):
    calls = []
    monkeypatch.setattr(heap, "malloc_trim", lambda: lambda: calls.append(1) or True)
    loops = []
    heap.register(SimpleNamespace(run_loop=loops.append), every=0.01)
    task = asyncio.create_task(loops[0]())
    try:
        async def trimmed_twice():
            return len(calls) >= 2
        await eventually(trimmed_twice, timeout=10, what="two trims")
    finally:
        task.cancel()


def test_without_malloc_trim_no_loop_is_started(monkeypatch):
    monkeypatch.setattr(heap, "malloc_trim", lambda: None)
    loops = []
    heap.register(SimpleNamespace(run_loop=loops.append))
    assert loops == []


async def test_every_service_runtime_registers_the_trim(monkeypatch):
    from services.runtime.memory_store import MemoryStore
    from services.runtime.clock import SystemClock
    from services.runtime.service import ServiceRuntime
    from services.runtime.settings import ServiceSettings

    registered = []
    monkeypatch.setattr(heap, "register", registered.append)
    runtime = ServiceRuntime("test", ServiceSettings(environment="test"), MemoryStore(), SystemClock())
    assert registered == [runtime]
