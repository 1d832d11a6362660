"""Apply a batch of events to reporting's read model: units, agencies, plans and task views.

Idempotent twice over: events already in the processed-event ledger are skipped (a rebuild in memory: events at or
below their stream's last applied version; the live consumer: events at or below their stream's checkpoint, which the
bus advances in the projection's own transaction), and a task
view ignores any event at or below the version it has reached. The ledger check, the view
updates and the ledger marks share one transaction.

Rollups are stored and kept by delta (handlers/repository/counters.py): each task event changes the
counters of its unit, every ancestor and its agencies by what the task's contribution changed
(domain/counters.py); a unit registered late or moved carries its total to its new ancestors.
Events are applied in batch order, all in memory, and written back once per batch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from schemas.catalog import Event
from schemas.deadlines import DUE_SOON_DAYS
from schemas.directory import UnitMoved, UnitRegistered, UnitRenamed
from schemas.reports import PeriodicReportSubmitted
from services.reporting.domain.counters import REPORTS, _shape, task_delta, task_keys, views_counts  # noqa: PLC2701 - the shape task_delta compares
from services.reporting.domain.projection import (
    PLANS, TASKS, UNIT_NEWS, UNITS, Doc, changes_view, directory_view, event_day, evolve_task, is_task_stream, with_window,
)
from services.reporting.handlers import obligations
from services.reporting.handlers.repository.counters import CounterBook, Memory
from services.reporting.handlers.repository.directory import Directory, write_directory
from services.reporting.handlers.repository.parents import KnownParents
from services.runtime.ports import JsonDocument, Store

CONSUMER = "reporting.views"  # reporting's one event consumer (entrypoints/consumers.py): the projection and the live views


@dataclass
class ProjectionProgress:
    """What this process's projection consumer has seen: observable on GET /projection."""

    received: int = 0
    applied: int = 0
    skipped: int = 0
    memory: Memory | None = None
    parents: KnownParents = field(default_factory=KnownParents)  # the units' parents kept between live batches (parents.py)

    def as_dict(self) -> dict[str, int]:
        return {"received": self.received, "applied": self.applied, "skipped": self.skipped}


async def project(batch: list[Event], store: Store, progress: ProjectionProgress | None = None, memory: Memory | None = None,
                  checkpointed: bool = False) -> int:
    """Apply the events not yet applied; returns how many were new.

    With a `memory` (a rebuild into a fresh store) task views, counters and the ledger's marks stay in
    memory between batches and are written by `write_memory` at the end: no store call per batch.
    `checkpointed`: the caller advances the streams' checkpoints in the same transaction (the bus's atomic consumer:
    it hands over only events past them), so no per-event mark is read or written."""
    if memory is not None:  # checkpointed: the bus skipped what its (held) checkpoints cover, and writes them (rebuild.py)
        fresh = batch if checkpointed else _unapplied(batch, memory.versions)
        await _apply(fresh, store, memory)
    elif checkpointed:
        fresh = batch
        async with store.transaction():
            await _apply(fresh, store, memory, progress.parents if progress is not None else None)
    else:
        ids = [str(e.envelope.event_id) for e in batch]
        async with store.transaction():
            unseen = await store.unseen(CONSUMER, ids)
            fresh = [e for e in batch if str(e.envelope.event_id) in unseen]
            await _apply(fresh, store, memory)
            await store.mark(CONSUMER, unseen)
    if progress is not None:
        progress.received += len(batch)
        progress.applied += len(fresh)
        progress.skipped += len(batch) - len(fresh)
    return len(fresh)


def _unapplied(batch: list[Event], versions: dict[str, int]) -> list[Event]:
    """A rebuild's events past each stream's last applied version, which moves on with them (streams come in order)."""
    fresh = []
    for event in batch:
        envelope = event.envelope
        stream, version = envelope.stream_id, envelope.stream_version
        if version > versions.get(stream, 0):
            versions[stream] = version
            fresh.append(event)
    return fresh


