"""The embedded run's processes: the bundled broker, the SMTP sink and the four services, each its own process."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from services.runtime.auth.secret import ensure_secret
from services.runtime.broker import start_tansu, wait_for_port

SERVICES = ("plans", "tasks", "reporting", "notify")
PROBE_SECONDS = 10.0  # how long one /health probe waits for its answer


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0


@dataclass
class Layout:
    """Where the embedded run keeps its data and which loopback ports it uses."""

    var: Path
    kafka_port: int = 19092
    smtp_port: int = 8025
    ports: dict[str, int] = field(default_factory=lambda: {"plans": 8001, "tasks": 8002, "reporting": 8003, "notify": 8004})
    host: str = "127.0.0.1"

    def shifted(self, offset: int) -> "Layout":
        return Layout(var=self.var, kafka_port=self.kafka_port + offset, smtp_port=self.smtp_port + offset,
                      ports={name: port + offset for name, port in self.ports.items()}, host=self.host)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.kafka_port}"

    def url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"

    @property
    def clock_file(self) -> Path:
        return self.var / "clock.txt"

    @property
    def secret_file(self) -> Path:
        return self.var / "secret"

    def env(self, service: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TIENDO_")}
        env.update(
            TIENDO_ENVIRONMENT="embedded", TIENDO_KAFKA_BOOTSTRAP=self.bootstrap,
            TIENDO_STORE_URL=f"sqlite:///{self.var / service}.sqlite3", TIENDO_HTTP_HOST=self.host,
            TIENDO_HTTP_PORT=str(self.ports[service]), TIENDO_CLOCK=f"file:{self.clock_file}",
            TIENDO_SMTP_HOST=self.host, TIENDO_SMTP_PORT=str(self.smtp_port), PYTHONUNBUFFERED="1",
            TIENDO_TOKEN_SECRET_FILE=str(self.secret_file),
            TIENDO_NOTIFY_URL=self.url("notify"), TIENDO_PUBLIC_URL=self.url("notify"), TIENDO_GROUP_WAIT_SECONDS="5",
            TIENDO_WEEKENDS_OFF="false",  # the demo mails on any day of the week; holidays still defer
        )
        env.update(extra or {})
        return env


class ProcessGroup:
    """Starts, restarts and stops the embedded run's processes; logs go to var/logs/."""

    def __init__(self, layout: Layout, service_env: dict[str, str] | None = None) -> None:
        self.layout, self.service_env = layout, service_env or {}
        self.processes: dict[str, subprocess.Popen] = {}
        (layout.var / "logs").mkdir(parents=True, exist_ok=True)
        ensure_secret(layout.secret_file)  # first start: a fresh signing secret, 0600

    def _log(self, name: str):
        return open(self.layout.var / "logs" / f"{name}.log", "ab")

    def start_broker(self) -> None:
        self.processes["broker"] = start_tansu(self.layout.host, self.layout.kafka_port, self.layout.var / "logs" / "broker.log")

    def start_smtp_sink(self) -> None:
        cmd = [sys.executable, "-m", "services.notify.adapters.smtp_sink", "--host", self.layout.host,
               "--port", str(self.layout.smtp_port), "--dir", str(self.layout.var / "mail")]
        self.processes["smtp"] = subprocess.Popen(cmd, stdout=self._log("smtp"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.layout.host, self.layout.smtp_port, timeout=20, process=self.processes["smtp"])

    def start_service(self, name: str) -> None:
        cmd = [sys.executable, "-m", f"services.{name}"]
        self.processes[name] = subprocess.Popen(cmd, env=self.layout.env(name, self.service_env), stdout=self._log(name),
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, names: tuple[str, ...] = SERVICES, timeout: float = 60) -> None:
        """Until each service answers /health. A slow answer is an answer: at national size a service going through its
        republished history answers its first probes seconds late on a busy machine (4 s seen at load 4), and a 1 s
        probe gave up on every one of them until the minute was over."""
        deadline = time.monotonic() + timeout
        for name in names:
            while True:
                process = self.processes[name]
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {process.returncode}; see {self.layout.var}/logs/{name}.log")
                try:
                    wait = max(1.0, min(PROBE_SECONDS, deadline - time.monotonic()))
                    with urllib.request.urlopen(f"{self.layout.url(name)}/health", timeout=wait) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} not healthy after {timeout}s; see {self.layout.var}/logs/{name}.log")
                time.sleep(0.2)

    def start_all(self) -> None:
        taken = [p for p in (self.layout.kafka_port, self.layout.smtp_port, *self.layout.ports.values()) if port_in_use(self.layout.host, p)]
        if taken:
            raise RuntimeError(f"port {taken[0]} is already in use (another tiendo run?); stop it or pass --port-offset 100")
        self.start_broker()
        self.start_smtp_sink()
        for name in SERVICES:
            self.start_service(name)
        self.wait_healthy()

    def restart(self, name: str) -> None:
        """Start a process that exited again, as it was first started."""
        if name == "broker":
            self.start_broker()
        elif name == "smtp":
            self.start_smtp_sink()
        else:
            self.start_service(name)

    def kill(self, name: str) -> None:
        """SIGKILL: the process gets no chance to finish what it was doing."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, name: str, timeout: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop_all(self, timeout: float = 15) -> None:
        """The services first, together (each is told at once, so the whole stop is bounded by one timeout), then the
        SMTP sink and the broker they were using."""
        for names in (SERVICES, ("smtp", "broker")):
            stopping = {n: p for n in names if (p := self.processes.pop(n, None)) is not None and p.poll() is None}
            for process in stopping.values():
                os.killpg(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            for process in stopping.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)
