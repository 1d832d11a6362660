"""Counters kept by delta: the current counts per owner, and the same deltas per owner and event day.

Owners are `own:<unit>` (the unit's own tasks and reports), `total:<unit>` (the unit and every unit
below it) and `agency:<id>`. A change to `own:U` is also a change to `total:U` and to the total of
every ancestor of U. The ancestors are followed up the registered units; the first parent not
(yet) registered still receives the change (its total waits there) and ends the chain. When a unit
registers, or moves to another parent, its whole total (current and per day) is taken from the
old ancestors and given to the new ones. Additions commute, so any order of the same events (a
replay, a rebuild reading the two topics in another interleaving) gives the same documents.

`counter_days` holds, per owner and local event day, the sum of the deltas of that day: the
counts as of a past day D are the sum of the day documents up to D (see views_asof.py).
"""
from __future__ import annotations

from typing import Mapping

from services.reporting.domain.counters import add
from services.reporting.domain.projection import UNITS
from services.runtime.ports import DocumentStore

COUNTERS, DAYS = "counters", "counter_days"
NO_UNIT = object()


class CounterBook:
    """The counters one batch touches, loaded on first use and written back by `flush`."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store
        self.current: dict[str, dict[str, int]] = {}
        self.days: dict[str, dict[str, dict[str, int]]] = {}
        self.loaded_days: set[tuple[str, str]] = set()
        self.parents: dict[str, object] = {}

    async def change(self, owner: str, change: Mapping[str, int], day: str, sign: int = 1) -> None:
        owners = [owner]
        if owner.startswith("own:"):
            unit = owner[4:]
            owners += [f"total:{u}" for u in [unit, *await self.chain_from(await self.parent_of(unit))]]
        for target in owners:
            add(await self._current(target), change, sign)
            add(await self._day(target, day), change, sign)

    async def move(self, unit_id: str, parent_id: str | None) -> None:
        """The unit is registered (again) under `parent_id`: its total leaves the old ancestors and joins the new."""
        old = await self.parent_of(unit_id)
        if old is not NO_UNIT and old == parent_id:
            return
        owner = f"total:{unit_id}"
        current = dict(await self._current(owner))
        days = await self._all_days(owner)
        before = await self.chain_from(None if old is NO_UNIT else old)
        self.parents[unit_id] = parent_id
        after = await self.chain_from(parent_id)
        for units, sign in ((before, -1), (after, 1)):
            for unit in units:
                add(await self._current(f"total:{unit}"), current, sign)
                for day, counts in days.items():
                    add(await self._day(f"total:{unit}", day), counts, sign)

    async def parent_of(self, unit_id: str) -> object:
        """The unit's parent id (None for a root), or NO_UNIT when it is not registered."""
        if unit_id not in self.parents:
            doc = await self.store.get(UNITS, unit_id)
            self.parents[unit_id] = NO_UNIT if doc is None else doc.get("parent_id")
        return self.parents[unit_id]

    async def chain_from(self, parent: object) -> list[str]:
        chain: list[str] = []
        while isinstance(parent, str) and parent not in chain:
            chain.append(parent)
            parent = await self.parent_of(parent)
        return chain

    async def flush(self) -> None:
        if self.current:
            await self.store.bulk_put(COUNTERS, {o: {"owner": o, "counts": c} for o, c in self.current.items()})
        day_docs = {f"{o}@{d}": {"owner": o, "day": d, "counts": c} for o, days in self.days.items() for d, c in days.items()}
        if day_docs:
            await self.store.bulk_put(DAYS, day_docs)

    async def _current(self, owner: str) -> dict[str, int]:
        if owner not in self.current:
            doc = await self.store.get(COUNTERS, owner)
            self.current[owner] = dict(doc["counts"]) if doc else {}
        return self.current[owner]

    async def _day(self, owner: str, day: str) -> dict[str, int]:
        days = self.days.setdefault(owner, {})
        if day not in days:
            doc = None if (owner, "*") in self.loaded_days else await self.store.get(DAYS, f"{owner}@{day}")
            days[day] = dict(doc["counts"]) if doc else {}
        return days[day]

    async def _all_days(self, owner: str) -> dict[str, dict[str, int]]:
        if (owner, "*") not in self.loaded_days:
            days = self.days.setdefault(owner, {})
            for doc in await self.store.find(DAYS, owner=owner):
                days.setdefault(doc["day"], dict(doc["counts"]))
            self.loaded_days.add((owner, "*"))
        return {d: dict(c) for d, c in self.days.get(owner, {}).items()}
