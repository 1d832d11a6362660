"""Status reports as agency systems send them at national size: one batch per lead agency (its own credential)."""
from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from itertools import cycle
from pathlib import Path
from typing import Callable

import httpx

from services.embedded.processes import Layout
from keys import as_role, token_for
PROBES = 20


def reports_by_agency(layout: Layout, largest: int = 500) -> list[tuple[str, list[str]]]:
    """(token, task ids) per lead agency, from a raw read of tasks' store; at most `largest` tasks per batch."""
    with sqlite3.connect(f"file:{layout.var / 'tasks.sqlite3'}?mode=ro", uri=True, timeout=30) as conn:
        rows = conn.execute("SELECT id, json_extract(body, '$.lead') FROM doc_tasks ORDER BY 2, 1").fetchall()
    by_lead: dict[str, list[str]] = {}
    for task_id, lead in rows:
        by_lead.setdefault(lead, []).append(task_id)
    return [(token_for(layout, "agency", lead), ids[i : i + largest]) for lead, ids in by_lead.items() for i in range(0, len(ids), largest)]


async def _send(http: httpx.AsyncClient, url: str, token: str, task_ids: list[str], progress: int) -> None:
    items = [{"task_id": t, "status": "in_progress", "progress": progress} for t in task_ids]
    response = await http.post(f"{url}/status-reports", json=items, headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    assert response.json()["accepted"] == len(items), response.text[:300]


async def throughput(layout: Layout, batches: list[tuple[str, list[str]]], shown: Callable[[int], int], senders: int = 4, progress: int = 1) -> dict:
    """Every task reported once; reports/s from the first request until the read model shows them all."""
    total = sum(len(ids) for _, ids in batches)
    queue = list(reversed(batches))
    async with httpx.AsyncClient(timeout=300, limits=httpx.Limits(max_connections=senders)) as http:
        started = time.monotonic()

        async def sender() -> None:
            while queue:
                token, ids = queue.pop()
                await _send(http, layout.url("tasks"), token, ids, progress)

        await asyncio.gather(*(sender() for _ in range(senders)))
        accepted = time.monotonic() - started
        while await asyncio.to_thread(shown, progress) < total:
            await asyncio.sleep(getattr(shown, "pause", lambda: 1.0)())  # a timeline.Shown looks more often near the end
        seconds = time.monotonic() - started
    return {"reports": total, "requests": len(batches), "http_accept_per_s": round(total / accepted), "end_to_end_per_s": round(total / seconds),
            "seconds": round(seconds, 1)}


async def latency(layout: Layout, batches: list[tuple[str, list[str]]], rate: float, seconds: float) -> dict:
    """Background load at `rate` reports/s (agency batches); single probe reports timed until reporting shows them."""
    probes = [(token, ids[0]) for token, ids in batches[:PROBES]]
    load = cycle([(token, ids[1:] if n < PROBES else ids) for n, (token, ids) in enumerate(batches)])
    samples: list[float] = []
    reader = as_role(layout, "administrator", "bench")  # reporting answers no one without a credential
    async with httpx.AsyncClient(timeout=60) as http:
        stop = time.monotonic() + seconds

        async def background() -> None:
            sent, started, progress = 0, time.monotonic(), 2
            while time.monotonic() < stop:
                token, ids = next(load)
                if ids:
                    await _send(http, layout.url("tasks"), token, ids, progress)
                sent += len(ids)
                progress = progress % 97 + 2
                await asyncio.sleep(max(0.0, started + sent / rate - time.monotonic()))

        async def probe() -> None:
            n = 0
            while time.monotonic() < stop:
                token, task_id = probes[n % len(probes)]
                n += 1
                value = 2 + n % 97
                sent = time.monotonic()
                response = await http.post(f"{layout.url('tasks')}/tasks/{task_id}/status", json={"status": "in_progress", "progress": value},
                                           headers={"Authorization": f"Bearer {token}"})
                response.raise_for_status()
                while (await http.get(f"{layout.url('reporting')}/tasks/{task_id}", headers=reader)).json().get("progress") != value:
                    await asyncio.sleep(0.005)
                samples.append(time.monotonic() - sent)
                await asyncio.sleep(0.1)

        await asyncio.gather(background(), probe())
    samples.sort()
    return {"rate_per_s": round(rate), "probes": len(samples), "p50_ms": round(statistics.median(samples) * 1000, 1),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)] * 1000, 1), "max_ms": round(samples[-1] * 1000, 1)}
