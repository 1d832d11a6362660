"""Keep each task's timeline (`timeline_entries`: one document per event shown since its last trim; `timelines`: a head
per task, written by a trim only) from the tasks and notify topics.

A batch's events are one insert each: the event's entry under the id of its time, stream and version
(domain/timeline.entry_id), so a redelivered event writes the same document again; nothing is read and no head is
written. Now and then, in bulk, a task is trimmed: when one of its streams reaches a multiple of KEEP (its own stream
moves by one with each of its events, so a task is trimmed once per KEEP of them), its head and documents are read
(one indexed query each for all the batch's trimmed tasks), the newest KEEP folded into the head (a whole timeline,
as before) and the documents deleted (domain/timeline.trimmed), so a task holds about KEEP documents at most between
trims. Reading (dashboard/queries.timeline) chooses the newest KEEP of the head's and the documents' entries the same
way, so a trim changes nothing shown. The head's versions say which documents were folded: one written again by a
redelivered event after a trim is not counted twice. A head of before (`order` of slots, or `kept` ids) is read as it
is and folded by the task's first trim.
"""
from __future__ import annotations

from schemas.catalog import Event
from services.reporting.domain.timeline import (
    KEEP, TIMELINE_ENTRIES, TIMELINES, Doc, entry_doc, entry_id, task_of, trimmed,
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
            written[entry_id(doc["at"], doc["stream"], version)] = JsonDocument(doc)
    if not written and not trims:
        return 0
    async with store.transaction():
        if written:
            await store.bulk_put(TIMELINE_ENTRIES, written)
        if trims:
            await trim_timelines(store, sorted(trims), keep)
    return len(written)


async def trim_timelines(store: Store, task_ids: list[str], keep: int = KEEP) -> None:
    """Fold each task's entry documents into its head and delete them (module docstring): two indexed reads for all
    of them, one bulk write of the heads, one bulk delete."""
    heads = {d["task_id"]: d for d in await store.find(TIMELINES, task_id=task_ids)}
    docs: dict[str, list[Doc]] = {t: [] for t in task_ids}
    for doc in await store.find(TIMELINE_ENTRIES, task_id=task_ids):
        docs[doc["task_id"]].append(doc)
    after: dict[str, JsonDocument] = {}
    gone: list[str] = []
    for task_id in task_ids:
        head, folded = trimmed(task_id, heads.get(task_id), docs[task_id], keep)
        after[task_id] = JsonDocument(head)
        gone.extend(folded)
    await store.bulk_put(TIMELINES, after)
    await store.bulk_delete(TIMELINE_ENTRIES, gone)


