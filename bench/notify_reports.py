"""What a status report costs notify's consumers, in one process: CPU per record of notify's shared subscription (its
three event consumers as bootstrap registers them, checkpoints in a SQLite store holding one per task stream) on
batches of StatusReported records as tasks' relay publishes them, beside the raw operations it rides on in the same
run: reading a batch's checkpoints and advancing them (what any consumer of the topic pays), and decoding the records.

Usage: python bench/notify_reports.py [--streams 201130] [--records 20000] [--period-share 0.55]
`--period-share`: the share of reports that name a period (a recurring task's), none of them for a period notify holds
an open item for: every record changes nothing notify keeps. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.catalog import TASKS_EVENTS  # noqa: E402
from schemas.tasks import StatusReported, TaskStatus  # noqa: E402
from services.notify.entrypoints import consumers  # noqa: E402
from services.notify.handlers.repository import INDEXES  # noqa: E402
from services.runtime.auth.revocations import track_revocations  # noqa: E402
from services.runtime.clock import LOCAL_TZ, ManualClock  # noqa: E402
from services.runtime.continuity import claimed  # noqa: E402
from services.runtime.eventlog import EventLog  # noqa: E402
from services.runtime.events import Cause, decode, seal  # noqa: E402
from services.runtime.sqlite_store import SqliteStore  # noqa: E402
from services.runtime.subscriptions import EventConsumer, SharedSubscription  # noqa: E402

BATCH = 500  # records per batch, as the bus hands them over (MAX_BATCH)


def record(stream: str, version: int, payload, moment: datetime, offset: int) -> SimpleNamespace:
    """A record as tasks' relay publishes it: the stored bytes, the type, version and stream headers."""
    envelopes, bodies = seal(stream, version - 1, [payload], Cause("bench", str(uuid.uuid4())), moment)
    body = bodies[0].encode() if isinstance(bodies[0], str) else bodies[0]
    headers = [("event_type", b"StatusReported"), ("schema_version", b"1"), ("stream_id", stream.encode()),
               ("stream_version", str(version).encode())]
    return SimpleNamespace(topic=TASKS_EVENTS, partition=offset % 3, offset=offset, key=stream.encode(), value=body, headers=headers,
                           timestamp=0)


def batches_of(streams: int, records: int, period_share: float, rng: random.Random, first_version: int) -> list[list[SimpleNamespace]]:
    moment = datetime(2026, 12, 3, 2, tzinfo=timezone.utc)
    versions: dict[str, int] = {}
    found = []
    for n in range(records):
        task_id = f"t{rng.randrange(streams):06d}"
        stream = f"task-{task_id}"
        versions[stream] = versions.get(stream, first_version) + 1
        payload = StatusReported(task_id=task_id, agency_id="ag-" + task_id[-3:], status=TaskStatus.in_progress, progress=rng.randrange(100),
                                 summary="Đã triển khai theo kế hoạch", period="2026-12" if rng.random() < period_share else None)
        found.append(record(stream, versions[stream], payload, moment, n))
    return [found[i:i + BATCH] for i in range(0, len(found), BATCH)]


def notify_consumers(store: SqliteStore) -> tuple[list[EventConsumer], list]:
    """notify's event consumers, registered as bootstrap registers them, and the start-up reads they ask the runtime to run."""
    registered: list[EventConsumer] = []
    loops: list = []
    clock = ManualClock(datetime(2026, 12, 3, 9, tzinfo=LOCAL_TZ))
    runtime = SimpleNamespace(store=store, events=EventLog(store, clock), clock=clock, settings=SimpleNamespace(weekends_off=True),
                              name="notify", run_loop=lambda loop: loops.append(loop))
    runtime.subscribe_events = lambda topics, name, apply, types=None, atomic=False: registered.append(
        EventConsumer(frozenset(topics), name, apply, frozenset(types) if types is not None else None, atomic))
    consumers.register(runtime, on_news=lambda: None)
    track_revocations(runtime)
    return registered, loops


async def main(args: argparse.Namespace) -> dict:
    rng = random.Random(11)
    folder = Path(tempfile.mkdtemp(prefix="notify-reports-"))
    store = SqliteStore(str(folder / "notify.sqlite3"), INDEXES)
    try:
        registered, loops = notify_consumers(store)
        names = [c.name for c in registered]
        first = 3  # every task stream has events notify went through already (assigned, ...)
        for i in range(0, args.streams, 50_000):
            await store.advance("notify.escalations", {f"task-t{n:06d}": first for n in range(i, min(i + 50_000, args.streams))})
        for load in loops:  # the consumers' start-up reads (what the process does before its first batch)
            await load()
        subscription = SharedSubscription("notify", registered, store, {n: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for n in names},
                                          dead_letter=_refuse)
        figures: dict = {}
        for name, share in (("no_period", 0.0), ("mixed", args.period_share)):
            batches = batches_of(args.streams, args.records, share, rng, first + (0 if name == "no_period" else 10))
            if name == "mixed":  # the mixed run starts where its streams' checkpoints are
                await store.advance("notify.escalations", {b.headers[2][1].decode(): first + 10 for batch in batches for b in batch})
            cpu, wall = time.process_time(), time.perf_counter()
            for batch in batches:
                await subscription(batch)
            figures[f"notify_subscription_{name}"] = _per(args.records, cpu, wall)
        stats = subscription.stats
        assert stats["notify.escalations"]["refused"] == 0, stats
        # the raw operations, same run, same records: the checkpoints of a batch read and advanced, and decoding
        batches = batches_of(args.streams, args.records, args.period_share, rng, first + 20)
        cpu, wall = time.process_time(), time.perf_counter()
        for batch in batches:
            claims = [claimed(r) for r in batch]
            await store.checkpoints_of(names, {c[0] for c in claims})
            await store.advance("notify.escalations", {c[0]: c[1] for c in claims})
        figures["raw_checkpoints_read_and_advanced"] = _per(args.records, cpu, wall)
        cpu, wall = time.process_time(), time.perf_counter()
        for batch in batches:
            for r in batch:
                decode(r.value, "StatusReported")
        figures["raw_decode"] = _per(args.records, cpu, wall)
        figures["consumer_stats"] = stats
        return {"benchmark": "notify_reports", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "load_average": os.getloadavg(),
                "streams": args.streams, "records": args.records, "period_share": args.period_share, **figures}
    finally:
        await store.close()
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


async def _refuse(record, error, consumer) -> None:
    raise AssertionError(f"{consumer} refused a record: {error}")


def _per(records: int, cpu: float, wall: float) -> dict:
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu_ms_per_record": round(cpu / records * 1000, 4), "wall_ms_per_record": round(wall / records * 1000, 4), "cpu_s": round(cpu, 2)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=201_130)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--period-share", type=float, default=0.55)
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))
