"""The services' HTTP server wakes for its housekeeping once a second (uvicorn's own: ten times), refreshing the Date
header at each tick and stopping at the tick after a shutdown request."""
from __future__ import annotations

import uvicorn

from services.runtime import entry


async def test_the_server_ticks_once_a_second_and_refreshes_the_date_header_each_time(monkeypatch):
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(entry.asyncio, "sleep", sleep)
    server = entry.Server(uvicorn.Config(app=None))
    ticks: list[int] = []

    async def on_tick(counter: int) -> bool:
        ticks.append(counter)
        if len(ticks) == 4:
            server.should_exit = True
        return server.should_exit

    server.on_tick = on_tick
    await server.main_loop()
    assert slept == [1.0, 1.0, 1.0]  # uvicorn's loop: 0.1 s, ten wake-ups a second
    assert all(counter % 10 == 0 for counter in ticks)  # uvicorn refreshes the Date header when counter % 10 == 0
