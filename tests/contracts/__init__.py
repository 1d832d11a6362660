"""Contract suites for the storage ports, one abstract suite per port (EventStore, Ledger,
DocumentStore), in the manner of pyeventsourcing's `eventsourcing/tests/persistence.py`.

The suites are plain classes without the `Test` prefix, so pytest does not collect them on
their own. A backend's test module subclasses each of them as `Test…` and supplies:

- `async def make_store(self) -> Store`: open the store under test. Called again after
  `close()` in the same test it must reopen the *same* data (same file, same database).
- `persistent = True` when the backend keeps data across close/reopen (SQLite file, MongoDB).
- optionally an autouse fixture preparing the location (tmp_path, database name) and cleaning up.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, AsyncIterator
from uuid import uuid4

import pytest

from schemas.envelope import Envelope
from services.runtime.ports import Indexes, Store


class StoreContract:
    """Plumbing shared by the port suites: the store fixture and the reopen hook."""

    persistent: bool = False
    indexes: Indexes = {}

    async def make_store(self) -> Store:
        raise NotImplementedError

    @pytest.fixture
    async def store(self) -> AsyncIterator[Store]:
        self._open = await self.make_store()
        yield self._open
        await self._open.close()

    async def reopen(self, store: Store) -> Store:
        """Close `store` and open the same backend again (the fixture closes the new one)."""
        await store.close()
        self._open = await self.make_store()
        return self._open

    def skip_unless_persistent(self) -> None:
        if not self.persistent:
            pytest.skip(f"{type(self).__name__}: backend keeps nothing once closed")


def envelope(stream_id: str, version: int, **payload: Any) -> Envelope:
    moment = datetime(2025, 7, 1, 1, 2, 3, 456789, tzinfo=timezone.utc)
    return Envelope(
        event_id=uuid4(),
        event_type="TaskAssigned",
        schema_version=2,
        stream_id=stream_id,
        stream_version=version,
        occurred_at=moment,
        recorded_at=moment,
        correlation_id=f"corr-{stream_id}",
        causation_id=f"cause-{version}",
        actor="tinh-hanoi",
        payload=payload or {"n": version},
    )


def batch(stream_id: str, after: int, count: int) -> list[Envelope]:
    return [envelope(stream_id, after + i) for i in range(1, count + 1)]
