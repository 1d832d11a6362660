"""Runs one service's moving parts: the bus, its outbox relay and its background loops."""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable, Iterable, Sequence

from fastapi import FastAPI

from schemas.catalog import ALL_TOPICS
from services.runtime.bus import Bus, EventBatchHandler
from services.runtime.clock import Clock
from services.runtime.epochs import EpochWatch
from services.runtime.eventlog import EventLog
from services.runtime import heap
from services.runtime.outbox import OutboxRelay
from services.runtime.ports import Store
from services.runtime.settings import ServiceSettings
from services.runtime.topics import SUBSCRIBERS

log = logging.getLogger("tiendo.service")
EVENTS_GROUP = "events"


class ServiceRuntime:
    def __init__(self, name: str, settings: ServiceSettings, store: Store, clock: Clock, bus: Bus | None = None) -> None:
        self.name, self.settings, self.store, self.clock = name, settings, store, clock
        self.bus = bus or Bus(settings.kafka_bootstrap, client_id=f"tiendo-{name}", tuning=settings.consumer_tuning())
        self.bus.use_checkpoints(store)
        self.relay: OutboxRelay | None = None
        self.epoch_watch = EpochWatch(self.bus, settings.broker_check_seconds)
        self._append_listeners: list[Callable[[], None]] = []
        self.events = EventLog(store, clock, on_append=self._appended)
        self._loops: list[Callable[[], Awaitable[None]]] = []
        self._tasks: list[asyncio.Task] = []
        heap.register(self)  # the C heap's freed pages back to the system once a minute (runtime/heap.py)

    def relay_to(self, topic: str) -> OutboxRelay:
        self.relay = OutboxRelay(
            self.store, self.bus, topic, self.name, topics=list(ALL_TOPICS), partitions=self.settings.topic_partitions,
            idle_seconds=self.settings.relay_interval_seconds, check_seconds=self.settings.broker_check_seconds,
            subscribers=[f"{self.settings.consumer_group_prefix}.{name}.{EVENTS_GROUP}" for name in SUBSCRIBERS.get(topic, ())],
            floor_wait=self.settings.republish_floor_wait_seconds,
        )
        self._loops.append(self.relay.run)
        self.on_append(self.relay.wake)
        return self.relay

    def run_loop(self, loop: Callable[[], Awaitable[None]]) -> None:
        self._loops.append(loop)

    def group(self, role: str) -> str:
        return f"{self.settings.consumer_group_prefix}.{self.name}.{role}"

    def subscribe_events(self, topics: Sequence[str], consumer: str, apply: EventBatchHandler, types: Iterable[str] | None = None,
                         atomic: bool = False, later: Iterable[str] = ()) -> None:
        """Consume checked events under `consumer`'s own checkpoints; every event consumer of the process shares one
        consumer group (one fetch loop, one join), whatever its topics. `types`: the event types `apply` handles;
        `atomic`: `apply` writes to the store only, in one transaction with the checkpoints; `later`: topics put off while
        the process is behind on its others (Bus.subscribe_events).
        An events topic's subscribers are declared in topics.SUBSCRIBERS: its relay skips what they all applied."""
        undeclared = [t for t in topics if t in SUBSCRIBERS and self.name not in SUBSCRIBERS[t]]
        if undeclared:
            raise RuntimeError(f"{self.name} reads {undeclared}: declare it in topics.SUBSCRIBERS (their relays skip what the declared read)")
        self.bus.subscribe_events(topics, self.group(EVENTS_GROUP), consumer, apply, types=types, atomic=atomic, later=later)

    def on_append(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every append in this process (it wakes a loop waiting for new events: no polling)."""
        self._append_listeners.append(listener)

    def _appended(self) -> None:
        for listener in self._append_listeners:
            listener()

    async def start(self) -> None:
        await self.bus.ensure_topics(ALL_TOPICS, self.settings.topic_partitions)
        await self.bus.start()
        loops = [*self._loops, self.epoch_watch.run] if self.bus.subscribed_topics() else self._loops
        self._tasks = [asyncio.create_task(loop(), name=f"{self.name}:{getattr(loop, '__qualname__', 'loop')}") for loop in loops]

    async def stop(self) -> None:
        """Cancel the loops and wait for them; a cancellation a loop lost is sent again (never hang here)."""
        for _ in range(5):
            pending = [task for task in self._tasks if not task.done()]
            if not pending:
                break
            for task in pending:
                task.cancel()
            await asyncio.wait(pending, timeout=3)
        else:
            log.warning("%s: loops still running at shutdown: %s", self.name, [t.get_name() for t in self._tasks if not t.done()])
        await self.bus.stop()
        await self.store.close()

    @asynccontextmanager
    async def lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()
