"""A national installation on a running tiendo: the official directory, a province plan per province and a
commune plan per commune derived from the seed plans, tasks spread over 2026-2027.

Derivation: the commune plans repeat the tasks of the Tế Lợi commune plan (57 tasks, agency-headed
sections), the province plans those of the Hà Quảng district plan (55 tasks) lifted one level up;
each seed lead is mapped onto the unit's official agencies (Công an → police, Văn phòng → office,
Tư pháp → justice…), groups follow the seed's five utility groups by position, and due dates keep
the seed's shape (quarter and month ends, "thường xuyên" recurring, "ngay sau khi…" conditions)
moved into 2026-2027 with a per-commune offset, so deadlines fall on realistic report days rather
than one instant. Contacts are left out (notify has no bulk endpoint yet).

Loaded through the bulk endpoints with progress bars: POST /directory (150 units with their agencies a request), then
POST /plans/bulk (≈ 2,000 tasks a request, two at a time).
Usage against the embedded run: python bench/national_dataset.py [--tasks-per-commune 60] [--province 04]
In this process, the API's own rate beside raw SQLite inserts (JSON): python bench/national_dataset.py --in-process
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Callable

import httpx
from tqdm import tqdm

from keys import as_role
from services.embedded.processes import Layout
from services.plans.entrypoints.directory_cli import MAX_BATCH_BYTES, load as load_directory
from services.plans.official_directory import official_directory

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
COMMUNE_SEED, PROVINCE_SEED = "te-loi-commune-plan-2023", "ha-quang-district-plan-2022"
COMMUNE_LEADS = [("công an", "ca"), ("văn phòng", "vp"), ("tiếp nhận", "mc"), ("văn hóa", "vhtt"), ("tư pháp", "tp"),
                 ("tài chính", "tckt"), ("địa chính", "dc"), ("lao động", "ldtbxh"), ("đoàn thanh niên", "dtn")]
PROVINCE_LEADS = [("công an", "ca"), ("văn phòng", "vp"), ("tư pháp", "stp"), ("tài chính", "stc"), ("y tế", "syt"),
                  ("giáo dục", "sgddt"), ("nội vụ", "snv"), ("bảo hiểm", "bhxh"), ("khoa học", "skhcn"), ("thông tin", "skhcn")]
DIRECTORY_BATCH_UNITS = 150  # units (with their agencies) per POST /directory: under the 1 MiB body limit
DUE_DAYS = [date(y, m, d) for y in (2026, 2027) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31), (1, 31), (4, 30), (7, 31), (10, 31))]


def seed_tasks(name: str, seeds: Path = SEEDS) -> list[dict]:
    return json.loads((seeds / f"{name}.expected.json").read_text(encoding="utf-8"))["tasks"]


def _agency(names: list[str], table: list[tuple[str, str]], unit_id: str) -> str:
    for name in names:
        for word, key in table:
            if word in name.lower():
                return f"{key}-{unit_id}"
    return f"vp-{unit_id}"


def plan_for(unit: dict, seed: list[dict], count: int, table: list[tuple[str, str]], rng: random.Random) -> dict:
    tasks = []
    for n in range(count):
        t = seed[n % len(seed)]
        lead = _agency(t["lead"], table, unit["unit_id"])
        support = sorted({_agency([s], table, unit["unit_id"]) for s in t["support"]} - {lead})[:2]
        timing = {"raw": t["timing"]["raw"], "recurring": t["timing"]["recurring"], "condition": t["timing"]["condition"]}
        if t["timing"]["due"] and not t["timing"]["condition"]:
            due = rng.choice(DUE_DAYS)
            timing.update(due=due.isoformat(), raw=f"Trước ngày {due:%d/%m/%Y}" + (" và thường xuyên" if t["timing"]["recurring"] else ""))
        tasks.append({"task_id": f"{unit['unit_id']}.kh26.{n + 1}", "code": t.get("code"), "group": n % 5 + 1, "lead": lead,
                      "support": support, "content": t["content_start"], "timing": timing})
    return {"plan_id": f"{unit['unit_id']}.kh26", "unit_id": unit["unit_id"], "number": "01/KH-UBND", "issued_on": "2026-01-15",
            "title": f"Kế hoạch triển khai Đề án 06 trên địa bàn {unit['name']} năm 2026-2027", "tasks": tasks}


def national_plans(units: list[dict], tasks_per_commune: int, tasks_per_province: int, seeds: Path = SEEDS) -> list[dict]:
    rng = random.Random(6)
    commune_seed, province_seed = seed_tasks(COMMUNE_SEED, seeds), seed_tasks(PROVINCE_SEED, seeds)
    return [plan_for(u, province_seed, tasks_per_province, PROVINCE_LEADS, rng) if u["level"] == "province"
            else plan_for(u, commune_seed, tasks_per_commune, COMMUNE_LEADS, rng) for u in units]


Keys = Callable[[str, str], dict[str, str]]  # (role, subject) -> the Authorization header of such a key
BULK_TASKS = 2_000  # tasks per POST /plans/bulk (the endpoint takes up to 20,000; the body stays under 1 MiB)


def plan_batches(plans: list[dict], max_tasks: int = BULK_TASKS, max_bytes: int = MAX_BATCH_BYTES) -> list[bytes]:
    """Consecutive plans in request bodies of at most `max_tasks` tasks and `max_bytes` bytes."""
    bodies, batch, tasks, size = [], [], 0, 0
    for plan in plans:
        encoded = json.dumps(plan, ensure_ascii=False).encode()
        if batch and (tasks + len(plan["tasks"]) > max_tasks or size + len(encoded) + 16 > max_bytes):
            bodies.append(b'{"plans": [' + b",".join(batch) + b"]}")
            batch, tasks, size = [], 0, 0
        batch.append(encoded)
        tasks, size = tasks + len(plan["tasks"]), size + len(encoded) + 1
    if batch:
        bodies.append(b'{"plans": [' + b",".join(batch) + b"]}")
    return bodies


async def issue_plans(http: httpx.AsyncClient, plans: list[dict], headers: dict[str, str], senders: int = 2, progress: bool = True,
                      bodies: list[bytes] | None = None) -> float:
    """POST /plans/bulk with `senders` concurrent requests (an administrator's key); seconds until plans accepted them all.
    `bodies`: the plans' request bodies made beforehand (the in-process run keeps the client's JSON out of plans' CPU)."""
    queue = list(reversed(bodies if bodies is not None else plan_batches(plans)))
    started = time.perf_counter()
    with tqdm(total=sum(len(p["tasks"]) for p in plans), unit=" tasks", desc="plans issued", disable=not progress) as bar:
        async def sender() -> None:
            while queue:
                response = await http.post("/plans/bulk", content=queue.pop(), headers={**headers, "Content-Type": "application/json"})
                if response.status_code != 200:
                    raise RuntimeError(f"plans refused a batch: {response.status_code} {response.text[:300]}")
                bar.update(response.json()["tasks"])
        await asyncio.gather(*(sender() for _ in range(senders)))
    return time.perf_counter() - started


def build(plans_url: str, keys: Keys, tasks_per_commune: int, tasks_per_province: int = 55, provinces: set[str] | None = None,
          progress: bool = True) -> dict:
    """The directory (POST /directory in batches), then every plan (POST /plans/bulk); the figures of each phase."""
    units, agencies = official_directory(provinces)
    admin = keys("administrator", "bench")
    with httpx.Client(base_url=plans_url, timeout=300, headers=admin) as client:
        directory = load_directory(client, units, agencies, batch_units=DIRECTORY_BATCH_UNITS, progress=progress)
    plans = national_plans(units, tasks_per_commune, tasks_per_province)
    n_tasks = sum(len(p["tasks"]) for p in plans)

    async def issue() -> float:
        async with httpx.AsyncClient(base_url=plans_url, timeout=300) as http:
            return await issue_plans(http, plans, admin, progress=progress)
    seconds = asyncio.run(issue())
    return {"units": len(units), "agencies": len(agencies), "directory_seconds": round(directory["seconds"], 1),
            "directory_items_per_s": round((len(units) + len(agencies)) / directory["seconds"]),
            "plans": len(plans), "tasks": n_tasks, "plans_accept_tasks_per_s": round(n_tasks / seconds), "plans_seconds": round(seconds, 1)}


def raw_inserts(folder: Path, rows: int, batch: int = BULK_TASKS) -> None:
    """The raw operation the bulk issue rides on, same run: `rows` JSON rows (≈ 600 bytes) appended to an events table and
    upserted into a documents table with one expression index, one transaction per `batch`."""
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                       "CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT, version INT, body TEXT, UNIQUE (stream_id, version));"
                       "CREATE TABLE docs (id TEXT PRIMARY KEY, body TEXT); CREATE INDEX docs_plan ON docs (json_extract(body, '$.plan_id'));")
    body = {"task_id": "", "plan_id": "p", "content": "Nhiệm vụ " * 40, "lead": "ca-x", "timing": {"due": "2027-03-31"}}
    for start in range(0, rows, batch):
        items = [json.dumps({**body, "task_id": f"t{n}", "plan_id": f"p{n // 20}"}, ensure_ascii=False) for n in range(start, min(rows, start + batch))]
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO events (stream_id, version, body) VALUES (?, 1, ?)", [(f"plan-{n}", b) for n, b in enumerate(items, start)])
        conn.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?)", [(f"t{n}", b) for n, b in enumerate(items, start)])
        conn.execute("COMMIT")
    conn.close()


