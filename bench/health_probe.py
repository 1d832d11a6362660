"""Start the embedded processes on a kept installation (fresh broker: a catch-up) and time every /health answer.

Each service's /health is asked every 0.5 s (30 s timeout) for SECONDS; prints, per service, the first 200 answer and
the five slowest answers as (seconds after the start, seconds the answer took, status). With --asyncio-debug the
services run in asyncio's debug mode (every loop step of 0.1 s or more is logged with its task) and each service's
steps are summed up: how many, their total, the longest with the coroutine each ran. Run it on a copy of a kept
installation, never on the kept one. Usage: python bench/health_probe.py VAR SECONDS [--asyncio-debug]
"""
import re
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench.national import free_port  # noqa: E402
from services.embedded.processes import SERVICES, Layout, ProcessGroup  # noqa: E402


STEP = re.compile(r"Executing <(?:Task[^>]*?coro=<(?P<coro>[^\s>]+)|(?P<other>[^\s>]+))[^\n]* took (?P<seconds>[0-9.]+) seconds")


def slow_steps(log: Path, offset: int) -> dict:
    """asyncio debug's slow steps logged after `offset`: count, total seconds, the five longest (seconds, coroutine)."""
    text = log.read_bytes()[offset:].decode("utf-8", "replace") if log.exists() else ""
    steps = sorted(((float(m["seconds"]), m["coro"] or m["other"]) for m in STEP.finditer(text)), reverse=True)
    return {"steps": len(steps), "total_s": round(sum(s for s, _ in steps), 2), "longest": steps[:5]}


def main(var: Path, seconds: float, debug: bool = False) -> None:
    layout = Layout(var=var, kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
    env = {"TIENDO_VIEWER_AUTH": "false", **({"PYTHONASYNCIODEBUG": "1"} if debug else {})}
    logs = {s: var / "logs" / f"{s}.log" for s in SERVICES}
    offsets = {s: log.stat().st_size if log.exists() else 0 for s, log in logs.items()}
    group = ProcessGroup(layout, service_env=env)
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
        if debug:
            print(service, "loop steps >= 0.1 s:", slow_steps(logs[service], offsets[service]))


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]), "--asyncio-debug" in sys.argv[3:])
