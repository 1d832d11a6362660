"""Process entry of a service: settings from the environment, the app from its composition root, uvicorn."""
from __future__ import annotations

import asyncio
import gc
import logging
import sys
from typing import Awaitable, Callable

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from services.runtime.settings import ServiceSettings
from services.runtime.telemetry import install_tracing


# In plans, a bulk issue keeps ≈ 20 objects per task alive until it commits (payloads, envelopes, views): with the default young
# generation of 700 objects the collector walked them again and again, a fifth to a quarter of the request's CPU
# (bench/national_dataset.py --in-process, same run: 4,436 tasks per CPU s with the default, 5,985 with this, 6,399 with
# no collection at all). Collections still run, every 50,000 allocations.
YOUNG_GENERATION = 50_000  # objects allocated between young collections (CPython's default: 700)
TICK_SECONDS = 1.0  # uvicorn's housekeeping tick (its own: 0.1 s)


class Server(uvicorn.Server):
    """uvicorn's server with its housekeeping tick once a second instead of ten times: the tick refreshes the Date
    header (once a second either way) and looks for a shutdown request (now noticed within a second). Ten wake-ups a
    second in each of four idle services were a share of an idle system's CPU for nothing."""

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 10) % 864_000  # a multiple of 10: every tick refreshes the Date header
            await asyncio.sleep(TICK_SECONDS)


def tune_collector() -> None:
    """A service's process after start-up: the objects made so far (modules, the app) out of every collection
    (gc.freeze), and a larger young generation, so that a large batch's live objects are not walked again and again."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION, 20, 20)


def serve(create_app: Callable[[ServiceSettings], Awaitable[FastAPI]], settings_type: type[ServiceSettings] = ServiceSettings) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    try:
        settings = settings_type()
    except ValidationError as error:
        first = error.errors()[0]
        print(f"tiendo: bad setting TIENDO_{str(first['loc'][0]).upper() if first['loc'] else ''}: {first['msg']}", file=sys.stderr)
        return 2

    install_tracing(create_app.__module__.split(".")[1], console=settings.otel_console)

    async def run() -> None:
        app = await create_app(settings)
        tune_collector()
        config = uvicorn.Config(app, host=settings.http_host, port=settings.http_port, log_level="warning", lifespan="on")
        await Server(config).serve()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:  # Ctrl-C from the terminal reaches every process of the embedded run
        pass
    return 0
