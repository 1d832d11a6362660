"""Process entry of a service: settings from the environment, the app from its composition root, uvicorn."""
from __future__ import annotations

import asyncio
import logging
import sys
from typing import Awaitable, Callable

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from services.runtime.settings import ServiceSettings
from services.runtime.telemetry import install_tracing


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
        config = uvicorn.Config(app, host=settings.http_host, port=settings.http_port, log_level="warning", lifespan="on")
        await uvicorn.Server(config).serve()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:  # Ctrl-C from the terminal reaches every process of the embedded run
        pass
    return 0
