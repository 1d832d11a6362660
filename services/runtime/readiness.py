"""What /ready checks: the store answers, the broker answers, every consumer joined its group,
relay and consumer lags under a bound, nothing parked. /health only says the process is up."""
from __future__ import annotations

import asyncio
from typing import Any

from services.runtime.ports import Store
from services.runtime.service import ServiceRuntime

LAG_BOUND = 10_000
COUNTED_LAG = 100  # a relay lag up to this is counted event by event; beyond, only whether it passes LAG_BOUND
CHECK_SECONDS = 2.0


async def _check(name: str, probe) -> tuple[str, dict[str, Any]]:
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            return name, await probe()
    except Exception as error:  # a check that cannot answer in time is a failed check
        return name, {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}


async def _store(rt: ServiceRuntime) -> dict[str, Any]:
    await rt.store.get_position("ready-probe")
    return {"ok": True}


async def _broker(rt: ServiceRuntime) -> dict[str, Any]:
    return {"ok": True, "topics": len(await rt.bus.topic_names())}


async def _relay(rt: ServiceRuntime) -> dict[str, Any]:
    relay = rt.relay
    if relay is None:
        return {"ok": True, "relay": None}
    lag = await relay_lag(rt.store, await rt.store.get_position(relay.name))
    parked = relay.parked
    return {"ok": lag <= LAG_BOUND and parked == 0 and relay.epoch is not None, "lag": lag, "parked": parked,
            "published": relay.published, "republished_histories": relay.republished_histories,
            # the last history after a fresh broker: where it started, what it skipped as applied by every subscriber
            # group, the groups whose floors it heard (floors.py; none heard: the whole history went out) and, of those,
            # the ones whose floors named events this outbox does not hold there (taken as covering nothing), and why
            "last_history": {"from_position": relay.republished_from, "skipped_as_applied": relay.skipped_as_applied,
                             "floors_heard_from": list(relay.heard), "floors_refused": dict(relay.refused_floors)}}


async def relay_lag(store: Store, position: int) -> int:
    """Events stored after the relay's position: counted up to COUNTED_LAG; beyond that, LAG_BOUND + 1 when an event
    lies more than LAG_BOUND positions on, else COUNTED_LAG + 1 ("more than counted"). More than LAG_BOUND waiting is never missed (the
    (LAG_BOUND + 1)th waiting event lies that far on); gaps in positions can only make it said early. A probe reads at
    most COUNTED_LAG + 2 events: reading up to LAG_BOUND of them (bodies included) at every probe took a fifth of the
    plans process's CPU while its relay republished a history."""
    near = await store.read_after(position, COUNTED_LAG + 1)
    if len(near) <= COUNTED_LAG:
        return len(near)
    if await store.read_after(position + LAG_BOUND, 1):
        return LAG_BOUND + 1
    return COUNTED_LAG + 1


async def _consumers(rt: ServiceRuntime) -> dict[str, Any]:
    groups, lag = [], 0
    for group, members, topics, consumer in rt.bus.subscriptions():
        assigned = consumer.assignment() if consumer is not None else set()
        for tp in assigned:
            high = consumer.highwater(tp)
            if high is not None:
                lag += max(0, high - await consumer.position(tp))
        joins = rt.bus.joins.get(group)
        groups.append({"group": group, "consumers": members, "topics": list(topics), "joined": bool(assigned), "partitions": len(assigned),
                       "joins": joins.count if joins is not None else 0})
    ok = all(g["joined"] for g in groups) and lag <= LAG_BOUND
    return {"ok": ok, "lag": lag, "groups": groups, "stats": rt.bus.consumer_stats, "rewinds": rt.epoch_watch.rewinds,
            "stages": rt.bus.stages.figures}


async def readiness(rt: ServiceRuntime) -> dict[str, Any]:
    checks = dict(await asyncio.gather(
        _check("store", lambda: _store(rt)), _check("broker", lambda: _broker(rt)),
        _check("relay", lambda: _relay(rt)), _check("consumers", lambda: _consumers(rt)),
    ))
    return {"service": rt.name, "ready": all(c["ok"] for c in checks.values()), "checks": checks}
