"""What handlers append through: envelopes made with the clock, stored with the request's trace, relay woken."""
from __future__ import annotations

from typing import Callable, Sequence

from schemas.envelope import Envelope, Payload
from services.runtime.clock import Clock
from services.runtime.events import Cause, seal, seal_many
from services.runtime.ports import EventStore
from services.runtime.telemetry import current_traceparent


class EventLog:
    def __init__(self, store: EventStore, clock: Clock, on_append: Callable[[], None] = lambda: None) -> None:
        self.store, self.clock, self._on_append = store, clock, on_append

    async def load(self, stream_id: str) -> list[Envelope]:
        return await self.store.load(stream_id)

    async def append(self, stream_id: str, version: int, payloads: Sequence[Payload], cause: Cause) -> list[Envelope]:
        """Append after `version`; ConcurrencyError if another writer got there first."""
        if not payloads:
            return []
        envelopes, bodies = seal(stream_id, version, payloads, cause, self.clock.now())
        await self.store.append(stream_id, version, envelopes, current_traceparent(), bodies)
        self._on_append()
        return envelopes

    async def append_many(self, appends: Sequence[tuple[str, int, Sequence[Payload], Cause]]) -> list[list[Envelope]]:
        """Several streams at once, all or nothing (ConcurrencyError if any moved on); the envelopes per append."""
        envelopes, batch, bodies = [], [], []
        for (stream_id, version, _, _), (sealed, texts) in zip(appends, seal_many(appends, self.clock.now())):
            envelopes.append(sealed)
            if sealed:
                batch.append((stream_id, version, sealed))
                bodies.append(texts)
        if batch:
            await self.store.append_many(batch, current_traceparent(), bodies)
            self._on_append()
        return envelopes
