"""Keep each task's timeline (`timeline_entries`: one document per event shown; `timelines`: a head per task, written by
a trim only) from the tasks and notify topics.

A batch's events are one insert each: the event's entry under the id of its stream and version (domain/timeline.entry_id),
so a redelivered event writes the same document again; nothing is read. A task's documents are trimmed now and then,
in bulk: when one of its streams reaches a multiple of KEEP (a task's own stream moves by one with each of its events, so
its task trims once per KEEP of them), its head and documents are read (one indexed query each for the batch's
trimmed tasks), the newest KEEP are settled in the head and the rest deleted and counted (domain/timeline.trimmed);
between trims a task holds at most KEEP settled documents, KEEP more of its own stream and its escalations' since.
Reading (dashboard/queries.timeline) chooses the newest KEEP of them the same way, so a trim changes nothing shown.
This relies on what the consumer guarantees before it hands a batch over: one stream's events in version order, none
at or below its checkpoint (an event redelivered after a trim is recognised by the head's versions all the same).
A head of before (`order` of slots, or its whole entries inside) is read as it is and rewritten by its first trim;
`split_whole_timelines` splits the whole ones offline (services/reporting/timelines_split.py).
"""
from __future__ import annotations

from schemas.catalog import Event
from services.reporting.domain.timeline import (
    KEEP, TIMELINE_ENTRIES, TIMELINES, Doc, entry_doc, entry_id, is_split, split_timeline, task_of, trimmed,
)
from services.runtime.ports import JsonDocument, Store


async def record_timelines(batch: list[Event], store: Store, keep: int = KEEP) -> int:
    """Apply the batch's task and escalation events; returns how many entry documents were written."""
    written: dict[str, JsonDocument] = {}
    trims: set[str] = set()
    for event in batch:
        task_id = task_of(event)
        if task_id is None:
            continue
        version = event.envelope.stream_version
        if version % keep == 0:
            trims.add(task_id)
        doc = entry_doc(task_id, event)
        if doc is not None:  # JSON values only (domain/timeline.py): encoded by the store's fast path
            written[entry_id(event.envelope.stream_id, version)] = JsonDocument(doc)
    if not written and not trims:
        return 0
    async with store.transaction():
        if written:
            await store.bulk_put(TIMELINE_ENTRIES, written)
        if trims:
            await trim_timelines(store, sorted(trims), keep)
    return len(written)


async def trim_timelines(store: Store, task_ids: list[str], keep: int = KEEP) -> None:
    """Settle the newest `keep` entries of each task in its head and delete its other documents (module docstring):
    two indexed reads for all of them, one bulk write of the heads."""
    heads = {d["task_id"]: d for d in await store.find(TIMELINES, task_id=task_ids)}
    docs: dict[str, list[Doc]] = {t: [] for t in task_ids}
    for doc in await store.find(TIMELINE_ENTRIES, task_id=task_ids):
        docs[doc["task_id"]].append(doc)
    after: dict[str, JsonDocument] = {}
    written: dict[str, JsonDocument] = {}
    gone: list[str] = []
    for task_id in task_ids:
        head, split, stale = trimmed(task_id, heads.get(task_id), docs[task_id], keep)
        after[task_id] = JsonDocument(head)
        written.update((k, JsonDocument(d)) for k, d in split.items())
        gone.extend(stale)
    await store.bulk_put(TIMELINES, after)
    if written:
        await store.bulk_put(TIMELINE_ENTRIES, written)
    for doc_id in gone:
        await store.delete(TIMELINE_ENTRIES, doc_id)


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