async def _apply(events: list[Event], store: Store, memory: Memory | None, known: KnownParents | None = None) -> None:
    """Fold the events in order into the views and the counters; write each touched document once (`known`: the units'
    parents kept between live batches)."""
    book, directory = CounterBook(store, memory, known), Directory(store, memory)
    tasks = memory.tasks if memory is not None else await _task_views(events, store)
    changed: dict[str, Doc] = {}
    for event in events:
        if is_task_stream(event):
            task_id = event.payload.task_id
            before = tasks.get(task_id)
            after = evolve_task(before, event)
            if after is not None and after is not before:
                if before is None:
                    after = with_window(after, await directory.get(PLANS, after["plan_id"]))
                tasks[task_id] = changed[task_id] = after
                await _count(before, after, book, event_day(event))
            continue
        view = directory_view(event)
        if view is not None:
            collection, doc_id, doc = view
            if isinstance(event.payload, UnitRegistered):
                doc = await _registered(doc, directory, book)
            await obligations.before_directory(event, directory, book)
            if collection == PLANS and await directory.get(PLANS, doc_id) is None:
                await _rewindow(doc, tasks, changed, store, memory, book, event_day(event))
            await directory.put(collection, doc_id, {**doc, "received_on": event_day(event)} if collection == PLANS else doc)
        elif isinstance(event.payload, PeriodicReportSubmitted):
            await obligations.receive_report(event, directory, book)
        elif isinstance(event.payload, (UnitMoved, UnitRenamed)):
            await _reorganise(event.payload, directory, book)
    if memory is not None:  # a rebuild: the counters' net changes are carried to their totals once, when written
        memory.dirty_tasks.update(changed)
        return
    await book.settle()
    if changed:
        await store.bulk_put(TASKS, {t: JsonDocument(d) for t, d in changed.items()})  # JSON values only: encoded by the fast path
    await book.flush()


async def _count(before: Doc | None, after: Doc | None, book: CounterBook, day: str) -> None:
    """A task's change, in the day history of its unit and in the current counts of every owner; in a rebuild the
    day history only: the current counts take each task's final view once, in write_memory (the history's days
    add up to the same, view after view)."""
    if book.keep and after is not None:
        reported = _reports_only(book.memory, before, after)
        if reported is not None:  # most events of a rebuild: a status report that moves no other key
            if reported:
                book.change_kept(f"own:{after['unit_id']}", reported, day)
            return
        for owner, change in task_delta(before, after, agencies=False, keys=_keys_kept(book.memory, before, after)).items():
            book.change_kept(owner, change, day)  # units' owners only
        return
    for owner, change in task_delta(before, after, agencies=not book.keep).items():
        await book.change(owner, change, day, current=not book.keep)


def _reports_only(memory: Memory, before: Doc | None, after: Doc) -> dict[str, int] | None:
    """A rebuild's change of a task's unit when only its status reports moved (the same unit and group, and the same
    shape: every other key task_keys reads), without working out its keys: {"status_reports": n}, or {} for none;
    None when anything else may have moved (task_delta then). The view is kept with its shape (memory.keys), its keys
    left to be worked out when they are needed (`_keys_kept`, `_view_keys`)."""
    task_id = after["task_id"]
    kept = memory.keys.get(task_id)
    if before is None or kept is None or kept[0] is not before or before["unit_id"] != after["unit_id"] \
            or before.get("group") != after.get("group"):
        return None
    shape = _shape(after)
    if shape != kept[2]:
        return None
    memory.keys[task_id] = (after, None, shape)
    reports = after.get("reports", 0) - before.get("reports", 0)
    return {REPORTS: reports} if reports else {}


def _keys_kept(memory: Memory, before: Doc | None, after: Doc) -> tuple[list[str], list[str]]:
    """(task_keys(before), task_keys(after)), the first as kept beside the view when it was the after of the task's
    previous change: a rebuild works out each view's keys once, not once more as the next event's before. The view is
    kept with its keys and its shape (`_reports_only`)."""
    kept = memory.keys.get(after["task_id"])
    keys_before = kept[1] if kept is not None and kept[0] is before and kept[1] is not None else task_keys(before)
    keys_after = task_keys(after)
    memory.keys[after["task_id"]] = (after, keys_after, _shape(after))
    return keys_before, keys_after


def _view_keys(memory: Memory) -> Iterator[tuple[Doc, list[str]]]:
    """Every task view with its counter keys (those kept beside it, when they are the view's)."""
    kept = memory.keys
    for task_id, view in memory.tasks.items():
        found = kept.get(task_id)
        yield view, found[1] if found is not None and found[0] is view and found[1] is not None else task_keys(view)


