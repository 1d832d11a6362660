"""The store a rebuild's consumer writes through: the live views held in memory until the rebuild has caught up.

The service's one consumer (entrypoints/consumers.py) hands every batch to the projection and to the live views'
handlers (handlers/timeline.record_timelines, handlers/escalations.follow_escalations), which read and write their
documents through the store they are given. In a rebuild the projection keeps its model in memory (`Memory`) and writes
it once at the end; `HeldViews` does the same for the live views' collections without a second copy of their folds:
the same handlers run, and their reads and writes of `timelines`, `timeline_entries` and `escalations` are answered
from dicts while `holding` (every other call goes to the store itself). `write` then puts each held collection once,
in key order, inside the rebuild's bulk load (their indexes built after it), and stops holding: later batches go to the
store as in the service.

The held documents are the handlers' own objects, not copies: the live views' folds never change a document in place
(domain/timeline.py, domain/escalations.py build a new one for every change). Nothing held is rolled back with a failed
transaction, as with the projection's `Memory`: a rebuild that fails is thrown away and run again.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.domain.projection import TASKS, UNITS
from services.reporting.domain.timeline import TIMELINE_ENTRIES, TIMELINES
from services.runtime.ports import Store

HELD = (TIMELINES, TIMELINE_ENTRIES, ESCALATIONS)
COUNTED = (TASKS, UNITS)  # the ids put after the write, for the rebuild's report (no whole collection read back to count)


class HeldViews:
    def __init__(self, store: Store, indexes: Mapping[str, Iterable[str]], collections: Iterable[str] = HELD) -> None:
        self.store = store
        self.holding = True
        self.docs: dict[str, dict[str, dict]] = {c: {} for c in collections}
        self.fields = {c: tuple(indexes.get(c, ())) for c in self.docs}
        self.by_value: dict[tuple[str, str, Any], set[str]] = {}  # (collection, indexed field, value) -> ids
        self.put_after: dict[str, set[str]] = {c: set() for c in COUNTED}

    def __getattr__(self, name: str) -> Any:  # transaction, checkpoints, advance, bulk_add, ...: the store's own
        if name == "store":
            raise AttributeError(name)
        return getattr(self.store, name)

    def _held(self, collection: str) -> bool:
        return self.holding and collection in self.docs

    async def get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        if self._held(collection):
            return self.docs[collection].get(doc_id)
        return await self.store.get(collection, doc_id)

    async def put(self, collection: str, doc_id: str, doc: Mapping[str, Any]) -> None:
        await self.bulk_put(collection, {doc_id: doc})

    async def bulk_put(self, collection: str, docs: Mapping[str, Mapping[str, Any]]) -> None:
        if not self._held(collection):
            if collection in self.put_after:
                self.put_after[collection].update(docs)
            await self.store.bulk_put(collection, docs)
            return
        held, fields = self.docs[collection], self.fields[collection]
        by_value = self.by_value
        for doc_id, doc in docs.items():
            before = held.get(doc_id)
            for field in fields:
                new = doc.get(field)
                if before is not None:
                    old = before.get(field)
                    if old == new:  # a document rewritten (a timeline's head, an entry's slot) keeps its task
                        continue
                    by_value.get((collection, field, old), set()).discard(doc_id)
                by_value.setdefault((collection, field, new), set()).add(doc_id)
            held[doc_id] = doc  # type: ignore[assignment]  # as handed over (a JsonDocument keeps the store's fast encoding)

    async def delete(self, collection: str, doc_id: str) -> None:
        if not self._held(collection):
            await self.store.delete(collection, doc_id)
            return
        doc = self.docs[collection].pop(doc_id, None)
        for field in self.fields[collection] if doc is not None else ():
            self.by_value.get((collection, field, doc.get(field)), set()).discard(doc_id)

    async def find(self, collection: str, **where: Any) -> list[dict[str, Any]]:
        """As the store's find: equality on each field, a list or tuple of values matching any of them."""
        if not self._held(collection):
            return await self.store.find(collection, **where)
        held = self.docs[collection]
        ids: set[str] | None = None
        for field, value in where.items():
            values = value if isinstance(value, (list, tuple, set)) else [value]
            if field in self.fields[collection]:
                matched = set().union(*(self.by_value.get((collection, field, v), set()) for v in values))
            else:
                matched = {i for i, d in held.items() if d.get(field) in values}
            ids = matched if ids is None else ids & matched
        return [held[i] for i in sorted(held if ids is None else ids)]

    async def write(self) -> int:
        """Put every held document into the store, each collection in key order (inside the caller's bulk load and
        transaction), and hold nothing more: later batches write through. Returns how many documents were put."""
        self.holding = False
        written = 0
        for collection, held in self.docs.items():
            if held:
                await self.store.bulk_put(collection, {i: held[i] for i in sorted(held)})
                written += len(held)
        self.docs = {c: {} for c in self.docs}
        self.by_value = {}
        return written
