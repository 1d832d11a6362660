"""Units, agencies, plans and periodic reports as the projection reads and writes them: in the store, or (a rebuild) in memory.

A rebuild starts from an empty store, so in memory the directory is complete: lookups by parent or
unit are answered from small indexes kept beside the documents, and everything is written once at
the end (see counting.Memory).
"""
from __future__ import annotations

from typing import Any

from services.reporting.domain.projection import AGENCIES, PLANS, UNITS
from services.reporting.handlers.repository.counters import Memory
from services.reporting.handlers.repository.parents import bump
from services.runtime.ports import DocumentStore

LOOKUPS = {UNITS: "parent_id", AGENCIES: "unit_id", PLANS: "unit_id"}  # a summary finds a unit's children by parent_id (indexed)


class Directory:
    def __init__(self, store: DocumentStore, memory: Memory | None = None) -> None:
        self.store, self.memory = store, memory

    async def get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        if self.memory is None:
            return await self.store.get(collection, doc_id)
        return self.memory.docs.get(collection, {}).get(doc_id)

    async def find(self, collection: str, value: str) -> list[dict[str, Any]]:
        """Documents whose lookup field (units: parent_id; agencies, plans: unit_id) equals `value`."""
        field = LOOKUPS[collection]
        if self.memory is None:
            return await self.store.find(collection, **{field: value})
        docs = self.memory.docs.get(collection, {})
        return [docs[i] for i in sorted(self.memory.lookups.get((collection, value), ()))]

    async def put(self, collection: str, doc_id: str, doc: dict[str, Any]) -> None:
        if self.memory is None:
            await self.store.put(collection, doc_id, doc)
            if collection == UNITS:  # in the same transaction: the parents kept between batches are no longer valid
                await bump(self.store)
            return
        docs = self.memory.docs.setdefault(collection, {})
        field = LOOKUPS.get(collection)
        if field and doc_id in docs:
            self.memory.lookups.get((collection, docs[doc_id].get(field)), set()).discard(doc_id)
        docs[doc_id] = doc
        if field:
            self.memory.lookups.setdefault((collection, doc.get(field)), set()).add(doc_id)
        self.memory.dirty_docs.add((collection, doc_id))

    async def delete(self, collection: str, doc_id: str) -> None:
        """Only for documents no lookup indexes (a unit's news, dropped when its registration comes)."""
        if self.memory is None:
            await self.store.delete(collection, doc_id)
            return
        self.memory.docs.get(collection, {}).pop(doc_id, None)
        self.memory.dirty_docs.discard((collection, doc_id))


async def write_directory(store: DocumentStore, memory: Memory) -> None:
    by_collection: dict[str, dict[str, dict]] = {}
    for collection, doc_id in sorted(memory.dirty_docs):  # in key order: see project.write_memory
        by_collection.setdefault(collection, {})[doc_id] = memory.docs[collection][doc_id]
    for collection, docs in by_collection.items():
        await store.bulk_put(collection, docs)
    if UNITS in by_collection:
        await bump(store)
    memory.dirty_docs = set()
