"""Dashboard speed: server time of the province overview and a commune's task list, and full browser load.

Builds reporting's read model (SQLite) for one province of COMMUNES communes with TASKS_PER_COMMUNE
tasks each, by folding synthetic events through reporting's own projection, then serves the
reporting app on loopback (no broker: the lifespan is not started) and measures:
- server time: wall time of GET on the page, RUNS times (median, p95, max), in-process client; and the CPU time the
  serving thread spent on each request, which other processes' load on a shared machine does not inflate;
- browser: Navigation Timing (loadEventEnd − startTime) in headless Chromium, fresh context each run.

Usage: python bench/dashboard.py [COMMUNES] [TASKS_PER_COMMUNE]   → JSON on stdout.
"""
from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx

from keys import admin_token
import uvicorn

from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.plans import PlanIssued, TaskAssigned, Timing
from schemas.tasks import StatusReported, TaskCompleted, TaskStatus
from services.reporting.bootstrap import INDEXES, create_app
from services.reporting.handlers.project import project
from services.runtime.broker import free_port
from services.runtime.bus import Bus
from services.runtime.clock import ManualClock
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the checkout
from tests.unit.reporting.events import event  # noqa: E402

NOW = datetime(2026, 12, 15, 2, 0, tzinfo=timezone.utc)
RUNS = 15
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def events_for(communes: int, per_commune: int):
    yield [event("unit-p", 1, UnitRegistered(unit_id="p", name="Tỉnh Thử Nghiệm", level="province"))]
    for c in range(communes):
        unit, agency = f"x{c:04d}", f"ca-x{c:04d}"
        batch = [event(f"unit-{unit}", 1, UnitRegistered(unit_id=unit, name=f"Xã Thử Nghiệm {c}", level="commune", parent_id="p")),
                 event(f"agency-{agency}", 1, AgencyRegistered(agency_id=agency, unit_id=unit, name=f"Công an xã {c}", head_title="Trưởng Công an xã")),
                 event(f"plan-{unit}", 1, PlanIssued(plan_id=f"kh-{unit}", unit_id=unit, number=f"{c}/KH-UBND", title="Kế hoạch Đề án 06",
                                                     issued_on=date(2026, 1, 5)))]
        for t in range(per_commune):
            task_id, due = f"{unit}.{t}", date(2026, 1, 31) + timedelta(days=(t * 37 + c) % 420)
            batch.append(event(f"task-{task_id}", 1, TaskAssigned(
                task_id=task_id, plan_id=f"kh-{unit}", unit_id=unit, code=f"{t // 10 + 1}.{t % 10 + 1}", group=t % 5 + 1, lead=agency,
                content=f"Nhiệm vụ số {t} về dữ liệu dân cư, định danh và xác thực điện tử, dịch vụ công trực tuyến", timing=Timing(due=due))))
            if t % 3 == 0 and due < date(2026, 12, 15):
                done = due - timedelta(days=2) if t % 2 else due + timedelta(days=5)
                batch.append(event(f"task-{task_id}", 2, TaskCompleted(task_id=task_id, agency_id=agency, completed_on=done, due=due,
                                                                        on_time=done <= due)))
            elif t % 7 == 1:
                batch.append(event(f"task-{task_id}", 2, StatusReported(task_id=task_id, agency_id=agency, status=TaskStatus.in_progress,
                                                                         progress=40, summary="Đang triển khai")))
        yield batch


async def build(folder: Path, communes: int, per_commune: int) -> tuple[float, int]:
    store = await open_store(f"sqlite:///{folder / 'reporting.sqlite3'}", "tiendo_reporting", INDEXES)
    started, count = time.perf_counter(), 0
    for batch in events_for(communes, per_commune):
        count += await project(batch, store)
    await store.close()
    return time.perf_counter() - started, count


async def measure_served(folder: Path, paths: dict[str, str]) -> dict:
    """Serve reporting in this event loop (its SQLite connection lives here); measure from a worker thread."""
    settings = ServiceSettings(environment="test", store_url=f"sqlite:///{folder / 'reporting.sqlite3'}", rate_per_second=1e6,
                               rate_burst=1_000_000)
    paths = {name: f"{path}?token={admin_token(settings.token_secret)}" for name, path in paths.items()}  # a link as `tiendo run` prints
    app = await create_app(settings, clock=ManualClock(NOW), bus=Bus("127.0.0.1:1", client_id="bench-unused"))
    timer = CpuTimer(app)
    server = uvicorn.Server(uvicorn.Config(timer, host="127.0.0.1", port=free_port(), lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(30):
            while not server.started:
                await asyncio.sleep(0.05)
        base = f"http://127.0.0.1:{server.config.port}"
        return {"server": await asyncio.to_thread(server_times, base, paths, timer), "browser_load": await asyncio.to_thread(browser_times, base, paths)}
    finally:
        server.should_exit = True
        await serving


class CpuTimer:
    """ASGI wrapper: CPU seconds the serving thread spent on each HTTP request (unaffected by other processes' load;
    requests are sent one at a time, so nothing else runs in that thread meanwhile)."""

    def __init__(self, app) -> None:
        self.app, self.spent = app, []

    async def __call__(self, scope, receive, send) -> None:
        started = time.thread_time()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.spent.append(time.thread_time() - started)


def timings(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "runs": len(ordered)}


def server_times(base: str, paths: dict[str, str], timer: CpuTimer) -> dict:
    out = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, path in paths.items():
            started = time.perf_counter()
            client.get(path).raise_for_status()  # the first view: nothing cached (the trend's past months are cached after it)
            first = time.perf_counter() - started
            spent, timer.spent = [], []
            for _ in range(RUNS):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                spent.append(time.perf_counter() - started)
            cpu = timings(timer.spent[-RUNS:])
            out[name] = {"first_ms": round(first * 1000, 1), **timings(spent), "cpu_median_ms": cpu["median_ms"], "cpu_p95_ms": cpu["p95_ms"]}
    return out


def browser_times(base: str, paths: dict[str, str]) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for name, path in paths.items():
                spent = []
                for _ in range(5):
                    context = browser.new_context(viewport={"width": 1440, "height": 900})
                    page = context.new_page()
                    page.goto(base + path, wait_until="load")
                    spent.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                    context.close()
                out[name] = timings(spent)
        finally:
            browser.close()
    return out


def main(argv: list[str]) -> None:
    communes = int(argv[0]) if argv else 100
    per_commune = int(argv[1]) if len(argv) > 1 else 60
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        built, applied = asyncio.run(build(folder, communes, per_commune))
        paths = {"province_overview": "/dashboard/p", "province_units": "/dashboard/p/units", "commune_tasks": "/dashboard/x0007/tasks"}
        result = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", "date": date.today().isoformat(),
            "load_average_1min_at_start": round(os.getloadavg()[0], 2),  # the machine is shared: other load inflates every figure
            "data": {"communes": communes, "tasks": communes * per_commune, "events_applied": applied, "build_s": round(built, 1)},
            **asyncio.run(measure_served(folder, paths)),
        }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
