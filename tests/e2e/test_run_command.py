"""The README's run command: everything starts, the demo is there, mail reaches the sink, Ctrl-C stops it all."""
from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from services.embedded.processes import Layout

pytestmark = pytest.mark.e2e


def read_until(process: subprocess.Popen, marker: str, timeout: float) -> str:
    seen, deadline = "", time.monotonic() + timeout
    os.set_blocking(process.stdout.fileno(), False)
    while marker not in seen:
        if time.monotonic() > deadline or process.poll() is not None:
            raise AssertionError(f"no {marker!r} from tiendo run; output so far:\n{seen}")
        chunk = process.stdout.read()
        seen += chunk.decode() if chunk else ""
        time.sleep(0.1)
    return seen


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_tiendo_run_starts_the_demo_mails_the_overdue_head_and_stops_cleanly_on_ctrl_c(tmp_path):
    offset = random.randrange(20000, 30000, 100)
    layout = Layout(var=tmp_path / "var").shifted(offset)
    process = subprocess.Popen([sys.executable, "-m", "services.cli", "run", "--var", str(layout.var), "--port-offset", str(offset)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output = read_until(process, "data and logs in", timeout=180)
        assert layout.url("reporting") in output and "demo loaded" in output
        dashboard = re.search(r"(http://\S+/dashboard/cao-bang\?token=(\S+))", output)
        assert dashboard, output
        page = httpx.get(dashboard.group(1), timeout=10)
        assert page.status_code == 200 and "Tỉnh Cao Bằng" in page.text
        viewer = {"Authorization": f"Bearer {dashboard.group(2)}"}
        summary = httpx.get(f"{layout.url('reporting')}/units/cao-bang/summary", headers=viewer, timeout=10).json()
        commune = httpx.get(f"{layout.url('reporting')}/units/truong-ha/summary", headers=viewer, timeout=10).json()
        assert summary["unit"]["name"] == "Tỉnh Cao Bằng" and commune["own"]["all"] == 6  # the commune plan's six tasks

        deadline = time.monotonic() + 60
        while not list((layout.var / "mail").glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.2)
        mails = [p.read_text(errors="replace") for p in (layout.var / "mail").glob("*.eml")]
        assert any("tuphap@truongha.example.vn" in m for m in mails), "the head of the overdue task's agency got no mail"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        code = process.wait(timeout=60)
    assert code == 0
    ports = [layout.kafka_port, layout.smtp_port, *layout.ports.values()]
    assert not any(listening(p) for p in ports), "a process of the run is still listening after Ctrl-C"
