"""Split reporting's whole timelines of before into heads and entry documents, once, offline (its service stopped).

    python -m services.reporting.timelines_split [--store sqlite:///var/reporting.sqlite3] [--batch 2000]

Timelines were whole documents (entries inside) until they became a small head per task and one document per entry
(domain/timeline.py). This pass splits them all: the heads are read in `batch`es of tasks, one transaction each
(handlers/timeline.split_whole_timelines). Idempotent: a second run finds nothing to split. Prints one JSON line.
Optional since 2026-11-30 (reporting-timelines): the live consumer no longer reads a timeline when a report comes, and
reads every form, a whole one too, as it is until the task's next trim folds it (handlers/timeline.py).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

from services.reporting.bootstrap import INDEXES
from services.reporting.domain.timeline import TIMELINES, is_split
from services.reporting.handlers.timeline import split_whole_timelines
from services.runtime.store import open_store


async def split_store(url: str, batch: int) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    store = await open_store(url, "tiendo_reporting", INDEXES)
    try:
        whole = [d["task_id"] for d in await store.find(TIMELINES) if not is_split(d)]
        found_s = time.perf_counter() - started
        split = await split_whole_timelines(store, whole, batch)
    finally:
        await store.close()
    return {"store": url, "whole_timelines": len(whole), "split": split, "find_s": round(found_s, 1),
            "seconds": round(time.perf_counter() - started, 1), "cpu_s": round(time.process_time() - cpu, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.reporting.timelines_split", description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="sqlite:///var/reporting.sqlite3", help="reporting's store URL")
    parser.add_argument("--batch", type=int, default=2000, help="tasks per transaction")
    args = parser.parse_args(argv)
    if args.store.startswith("sqlite:///") and not Path(args.store.removeprefix("sqlite:///")).is_file():
        print(f"{args.store}: no such store file", file=sys.stderr)
        return 2
    print(json.dumps(asyncio.run(split_store(args.store, args.batch))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
