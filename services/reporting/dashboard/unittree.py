"""The unit tree, kept a few seconds per app: a page would otherwise read every unit document (≈3,355 nationally) per view.

Refreshed when older than `seconds` (default 15), and at once when a page asks for a unit the kept tree does
not know (a unit registered since). A unit moved or renamed shows within `seconds`. One per app
(routes.install), never module state.
"""
from __future__ import annotations

import asyncio
import time

from services.reporting.domain.projection import UNITS, Doc
from services.runtime.ports import DocumentStore


class UnitTree:
    def __init__(self, seconds: float = 15.0) -> None:
        self.seconds = seconds
        self.units: dict[str, Doc] = {}
        self.parents: dict[str, str | None] = {}
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()

    async def get(self, store: DocumentStore, wanted: str | None = None) -> tuple[dict[str, Doc], dict[str, str | None]]:
        """(units by id, parent by id); read again when stale or when `wanted` is not among the units kept."""
        if self._stale() or (wanted is not None and wanted not in self.units):
            async with self._lock:
                if self._stale() or (wanted is not None and wanted not in self.units):
                    units = {doc["unit_id"]: doc for doc in await store.find(UNITS)}
                    self.units, self.parents = units, {u: d.get("parent_id") for u, d in units.items()}
                    self._read_at = time.monotonic()
        return self.units, self.parents

    def _stale(self) -> bool:
        return time.monotonic() - self._read_at > self.seconds