async def in_process(tasks_per_commune: int, provinces: set[str] | None, one_by_one: bool = True) -> dict:
    """plans' API in this process (FastAPI over ASGI, SQLite in a temporary folder, no broker: events wait in the outbox):
    POST /directory then POST /plans/bulk; on a second store of the same run, the same plans one POST /plans each (as
    before the bulk endpoint); raw SQLite inserts of as many rows. CPU seconds beside wall seconds."""
    from keys import admin_token
    bench = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if p != bench]  # bench/importer.py would hide the importer package plans' drafts use
    from services.plans.bootstrap import INDEXES, create_app
    from services.runtime.entry import tune_collector
    from services.runtime.credentials import issue_token
    from services.runtime.settings import ServiceSettings
    from services.runtime.sqlite_store import SqliteStore

    units, agencies = official_directory(provinces)
    plans = national_plans(units, tasks_per_commune, 55)
    tasks, items = sum(len(p["tasks"]) for p in plans), len(units) + len(agencies)
    tune_collector()  # as every service's process does after start-up (services/runtime/entry.py)

    def timed(started: tuple[float, float], n: int, what: str) -> dict:
        wall, cpu = time.perf_counter() - started[0], time.process_time() - started[1]
        return {f"{what}_per_s": round(n / wall), f"{what}_per_cpu_s": round(n / max(cpu, 0.01)), "wall_s": round(wall, 1), "cpu_s": round(cpu, 1)}

    async def run(folder: Path, bulk: bool) -> dict:
        settings = ServiceSettings(environment="test", store_url="memory://", rate_per_second=1e6, rate_burst=1_000_000)
        app = await create_app(settings, store=SqliteStore(folder / "plans.sqlite3", INDEXES))
        admin = {"Authorization": f"Bearer {admin_token(settings.token_secret)}"}
        figures = {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://plans", timeout=600) as http:
            started = time.perf_counter(), time.process_time()
            for start in range(0, len(units), DIRECTORY_BATCH_UNITS):
                batch = units[start : start + DIRECTORY_BATCH_UNITS]
                ids = {u["unit_id"] for u in batch}
                answer = await http.post("/directory", json={"units": batch, "agencies": [a for a in agencies if a["unit_id"] in ids]}, headers=admin)
                assert answer.status_code == 200, answer.text[:300]
            figures["directory"] = timed(started, items, "items")
            now = datetime.now(timezone.utc) - timedelta(days=1)
            standing = {} if bulk else {u: {"Authorization": "Bearer " + issue_token(settings.token_secret, "standing_body", u, now=now, valid_for=timedelta(days=2))[0]}
                                        for u in {p["unit_id"] for p in plans}}
            bodies = plan_batches(plans) if bulk else None  # the agency system's encoding, not plans' work
            started = time.perf_counter(), time.process_time()
            if bulk:
                await issue_plans(http, plans, admin, senders=1, progress=False, bodies=bodies)
            else:
                for plan in plans:
                    answer = await http.post("/plans", json=plan, headers=standing[plan["unit_id"]])
                    assert answer.status_code == 201, answer.text[:300]
            figures["plans"] = {**timed(started, tasks, "tasks"), "requests": len(bodies) if bulk else len(plans)}
        return figures

    with tempfile.TemporaryDirectory(prefix="tiendo-plans-bulk-") as tmp:
        (Path(tmp) / "bulk").mkdir()
        bulk = await run(Path(tmp) / "bulk", bulk=True)
        before = None
        if one_by_one:
            (Path(tmp) / "one").mkdir()
            before = (await run(Path(tmp) / "one", bulk=False))["plans"]
        started = time.perf_counter(), time.process_time()
        raw_inserts(Path(tmp), tasks)
        raw = timed(started, tasks, "rows")
    return {"units": len(units), "agencies": len(agencies), "plans": len(plans), "tasks": tasks, "directory": bulk["directory"],
            "plans_bulk": bulk["plans"], "plans_one_per_request_same_run": before,
            "raw_sqlite_same_run": {**raw, "what": "an events row and a document row (one expression index) per task, one transaction per 2,000"}}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", default="http://127.0.0.1:8001")
    parser.add_argument("--var", default="var", help="the embedded run's folder (its signing secret mints the keys)")
    parser.add_argument("--tasks-per-commune", type=int, default=60)
    parser.add_argument("--province", action="append")
    parser.add_argument("--in-process", action="store_true", help="plans' API in this process on a temporary SQLite store (no services)")
    parser.add_argument("--bulk-only", action="store_true", help="with --in-process: not the one-plan-per-request comparison")
    args = parser.parse_args()
    if args.in_process:
        started = {"benchmark": "national_build_in_process", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   "load_average_at_start": os.getloadavg(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)"}
        result = asyncio.run(in_process(args.tasks_per_commune, set(args.province) if args.province else None, not args.bulk_only))
        print(json.dumps({**started, **result, "load_average_at_end": os.getloadavg()}, indent=2))
        raise SystemExit(0)
    layout = Layout(var=Path(args.var))
    print(json.dumps(build(args.plans, partial(as_role, layout), args.tasks_per_commune, provinces=set(args.province) if args.province else None), indent=2))