async def _rewindow(plan: Doc, tasks: dict[str, Doc], changed: dict[str, Doc], store: Store, memory: Memory | None,
                    book: CounterBook, day: str) -> None:
    """A plan arriving after some of its tasks (another topic): they take its due-soon window now."""
    if plan.get("due_soon_days", DUE_SOON_DAYS) == DUE_SOON_DAYS:
        return
    plan_id = plan["plan_id"]
    found = {} if memory is not None else {d["task_id"]: d for d in await store.find(TASKS, plan_id=plan_id)}
    found.update(tasks)  # this batch's views (all of them, in a rebuild) are newer than the store's
    for doc in [d for d in found.values() if d["plan_id"] == plan_id]:
        after = with_window(doc, plan)
        if after is not doc:
            tasks[doc["task_id"]] = changed[doc["task_id"]] = after
            await _count(doc, after, book, day)


async def write_memory(store: Store, memory: Memory, checkpoints: bool = True) -> None:
    """Write what a rebuild kept in memory: task views, counters and one checkpoint per stream (the last version
    applied), each in key order (a fresh store's b-trees then grow at their end instead of splitting pages at
    random: 2-4 times faster).

    Checkpoints, not the ledger's per-event marks: the live consumer (runtime/continuity.py) skips every event of a
    stream at or below its checkpoint before the projection sees it, so the marks would never be read. The marks
    guard only the live path's own window (a batch applied and marked, its checkpoints not yet advanced, a crash
    in between); here the checkpoints are written in the model's own transaction, so there is no such window.
    `checkpoints=False` when the bus's HeldCheckpoints write the same versions (services/reporting/rebuild.py)."""
    async with store.transaction():
        if checkpoints and memory.versions:
            await store.advance(CONSUMER, dict(sorted(memory.versions.items())))
        if memory.dirty_tasks:
            await store.bulk_put(TASKS, {t: memory.tasks[t] for t in sorted(memory.dirty_tasks)})
        memory.dirty_tasks = set()
        await write_directory(store, memory)
        book = CounterBook(store, memory)
        if not memory.tasks_counted:
            for owner, change in views_counts(_view_keys(memory)).items():
                book.carry(owner, change)
            memory.tasks_counted, memory.keys = True, {}
        await book.flush()


async def _registered(doc: Doc, store: Directory, book: CounterBook) -> Doc:
    """A unit's registration, with the news of it kept before it came (`_reorganise`) applied over its fields and
    dropped: its total goes to the ancestors it has now. Its expected reports are bound to the plans of the parent it
    was registered under (obligations.before_directory), as when the news comes after it: a move binds none."""
    unit_id = doc["unit_id"]
    news = await store.get(UNIT_NEWS, unit_id)  # there only while the unit is not registered
    if news is not None:
        doc = {**doc, **{k: v for k, v in news.items() if k != "unit_id"}}
        await store.delete(UNIT_NEWS, unit_id)
    await book.move(unit_id, doc.get("parent_id"))
    return doc


async def _reorganise(payload: UnitMoved | UnitRenamed, store: Directory, book: CounterBook) -> None:
    """A unit moved (its total goes with it to the new ancestors) or renamed. A unit not registered yet (its stream and
    the reorganisations' are read in no promised order) has the change kept in UNIT_NEWS, out of the units every
    reader lists, for its registration to apply (`_registered`)."""
    change = {"parent_id": payload.to_parent} if isinstance(payload, UnitMoved) else {"name": payload.new_name}
    doc = await store.get(UNITS, payload.unit_id)
    if doc is None:
        news = await store.get(UNIT_NEWS, payload.unit_id) or {"unit_id": payload.unit_id}
        await store.put(UNIT_NEWS, payload.unit_id, {**news, **change})
        return
    if isinstance(payload, UnitMoved):
        await book.move(payload.unit_id, payload.to_parent)
    await store.put(UNITS, payload.unit_id, {**doc, **change})


async def _task_views(events: list[Event], store: Store) -> dict[str, Doc]:
    """The views of the batch's tasks that one of its events changes (a batch of missed periods reads none)."""
    task_ids = sorted({e.payload.task_id for e in events if is_task_stream(e) and changes_view(e.payload)})
    return {d["task_id"]: d for d in await store.find(TASKS, task_id=task_ids)} if task_ids else {}
