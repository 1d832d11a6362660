"""Dashboard speed at national size: server time of the province overview, its units, its escalations, a commune's
task list and a task, beside the raw store reads they ride on (same run), and full browser load.

Builds reporting's read model (SQLite) for PROVINCES provinces of COMMUNES communes with TASKS_PER_COMMUNE tasks each
(defaults 34 × 98 × 60 = 199,920 tasks, about the national directory's 3,355 units), by folding synthetic events through
reporting's own projection in rebuild mode (in memory, written once), and notify's escalation items for the overdue tasks
plus every task's timeline through reporting's live handlers. Then it serves the reporting app on loopback (no broker: the
lifespan is not started) and measures:
- raw: the store reads the pages ride on (the province's counter documents, the open tasks of its subtree, a commune's
  tasks), RUNS times each, in the same run;
- server time: wall time of GET on the page, RUNS times (median, p95, max), in-process client; and the CPU time the
  serving thread spent on each request, which other processes' load on a shared machine does not inflate;
- browser: Navigation Timing (loadEventEnd − startTime) in headless Chromium, fresh context each run.

Usage: python bench/dashboard.py [--provinces 34] [--communes 98] [--tasks 60] [--keep DIR] [--profile PAGE] → JSON on stdout.
With --keep the built store is kept in DIR and reused by the next run; --profile prints cProfile's top functions of one
page (overview, units, escalations, commune_tasks, task) to stderr.
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
import uvicorn



sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the checkout
from schemas.directory import AgencyRegistered, UnitRegistered  # noqa: E402
from schemas.plans import PlanIssued, TaskAssigned, Timing  # noqa: E402
from schemas.tasks import DeadlineMissed, StatusReported, TaskCompleted, TaskStatus  # noqa: E402
from services.reporting.bootstrap import INDEXES, create_app  # noqa: E402
from services.reporting.domain.projection import TASKS  # noqa: E402
from services.reporting.handlers.escalations import follow_escalations  # noqa: E402
from services.reporting.handlers.project import project, write_memory  # noqa: E402
from services.reporting.handlers.repository.counters import COUNTERS, REPORT_COUNTS, Memory  # noqa: E402
from services.reporting.handlers.timeline import record_timelines  # noqa: E402
from services.reporting.summaries import children_of  # noqa: E402
from services.runtime.broker import free_port  # noqa: E402
from services.runtime.bus import Bus  # noqa: E402
from services.runtime.clock import ManualClock  # noqa: E402
from services.runtime.settings import ServiceSettings  # noqa: E402
from services.runtime.store import open_store  # noqa: E402
from tests.unit.dashboard.live import raised, started  # noqa: E402
from tests.support.auth import mint  # noqa: E402
from tests.unit.reporting.events import event  # noqa: E402

NOW = datetime(2026, 12, 15, 2, 0, tzinfo=timezone.utc)
TODAY = date(2026, 12, 15)
RUNS = 15
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def province_events(p: int, communes: int, per_commune: int):
    """One province's events: its unit, its communes with an agency and a plan each, tasks in every bucket, and notify's
    items (started, rung 1) for the tasks left overdue."""
    province = f"p{p:02d}"
    batch = [event(f"unit-{province}", 1, UnitRegistered(unit_id=province, name=f"Tỉnh Thử Nghiệm {p}", level="province"))]
    live = []
    for c in range(communes):
        unit, agency = f"x{p:02d}{c:03d}", f"ca-x{p:02d}{c:03d}"
        batch += [event(f"unit-{unit}", 1, UnitRegistered(unit_id=unit, name=f"Xã Thử Nghiệm {p}.{c}", level="commune", parent_id=province)),
                  event(f"agency-{agency}", 1, AgencyRegistered(agency_id=agency, unit_id=unit, name=f"Công an xã {p}.{c}",
                                                                head_title="Trưởng Công an xã", standing_body=True)),
                  event(f"plan-{unit}", 1, PlanIssued(plan_id=f"kh-{unit}", unit_id=unit, number=f"{c}/KH-UBND", title="Kế hoạch Đề án 06",
                                                      issued_on=date(2026, 1, 5)))]
        for t in range(per_commune):
            task_id, due = f"{unit}.{t}", date(2026, 1, 31) + timedelta(days=(t * 37 + c) % 420)
            batch.append(event(f"task-{task_id}", 1, TaskAssigned(
                task_id=task_id, plan_id=f"kh-{unit}", unit_id=unit, code=f"{t // 10 + 1}.{t % 10 + 1}", group=t % 5 + 1, lead=agency,
                content=f"Nhiệm vụ số {t} về dữ liệu dân cư, định danh và xác thực điện tử, dịch vụ công trực tuyến", timing=Timing(due=due))))
            if t % 3 == 0 and due < TODAY:
                done = due - timedelta(days=2) if t % 2 else due + timedelta(days=5)
                batch.append(event(f"task-{task_id}", 2, TaskCompleted(task_id=task_id, agency_id=agency, completed_on=done, due=due,
                                                                        on_time=done <= due)))
            elif t % 7 == 1:
                batch.append(event(f"task-{task_id}", 2, StatusReported(task_id=task_id, agency_id=agency, status=TaskStatus.in_progress,
                                                                         progress=40, summary="Đang triển khai")))
            elif due < TODAY and t % 4 == 2:
                batch.append(event(f"task-{task_id}", 2, DeadlineMissed(task_id=task_id, plan_id=f"kh-{unit}", unit_id=unit, lead=agency,
                                                                         due=due, content="Nhiệm vụ")))
                live += [started(task_id, unit, due, agency, at=due + timedelta(days=1)), raised(task_id, unit, due, 1, 2, agency, at=due + timedelta(days=1))]
    return batch, live


async def build(folder: Path, provinces: int, communes: int, per_commune: int) -> dict:
    """Rebuild mode (as `python -m services.reporting.rebuild`): the projection in memory, written once; then the live views."""
    store = await open_store(f"sqlite:///{folder / 'reporting.sqlite3'}", "tiendo_reporting", INDEXES)
    memory, count, live_count, started_at = Memory(), 0, 0, time.perf_counter()
    for p in range(provinces):
        batch, live = province_events(p, communes, per_commune)
        count += await project(batch, store, None, memory)
        live_count += await follow_escalations(live, store)
        await record_timelines([*batch, *live], store)
    await write_memory(store, memory)
    await store.close()
    return {"events_applied": count, "escalation_items": live_count, "build_s": round(time.perf_counter() - started_at, 1)}


async def raw_reads(folder: Path, province: str, commune: str) -> dict:
    """The store reads the pages ride on, timed RUNS times each in this run (a separate connection to the same file)."""
    store = await open_store(f"sqlite:///{folder / 'reporting.sqlite3'}", "tiendo_reporting", INDEXES)
    try:
        children = [c["unit_id"] for c in await children_of(store, province)]  # as reporting reads them
        owners = [f"own:{province}", f"total:{province}", *(f"total:{c}" for c in children)]
        subtree = [province, *children]

        async def counters():  # the counters and, apart from them, the status reports' counts (reading.counts_of)
            return [await store.get(collection, o) for collection in (COUNTERS, REPORT_COUNTS) for o in owners]

        async def open_tasks():
            return await store.find(TASKS, unit_id=subtree, open=True)

        async def commune_tasks():
            return await store.find(TASKS, unit_id=[commune])

        out = {}
        for name, read in (("province_counters", counters), ("province_open_tasks", open_tasks), ("commune_tasks", commune_tasks)):
            spent, found = [], None
            for _ in range(RUNS):
                started_at = time.perf_counter()
                found = await read()
                spent.append(time.perf_counter() - started_at)
            out[name] = {"documents": len(found), **timings(spent)}
        return out
    finally:
        await store.close()


async def measure_served(folder: Path, paths: dict[str, str], browser: bool) -> dict:
    """Serve reporting in this event loop (its SQLite connection lives here); measure from a worker thread."""
    settings = ServiceSettings(environment="test", store_url=f"sqlite:///{folder / 'reporting.sqlite3'}", rate_per_second=1e6,
                               rate_burst=1_000_000)
    paths = {name: f"{path}?token={mint(settings.token_secret, 'administrator', 'bench')}" for name, path in paths.items()}  # a link as `tiendo run` prints
    app = await create_app(settings, clock=ManualClock(NOW), bus=Bus("127.0.0.1:1", client_id="bench-unused"))
    timer = CpuTimer(app)
    server = uvicorn.Server(uvicorn.Config(timer, host="127.0.0.1", port=free_port(), lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(30):
            while not server.started:
                await asyncio.sleep(0.05)
        base = f"http://127.0.0.1:{server.config.port}"
        found = {"server": await asyncio.to_thread(server_times, base, paths, timer)}
        if browser:
            found["browser_load"] = await asyncio.to_thread(browser_times, base, paths)
        return found
    finally:
        server.should_exit = True
        await serving


async def profile(folder: Path, path: str) -> str:
    """cProfile of one page view in process (after a first view), the top functions by their own time."""
    settings = ServiceSettings(environment="test", store_url=f"sqlite:///{folder / 'reporting.sqlite3'}", rate_per_second=1e6,
                               rate_burst=1_000_000)
    app = await create_app(settings, clock=ManualClock(NOW), bus=Bus("127.0.0.1:1", client_id="bench-unused"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        url = f"{path}?token={mint(settings.token_secret, 'administrator', 'bench')}"
        (await client.get(url)).raise_for_status()
        profiler = cProfile.Profile()
        profiler.enable()
        (await client.get(url)).raise_for_status()
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    return out.getvalue()


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--communes", type=int, default=98, help="communes per province")
    parser.add_argument("--tasks", type=int, default=60, help="tasks per commune")
    parser.add_argument("--keep", type=Path, help="keep the built store here and reuse it when it is there")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--profile", choices=["overview", "units", "escalations", "commune_tasks", "task"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        load = round(os.getloadavg()[0], 2)
        built = {"reused": str(folder)} if (folder / "reporting.sqlite3").exists() else asyncio.run(build(folder, args.provinces, args.communes, args.tasks))
        province, commune = "p00", "x00007"
        paths = {"overview": f"/dashboard/{province}", "units": f"/dashboard/{province}/units", "escalations": f"/dashboard/{province}/escalations",
                 "commune_tasks": f"/dashboard/{commune}/tasks", "task": f"/dashboard/tasks/{commune}.2"}
        if args.profile:
            print(asyncio.run(profile(folder, paths[args.profile])), file=sys.stderr)
        result = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", "date": date.today().isoformat(),
            "load_average_1min_at_start": load,  # the machine is shared: other load inflates every wall-clock figure
            "data": {"provinces": args.provinces, "communes": args.provinces * args.communes, "tasks": args.provinces * args.communes * args.tasks, **built},
            "raw": asyncio.run(raw_reads(folder, province, commune)),
            **asyncio.run(measure_served(folder, paths, not args.no_browser)),
            "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
