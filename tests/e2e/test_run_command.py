"""The README's run command: everything starts, the demo is there, mail reaches the sink, Ctrl-C stops it all."""
from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import stat
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
    # every shifted port (services from 8001, broker 19092) stays below the kernel's ephemeral range (from 32768), where
    # an outgoing connection of another test can take a port between tiendo run's check and its bind
    offset = random.randrange(1000, 13000, 100)
    layout = Layout(var=tmp_path / "var").shifted(offset)
    # started with SIGINT ignored, as a background job of a non-interactive shell starts it (`make test &`): Ctrl-C must
    # stop it all the same (Python keeps an inherited SIG_IGN unless the program sets its own handler)
    process = subprocess.Popen([sys.executable, "-m", "services.cli", "run", "--var", str(layout.var), "--port-offset", str(offset)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        output = read_until(process, "data and logs in", timeout=180)
        assert layout.url("reporting") in output and "demo loaded" in output
        dashboard = re.search(r"(http://\S+/dashboard/cao-bang\?token=(\S+))", output)
        assert dashboard, output
        page = httpx.get(dashboard.group(1), timeout=10)
        assert page.status_code == 200 and "Tỉnh Cao Bằng" in page.text
        viewer = {"Authorization": f"Bearer {dashboard.group(2)}"}
        summary = httpx.get(f"{layout.url('reporting')}/units/cao-bang/summary", headers=viewer, timeout=10).json()
        assert summary["unit"]["name"] == "Tỉnh Cao Bằng" and summary["total"]["all"] == 20  # 6 + 12 (records plan) in the commune, 2 of the province
        commune = httpx.get(f"{layout.url('reporting')}/units/xa-truong-ha-01392/summary", headers=viewer, timeout=10).json()
        assert commune["own"]["all"] == 18  # the commune plan's six tasks and the records plan's twelve

        # a newcomer finds every role's key where the output says, readable by the owner only
        keys_file = layout.var / "credentials.json"
        assert str(keys_file) in output and stat.S_IMODE(keys_file.stat().st_mode) == 0o600
        assert stat.S_IMODE((layout.var / "secret").stat().st_mode) == 0o600
        keys = json.loads(keys_file.read_text())
        assert {"ca-truong-ha", "vp-truong-ha", "tp-truong-ha", "ca-cao-bang"} <= set(keys["agencies"])
        assert {"cao-bang", "xa-truong-ha-01392"} <= set(keys["viewers"])
        admin = {"Authorization": f"Bearer {keys['admin']}"}
        assert httpx.get(f"{layout.url('notify')}/contacts", headers=admin, timeout=10).status_code == 200
        assert httpx.get(f"{layout.url('notify')}/contacts", headers=viewer, timeout=10).status_code == 403
        assert httpx.get(f"{layout.url('notify')}/contacts", timeout=10).status_code == 401
        agency = {"Authorization": f"Bearer {keys['agencies']['tp-truong-ha']}"}
        assert httpx.get(f"{layout.url('tasks')}/tasks/th45.2", headers=agency, timeout=10).json()["progress"] == 70

        deadline = time.monotonic() + 60
        mails: list[str] = []
        while not any("tuphap@truongha.example.vn" in m for m in mails) and time.monotonic() < deadline:
            time.sleep(0.2)  # digests for several heads land together; wait for this head's
            mails = [p.read_text(errors="replace") for p in (layout.var / "mail").glob("*.eml")]
        assert any("tuphap@truongha.example.vn" in m for m in mails), "the head of the overdue task's agency got no mail"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # leave nothing running behind a failed test
            raise
    assert code == 0
    ports = [layout.kafka_port, layout.smtp_port, *layout.ports.values()]
    assert not any(listening(p) for p in ports), "a process of the run is still listening after Ctrl-C"


def test_tiendo_run_stops_every_process_on_sigterm_when_its_output_is_gone(tmp_path):
    """An engineer's ssh session dropped: nobody reads the run's output any more; SIGTERM must still stop it all."""
    offset = random.randrange(1000, 13000, 100)
    layout = Layout(var=tmp_path / "var").shifted(offset)
    process = subprocess.Popen([sys.executable, "-m", "services.cli", "run", "--var", str(layout.var), "--port-offset", str(offset),
                                "--no-demo"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        read_until(process, "watching the broker", timeout=180)
        ports = [layout.kafka_port, layout.smtp_port, *layout.ports.values()]
        assert all(listening(p) for p in ports)
        process.stdout.close()  # the reader is gone: the run's next print fails
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(listening(p) for p in ports) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(listening(p) for p in ports), "a process of the run is still listening after SIGTERM"
    finally:
        os.killpg(process.pid, signal.SIGKILL) if process.poll() is None else None
