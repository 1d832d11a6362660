"""reporting's escalations view through a quarter end, in process: `handlers/escalations.follow_escalations` applies
an EscalationStarted and an EscalationRaised for each of N items (as notify appends them), in consumer batches, on a
SQLite store already holding K items' documents; beside it, in the same run, the raw operation it rides on (the same
documents read by id and written back in one transaction per batch, no events). Prints JSON.

    .venv/bin/python bench/reporting_escalations.py [--items 50000] [--kept 25000] [--batch 500]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.reporting.bootstrap import INDEXES  # noqa: E402
from services.reporting.domain.escalations import ESCALATIONS  # noqa: E402
from services.reporting.handlers.escalations import follow_escalations  # noqa: E402
from services.runtime.entry import tune_collector  # noqa: E402
from services.runtime.sqlite_store import SqliteStore  # noqa: E402
from tests.unit.dashboard.live import raised, started  # noqa: E402

DUE = date(2026, 12, 31)


def quarter_end(first: int, count: int) -> list:
    return [e for n in range(first, first + count) for e in (started(f"t{n}", f"xa-{n % 3321}", DUE, at=DUE), raised(f"t{n}", f"xa-{n % 3321}", DUE, 1, 2, at=DUE))]


async def main(items: int, kept: int, batch: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="tiendo-bench-escalations-"))
    store = SqliteStore(folder / "reporting.sqlite3", INDEXES)
    try:
        earlier = quarter_end(items, kept)
        for at in range(0, len(earlier), 5000):
            await follow_escalations(earlier[at : at + 5000], store)
        events = quarter_end(0, items)
        tune_collector()
        load = os.getloadavg()
        wall, cpu = time.perf_counter(), time.process_time()
        for at in range(0, len(events), batch):
            await follow_escalations(events[at : at + batch], store)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        ids = sorted({e.payload.item_id for e in events})
        raw_wall, raw_cpu = time.perf_counter(), time.process_time()
        per = batch // 2
        for at in range(0, len(ids), per):
            async with store.transaction():
                docs = {i: await store.get(ESCALATIONS, i) for i in ids[at : at + per]}
                await store.bulk_put(ESCALATIONS, {i: {**d, "version": d["version"]} for i, d in docs.items()})
        raw_wall, raw_cpu = time.perf_counter() - raw_wall, time.process_time() - raw_cpu
        return {"items": items, "events": len(events), "kept_documents": kept, "batch": batch,
                "follow_escalations": {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "cpu_us_per_event": round(cpu / len(events) * 1e6, 1)},
                "raw_get_and_put_same_documents": {"wall_s": round(raw_wall, 2), "cpu_s": round(raw_cpu, 2)},
                "load_average": [round(x, 2) for x in load], "after": [round(x, 2) for x in os.getloadavg()],
                "machine": f"{platform.machine()} {len(os.sched_getaffinity(0))} cores", "python": platform.python_version(),
                "date": datetime.now(timezone.utc).date().isoformat()}
    finally:
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--kept", type=int, default=25_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.items, args.kept, args.batch)), indent=2))
