"""Rebuild reporting's read model from offset 0 into a fresh store, then say when it caught up.

    python -m services.reporting.rebuild [--store sqlite:///var/reporting-rebuilt.sqlite3] [--quiet 5]

A fresh consumer group reads the plans and tasks topics from the beginning into a fresh store
(read models are disposable). Kafka's end offsets are not reliable on the bundled broker, so
"caught up" means: the consumer has been running for at least `settle` seconds (a group join
takes about 5 s) and no event arrived for the last `quiet` seconds. Point TIENDO_STORE_URL at
the new store and restart reporting to switch to it.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from dataclasses import dataclass

from services.reporting.bootstrap import INDEXES
from services.reporting.domain.projection import TASKS, UNITS
from services.reporting.entrypoints import consumers
from services.runtime.clock import clock_from_setting
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store


@dataclass(frozen=True)
class Rebuilt:
    store_url: str
    received: int
    applied: int
    units: int
    tasks: int

    def __str__(self) -> str:
        return (f"caught up: {self.received} events received, {self.applied} applied; "
                f"{self.units} units, {self.tasks} tasks in {self.store_url}")


async def rebuild(settings: ServiceSettings, store_url: str, *, quiet: float = 5.0, settle: float = 10.0, timeout: float = 600.0) -> Rebuilt:
    fresh = settings.model_copy(update={"store_url": store_url, "consumer_group_prefix": f"{settings.consumer_group_prefix}.rebuild-{uuid.uuid4().hex[:8]}"})
    store = await open_store(store_url, "tiendo_reporting_rebuild", INDEXES)
    if await store.find(UNITS) or await store.find(TASKS):
        await store.close()
        raise ValueError(f"{store_url} is not empty: rebuild into a fresh store")
    runtime = ServiceRuntime("reporting", fresh, store, clock_from_setting(settings.clock))
    progress = consumers.register(runtime)
    await runtime.start()
    try:
        started = last_change = time.monotonic()
        seen = 0
        while True:
            await asyncio.sleep(0.2)
            now = time.monotonic()
            if progress.received != seen:
                seen, last_change = progress.received, now
            if now - started >= settle and now - last_change >= quiet:
                break
            if now - started > timeout:
                raise TimeoutError(f"still receiving events after {timeout}s")
        return Rebuilt(store_url, progress.received, progress.applied, len(await store.find(UNITS)), len(await store.find(TASKS)))
    finally:
        await runtime.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.reporting.rebuild", description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=f"sqlite:///var/reporting-rebuilt-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3")
    parser.add_argument("--quiet", type=float, default=5.0, help="seconds without events that count as caught up")
    args = parser.parse_args(argv)
    result = asyncio.run(rebuild(ServiceSettings(), args.store, quiet=args.quiet))
    print(result, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
