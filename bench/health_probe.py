"""Start the embedded processes on a kept installation (fresh broker: a catch-up) and time every /health answer.

Each service's /health is asked every 0.5 s (30 s timeout) for SECONDS; prints, per service, the first 200 answer and
the five slowest answers as (seconds after the start, seconds the answer took, status). Run it on a copy of a kept
installation, never on the kept one. Usage: python bench/health_probe.py VAR SECONDS
"""
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench.national import free_port  # noqa: E402
from services.embedded.processes import SERVICES, Layout, ProcessGroup  # noqa: E402


def main(var: Path, seconds: float) -> None:
    layout = Layout(var=var, kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
    group = ProcessGroup(layout, service_env={"TIENDO_VIEWER_AUTH": "false"})
    began = time.monotonic()
    group.start_broker()
    group.start_smtp_sink()
    for service in SERVICES:
        group.start_service(service)
    rows: dict[str, list] = {s: [] for s in SERVICES}

    def probe(service: str) -> None:
        while time.monotonic() - began < seconds:
            asked = time.monotonic()
            try:
                with urllib.request.urlopen(f"{layout.url(service)}/health", timeout=30) as answer:
                    status = answer.status
            except OSError as error:
                status = type(error).__name__
            rows[service].append((round(asked - began, 1), round(time.monotonic() - asked, 2), status))
            time.sleep(0.5)

    threads = [threading.Thread(target=probe, args=(s,)) for s in SERVICES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if hasattr(group, "stop_all"):
        group.stop_all()
    for service in SERVICES:
        first = next((row for row in rows[service] if row[2] == 200), None)
        print(service, "first 200 at", first, "slowest answers", sorted(rows[service], key=lambda row: -row[1])[:5])


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]))
