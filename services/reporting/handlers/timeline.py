"""Keep each task's timeline (`timelines` heads, `timeline_entries` one document per entry) from the tasks and notify topics.

Idempotent by stream version (domain/timeline.py). The batch's heads are read in one query (by the indexed `task_id`);
a report writes its task's small head and one entry document (in the slot of the entry that falls out of the newest
KEEP, once there are KEEP), all in one transaction. Only an entry that happened before its task's newest one reads
that task's entries (one indexed query) to find its place. A head of before (entries inside) is split into entry
documents when it next changes, unless `split_whole_timelines` split them all before, offline (a quarter end changes
nearly every task's timeline at once: services/reporting/timelines_split.py).
"""
from __future__ import annotations

from schemas.catalog import Event
from services.reporting.domain.timeline import (
    KEEP, TIMELINE_ENTRIES, TIMELINES, Doc, add_event, entry_key, entry_of, is_late, is_split, place_of, split_timeline, task_of,
)
from services.runtime.ports import JsonDocument, Store


async def record_timelines(batch: list[Event], store: Store, keep: int = KEEP) -> int:
    """Apply the batch's task and escalation events; returns how many timelines changed."""
    placed = [(task_id, e) for e in batch if (task_id := task_of(e)) is not None]
    if not placed:
        return 0
    async with store.transaction():
        heads: dict[str, Doc] = {d["task_id"]: d for d in await store.find(TIMELINES, task_id=sorted({t for t, _ in placed}))}
        changed: dict[str, Doc] = {}
        written: dict[str, Doc] = {}  # entry documents to put, by id
        gone: list[str] = []  # stored entry documents to delete (only when KEEP was made smaller)
        ats: dict[str, dict[int, str]] = {}  # task → its kept entries' places by slot, read only for a late entry
        moved: set[str] = set()  # tasks an event changed (a head of before split without a change is not counted)
        for task_id, event in placed:
            before = heads.get(task_id)
            if before is not None and not is_split(before):
                before, entries = split_timeline(before)
                written.update(entries)
                heads[task_id] = changed[task_id] = before
            shown = entry_of(event)  # once for is_late and add_event
            if is_late(before, event, shown) and task_id not in ats:
                stored = await store.find(TIMELINE_ENTRIES, task_id=task_id)
                ats[task_id] = {d["slot"]: place_of(d) for d in [*stored, *(d for d in written.values() if d["task_id"] == task_id)]}
            after, entry, freed = add_event(before, task_id, event, ats.get(task_id), keep, shown)
            if after is before:
                continue
            heads[task_id] = changed[task_id] = after
            moved.add(task_id)
            if entry is not None:
                written[entry_key(task_id, entry["slot"])] = entry
                if task_id in ats:
                    ats[task_id][entry["slot"]] = place_of(entry)
            for slot in freed:
                key = entry_key(task_id, slot)
                written.pop(key, None)
                gone.append(key)
        if changed:  # JSON values only (domain/timeline.py): encoded by the store's fast path
            await store.bulk_put(TIMELINES, {t: JsonDocument(d) for t, d in changed.items()})
        if written:
            await store.bulk_put(TIMELINE_ENTRIES, {k: JsonDocument(d) for k, d in written.items()})
        for key in gone:
            await store.delete(TIMELINE_ENTRIES, key)
    return len(moved)


async def split_whole_timelines(store: Store, task_ids: list[str], batch: int = 2000) -> int:
    """Once, offline (services/reporting/timelines_split.py): the whole timelines of before among `task_ids` split into
    heads and entry documents, `batch` tasks a transaction (one read, two bulk writes); returns how many were split. The
    result reads the same (dashboard/queries.timeline) and the live consumer then never splits one under load. A head
    already split is left as it is, so a second run, or a run beside the live consumer's own split, changes nothing."""
    split = 0
    for i in range(0, len(task_ids), batch):
        async with store.transaction():
            heads: dict[str, Doc] = {}
            entries: dict[str, Doc] = {}
            for doc in await store.find(TIMELINES, task_id=task_ids[i:i + batch]):
                if not is_split(doc):
                    heads[doc["task_id"]], found = split_timeline(doc)
                    entries.update(found)
            if heads:
                await store.bulk_put(TIMELINES, {t: JsonDocument(d) for t, d in heads.items()})
            if entries:
                await store.bulk_put(TIMELINE_ENTRIES, {k: JsonDocument(d) for k, d in entries.items()})
            split += len(heads)
    return split
