"""The embedded run waits for a service that answers /health late (its event loop busy catching up), not only for a fast one."""
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.embedded.processes import Layout, ProcessGroup


class SlowHealth(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        time.sleep(1.5)  # longer than the former 1 s probe
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_service(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowHealth)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    layout = Layout(var=tmp_path, ports={"notify": server.server_address[1]})
    group = ProcessGroup(layout)
    group.processes["notify"] = process
    yield group
    process.kill()
    process.wait()
    server.shutdown()


def test_a_service_that_answers_health_late_is_healthy(slow_service):
    started = time.monotonic()
    slow_service.wait_healthy(("notify",), timeout=8)
    assert 1.4 < time.monotonic() - started < 8


def test_a_service_that_exits_is_named(slow_service):
    slow_service.processes["notify"].kill()
    slow_service.processes["notify"].wait()
    with pytest.raises(RuntimeError, match="notify exited"):
        slow_service.wait_healthy(("notify",), timeout=8)
