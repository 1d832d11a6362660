"""Follow notify's escalation items into reporting's read model (`escalations`, one document per item).

Idempotent by stream version (domain/escalations.py): an event at or below the version a document has
reached changes nothing. The batch's documents are read in one `find` by their indexed `item_id` and the changed ones
written in one `bulk_put`, in one transaction (a quarter end brings hundreds of thousands of escalation events).
"""
from __future__ import annotations

from schemas.catalog import Event
from services.reporting.domain.escalations import ESCALATIONS, Doc, evolve_escalation, is_escalation, item_of
from services.runtime.ports import Store


async def follow_escalations(batch: list[Event], store: Store) -> int:
    """Apply the batch's escalation events; returns how many documents changed."""
    events = [e for e in batch if is_escalation(e)]
    if not events:
        return 0
    async with store.transaction():
        docs: dict[str, Doc | None] = {d["item_id"]: d for d in await store.find(ESCALATIONS, item_id=sorted({item_of(e) for e in events}))}
        changed: dict[str, Doc] = {}
        for event in events:
            item_id = item_of(event)
            before = docs.get(item_id)
            after = evolve_escalation(before, event)
            if after is not None and after is not before:
                docs[item_id] = changed[item_id] = after
        if changed:
            await store.bulk_put(ESCALATIONS, changed)
    return len(changed)
