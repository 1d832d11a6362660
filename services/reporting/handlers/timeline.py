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

A rebuild into a fresh store (services/reporting/rebuild.py) holds the timelines in memory while its projection is in
memory (`hold_timelines`: the same entry documents and the same trims, no store call per batch), and writes each task's
timeline once with the model, trimmed: one head per task, no entry documents (`write_held_timelines`). What is shown is
what the store would show after the same batches (a trim changes nothing shown); the entries are built once and encoded
once, in the head, instead of one document each with its indexes kept up through the catch-up.
"""
from __future__ import annotations

from schemas.catalog import Event
from services.reporting.domain.timeline import (
    KEEP, TIMELINE_ENTRIES, TIMELINES, Doc, entry_doc, entry_id, entry_of, held_head, task_of, trimmed,
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


Held = dict[str, tuple[Doc | None, list[tuple[str, int, Doc]]]]  # task id -> (its head after its last trim, (stream,
# version, entry) of each event shown since): a rebuild's timelines in memory


def hold_timelines(batch: list[Event], held: Held, keep: int = KEEP) -> int:
    """`record_timelines` of a rebuild in memory: each event's entry kept with its task, and a task whose stream reached
    a multiple of `keep` trimmed at the end of the batch, as the store's path does (domain/timeline.held_head: what
    `trimmed` makes of the same documents). Returns how many entries were kept."""
    kept, trims = 0, set()
    for event in batch:
        task_id = task_of(event)
        if task_id is None:
            continue
        envelope = event.envelope
        if envelope.stream_version % keep == 0:
            trims.add(task_id)
        entry = entry_of(event)
        if entry is not None:
            found = held.get(task_id)
            if found is None:
                found = held[task_id] = (None, [])
            found[1].append((envelope.stream_id, envelope.stream_version, entry))
            kept += 1
    for task_id in trims:
        head, entries = held.get(task_id, (None, []))
        held[task_id] = (held_head(task_id, head, entries, keep), [])
    return kept


async def write_held_timelines(store: Store, held: Held, keep: int = KEEP) -> None:
    """Every held timeline written as one head (its entries since its last trim folded in), in task order."""
    heads = {}
    for task_id in sorted(held):
        head, entries = held[task_id]
        heads[task_id] = JsonDocument(held_head(task_id, head, entries, keep) if entries or head is None else head)
    if heads:
        await store.bulk_put(TIMELINES, heads)


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


