"""Counters kept by delta: the current counts per owner, and each unit's own deltas per event day.

Owners are `own:<unit>` (the unit's own tasks and reports), `total:<unit>` (the unit and every unit
below it) and `agency:<id>`. A change to `own:U` is also a change to `total:U` and to the total of
every ancestor of U. The ancestors are followed up the registered units; the first parent not
(yet) registered still receives the change (its total waits there) and ends the chain. When a unit
registers, or moves to another parent, its current total is taken from the old ancestors and given
to the new ones. Additions commute, so any order of the same events (a replay, a rebuild reading
the two topics in another interleaving) gives the same documents.

A unit's keys under its utility groups (`g3|…`, the dashboard's heat by group) roughly triple its counter document, which
every summary reads: they are kept in `group_counters`, one document per owner beside its counter document (same id and
`owner` field). A unit's count of status reports (`status_reports`), the one key most events change, is kept in
`report_counts`, a third document per owner of that key alone (≈ 60 bytes: a report adds to two small documents, its
unit's own and total, all of which fit in a few hundred pages, instead of to two ≈ 600-byte counter documents, each on
a page of its own at national spread). The book holds the three together and splits them when it writes
(domain/counters.split_parts); readers add them up again (reading.counts_of). A store written before kept
`status_reports` in the counter documents: readers add both, so those counts stay counted where they are (nothing moves
them; a rebuild writes every one in `report_counts`).

History for `as_of`: only `own:<unit>` keeps its deltas per local event day, one document per
month (`counter_months`, `own:U@2026-03`: {days: {2026-03-05: {key: delta}}}), its status reports' in one of their own
(`report_months`, the same form and ids: a report adds to it, not to the month of every other key); a total as of a past
day is the sum of the subtree's own histories (reading.py). Agencies keep no history.

With a `Memory` the book keeps everything between batches and writes only on `flush` (a rebuild into
a fresh store: if it fails, the fresh copy is thrown away and built again).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from services.reporting.domain.counters import REPORTS, add, split_parts
from services.reporting.domain.projection import UNITS
from services.reporting.handlers.repository.parents import KnownParents, token_of
from services.runtime.ports import DocumentStore, JsonDocument, addressable

COUNTERS, MONTHS, GROUP_COUNTERS, REPORT_COUNTS = "counters", "counter_months", "group_counters", "report_counts"
REPORT_MONTHS = "report_months"  # the units' status reports per day, one document per month, beside `counter_months`
PARTS = (COUNTERS, GROUP_COUNTERS, REPORT_COUNTS)  # the documents an owner's counts are kept in, in split_parts' order
NO_UNIT = object()


@dataclass
class Memory:
    """What a rebuild keeps in memory across batches."""

    current: dict[str, dict[str, int]] = field(default_factory=dict)
    months: dict[str, dict] = field(default_factory=dict)
    report_months: dict[str, dict] = field(default_factory=dict)  # the status reports' day history (REPORT_MONTHS)
    parents: dict[str, object] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)
    dirty_months: set[str] = field(default_factory=set)
    dirty_report_months: set[str] = field(default_factory=set)
    tasks: dict[str, dict] = field(default_factory=dict)
    dirty_tasks: set[str] = field(default_factory=set)
    docs: dict[str, dict[str, dict]] = field(default_factory=dict)
    lookups: dict[tuple[str, object], set[str]] = field(default_factory=dict)
    dirty_docs: set[tuple[str, str]] = field(default_factory=set)
    totals: dict[str, list[str]] = field(default_factory=dict)  # unit -> the total owners a change of its own reaches
    versions: dict[str, int] = field(default_factory=dict)  # stream id -> last version applied: the checkpoints written with the model
    tasks_counted: bool = False  # the final task views are in the current counts (project.write_memory)
    pending: dict[str, dict[str, int]] = field(default_factory=dict)  # net changes not yet carried to current counts and totals
    keys: dict[str, tuple] = field(default_factory=dict)  # task id -> (its view, its counter keys or None, its shape): project.py
    timelines: dict[str, tuple] = field(default_factory=dict)  # task id -> (head, entry documents): handlers/timeline.hold_timelines


class CounterBook:
    """The counters one batch touches, loaded on first use and written back by `flush`."""

    def __init__(self, store: DocumentStore, memory: Memory | None = None, known: KnownParents | None = None) -> None:
        self.store = store
        self.keep = memory is not None
        self.memory = memory or Memory()
        # the live path: parents kept by earlier batches under the directory's token (parents.py); this batch's reads
        # are kept for the next ones unless it moved a unit
        self.known, self.token, self.moved_units = (None if self.keep else known), None, False
        self.pending: dict[str, dict[str, int]] = self.memory.pending  # a rebuild's carry over batches: settled once, at flush
        # The live path (one book per batch, a fresh Memory): the batch's net change of each owner's part in each of its
        # documents (PARTS: plain, group, status reports) waits in that part's `adds`, and of its day history in `days`;
        # `flush` adds them to the stored documents in one store operation per collection (`bulk_add`: nothing read,
        # decoded or encoded whole) and puts whole only the documents that do not exist yet. An owner a unit's move needs
        # whole (`_halves`) is read: each part's `loaded` holds its document's counts (the plain part's is
        # `memory.current`), written whole.
        self.parts = [_Part(COUNTERS, self.memory.current), _Part(GROUP_COUNTERS), _Part(REPORT_COUNTS)]
        self.days: dict[tuple[str, str], dict[str, int]] = {}  # (owner, day) -> the batch's change of its other keys
        self.report_days: dict[tuple[str, str], dict[str, int]] = {}  # and of its status reports

    async def change(self, owner: str, change: Mapping[str, int], day: str, sign: int = 1, current: bool = True) -> None:
        """Count a change now in the owner's day history (units only); its current counts, and the totals
        it reaches, take the batch's net change at once in `settle`. With `current=False` the day history only
        (a rebuild counts its final task views into the current counts instead: `carry`)."""
        if owner.startswith("own:"):
            if self.keep:
                self.change_kept(owner, change, day, sign)
            else:
                plain, reported = day_parts(change)
                if plain:
                    add(self.days.setdefault((owner, day), {}), plain, sign)
                if reported:
                    add(self.report_days.setdefault((owner, day), {}), reported, sign)
        if current:
            add(self.pending.setdefault(owner, {}), change, sign)

    def carry(self, owner: str, change: Mapping[str, int]) -> None:
        """Add to the owner's current counts (and, at `settle`, the totals it reaches), not to its day history."""
        add(self.pending.setdefault(owner, {}), change)

    async def settle(self) -> None:
        """Add each owner's net change of the batch to its current counts and, for a unit, to every total it reaches
        (the changes of sibling units are added up first and reach their common ancestors once: a province's and the
        country's totals take one addition per province, not one per commune)."""
        pending = dict(self.pending)
        self.pending.clear()
        if not self.keep:  # the batch's units and their ancestors, one query per level (not one read per unit)
            await self._learn_parents({o[4:] for o in pending if o.startswith("own:") and o[4:] not in self.memory.totals})
        reached: list[tuple[dict[str, int], list[str]]] = []
        above: dict[tuple[str, ...], dict[str, int]] = {}  # the changes of units with the same ancestors, added up first
        for owner, change in pending.items():
            if not change:
                continue
            if not owner.startswith("own:"):
                reached.append((change, [owner]))
                continue
            unit = owner[4:]
            totals = self.memory.totals.get(unit)
            if totals is None:
                chain = self._known_chain(unit)
                if chain is None:
                    chain = await self.chain_from(await self.parent_of(unit))
                totals = self.memory.totals[unit] = [f"total:{u}" for u in [unit, *chain]]
            reached.append((change, [owner, totals[0]]))
            if len(totals) > 1:
                add(above.setdefault(tuple(totals[1:]), {}), change)
        reached += [(change, list(ancestors)) for ancestors, change in above.items()]
        if self.keep:  # pending changes hold no zeros (`add` drops them): an owner counted for the first time takes a copy
            dirty, counts = self.memory.dirty, self.memory.current
            for change, owners in reached:
                for target in owners:
                    dirty.add(target)
                    found = counts.get(target)
                    if found:
                        add(found, change)
                    else:
                        counts[target] = dict(change)
            return
        for change, owners in reached:
            split = (change, {}, {}) if owners[0].startswith("agency:") else split_parts(change)  # agencies count no reports
            for part, counts in zip(self.parts, split):
                if counts:
                    for target in owners:
                        part.take(target, counts)

    async def _load(self, owner: str, parts: Iterable[_Part] | None = None) -> None:
        """The live path: the owner's counter documents (every part, or those asked for) read whole, once per batch, with
        what the batch added to them so far, to be written whole (a move; keys bulk_add cannot address)."""
        for part in self.parts if parts is None else parts:
            if owner not in part.loaded:
                found = await self.store.get(part.collection, owner)
                part.loaded[owner] = found["counts"] if found is not None else {}
                if owner in part.adds:
                    add(part.loaded[owner], part.adds.pop(owner))
                    part.dirty.add(owner)

    async def _learn_parents(self, units: set[str]) -> None:
        """The parents of these units and of their ancestors, into `memory.parents`: those kept under the directory's
        token first (one `get` a batch), then one query per level for the rest."""
        parents = self.memory.parents
        if self.known is not None and self.token is None:
            self.token = await token_of(self.store)
            for unit, parent in self.known.under(self.token).items():
                parents.setdefault(unit, parent)
        wanted = {u for u in units if u not in parents}
        learnt: dict[str, object] = {}
        while wanted:
            found = {d["unit_id"]: d.get("parent_id") for d in await self.store.find(UNITS, unit_id=sorted(wanted))}
            for unit in wanted:
                parents[unit] = learnt[unit] = found[unit] if unit in found else NO_UNIT
            wanted = {p for p in found.values() if isinstance(p, str) and p not in parents}
        if learnt and self.known is not None and not self.moved_units:
            self.known.keep(self.token, learnt)

    async def move(self, unit_id: str, parent_id: str | None) -> None:
        """The unit is registered (again) under `parent_id`: its total leaves the old ancestors and joins the new."""
        self.moved_units = True  # what this batch reads from here on is not the directory its token names
        old = await self.parent_of(unit_id)
        if old is not NO_UNIT and old == parent_id:
            return
        await self.settle()  # what the batch changed so far reaches the old ancestors before the move
        moved = [dict(half) for half in await self._halves(f"total:{unit_id}")]
        before = await self.chain_from(None if old is NO_UNIT else old)
        self.memory.parents[unit_id] = parent_id
        self.memory.totals.clear()  # every chain through this unit changes
        after = await self.chain_from(parent_id)
        for units, sign in ((before, -1), (after, 1)):
            for unit in units:
                for half, change in zip(await self._halves(f"total:{unit}"), moved):
                    add(half, change, sign)

    async def parent_of(self, unit_id: str) -> object:
        """The unit's parent id (None for a root), or NO_UNIT when it is not registered."""
        parents = self.memory.parents
        if unit_id not in parents:
            doc = None if self.keep else await self.store.get(UNITS, unit_id)
            parents[unit_id] = NO_UNIT if doc is None else doc.get("parent_id")
        return parents[unit_id]

    def _known_chain(self, unit: str) -> list[str] | None:
        """`chain_from(parent_of(unit))` without awaiting, when every parent on the way is known (a live batch learnt
        them in `_learn_parents`); None otherwise."""
        parents = self.memory.parents
        if unit not in parents:
            return None
        chain: list[str] = []
        parent = parents[unit]
        while isinstance(parent, str) and parent not in chain:
            chain.append(parent)
            if parent not in parents:
                return None
            parent = parents[parent]
        return chain

    async def chain_from(self, parent: object) -> list[str]:
        chain: list[str] = []
        while isinstance(parent, str) and parent not in chain:
            chain.append(parent)
            parent = await self.parent_of(parent)
        return chain

    async def flush(self) -> None:
        """Write the counter documents that changed: in a rebuild every owner touched, each part that holds counts (the
        plain one always); live, each part of the owners whose keys in that part changed."""
        await self.settle()
        memory = self.memory
        written: dict[str, dict[str, dict]] = {c: {} for c in PARTS}
        if self.keep:
            plain, groups, reports = (written[c] for c in PARTS)
            for owner in sorted(memory.dirty):
                if owner.startswith("agency:"):  # only units' counters carry group keys and status reports
                    plain[owner] = JsonDocument(owner=owner, counts=memory.current[owner])
                    continue
                counts, grouped, reported = split_parts(memory.current[owner])
                plain[owner] = JsonDocument(owner=owner, counts=counts)
                groups[owner] = JsonDocument(owner=owner, counts=grouped)
                if reported:
                    reports[owner] = JsonDocument(owner=owner, counts=reported)
        else:
            for part in self.parts:
                for owner in [o for o, c in part.adds.items() if not all(addressable(("counts", k)) for k in c)]:
                    await self._load(owner, [part])
            for part in self.parts:
                found = written[part.collection]
                found.update((o, JsonDocument(owner=o, counts=part.loaded[o])) for o in sorted(part.dirty))
                found.update(await self._added(part.collection, part.adds))
                part.adds, part.dirty = {}, set()
            await self._days_into_months()
        for collection, docs in written.items():
            if docs:
                await self.store.bulk_put(collection, docs)
        if memory.dirty_months:
            await self.store.bulk_put(MONTHS, {m: JsonDocument(memory.months[m]) for m in sorted(memory.dirty_months)})
        if memory.dirty_report_months:
            await self.store.bulk_put(REPORT_MONTHS, {m: JsonDocument(memory.report_months[m]) for m in sorted(memory.dirty_report_months)})
        memory.dirty, memory.dirty_months, memory.dirty_report_months = set(), set(), set()

    async def _added(self, collection: str, adds: dict[str, dict[str, int]]) -> dict[str, JsonDocument]:
        """The counts' changes added to their stored documents (one bulk_add); the documents of owners not counted yet,
        to be put whole."""
        changes = {o: {("counts", k): v for k, v in c.items()} for o, c in sorted(adds.items()) if c}
        if not changes:
            return {}
        return {o: JsonDocument(owner=o, counts=dict(adds[o])) for o in await self.store.bulk_add(collection, changes)}

    async def _days_into_months(self) -> None:
        """The live path: the batch's day-history changes added to their month documents, the status reports' to theirs
        (one bulk_add each); a month document not there yet is put whole. A day whose changes of the batch cancel out
        still gets its (empty) entry, as a rebuild's history has it: its month document is read and written whole."""
        memory = self.memory
        for collection, days, months, dirty in ((MONTHS, self.days, memory.months, memory.dirty_months),
                                                (REPORT_MONTHS, self.report_days, memory.report_months, memory.dirty_report_months)):
            if days:
                await self._days_into(collection, days, months, dirty)
        self.days, self.report_days = {}, {}

    async def _days_into(self, collection: str, days: dict[tuple[str, str], dict[str, int]], months: dict[str, dict],
                         dirty: set[str]) -> None:
        whole = {f"{owner}@{day[:7]}" for (owner, day), change in days.items()
                 if not change or not all(addressable(("days", day, k)) for k in change)}
        changes: dict[str, dict[tuple[str, ...], int]] = {}
        for (owner, day), change in sorted(days.items()):
            doc_id = f"{owner}@{day[:7]}"
            if doc_id not in whole:
                into = changes.setdefault(doc_id, {})
                for key, value in change.items():
                    into[("days", day, key)] = value
        fresh = set(await self.store.bulk_add(collection, changes)) if changes else set()
        for doc_id in sorted(whole):
            found = await self.store.get(collection, doc_id)
            if found is not None:
                months[doc_id] = found
        for (owner, day), change in days.items():
            doc_id = f"{owner}@{day[:7]}"
            if doc_id not in whole and doc_id not in fresh:
                continue
            doc = months.get(doc_id)
            if doc is None:
                doc = months[doc_id] = {"owner": owner, "month": day[:7], "days": {}}
            add(doc["days"].setdefault(day, {}), change)
            dirty.add(doc_id)

    async def _current(self, owner: str) -> dict[str, int]:
        """A rebuild's counts of the owner (both halves in one dict), to be written whole."""
        self.memory.dirty.add(owner)
        return self.memory.current.setdefault(owner, {})

    async def _halves(self, owner: str) -> list[dict[str, int]]:
        """The owner's counts as parts to change and write whole: [plain, group, status reports] live, [all in one dict]
        in a rebuild."""
        if self.keep:
            return [await self._current(owner)]
        await self._load(owner)
        for part in self.parts:
            part.dirty.add(owner)
        return [part.loaded[owner] for part in self.parts]

    def change_kept(self, owner: str, change: Mapping[str, int], day: str, sign: int = 1) -> None:
        """A rebuild's `change(owner, change, day, current=False)` for a unit: every month document is in memory, so
        nothing is awaited (this runs for every task event of a rebuild)."""
        memory = self.memory
        plain, reported = day_parts(change)
        if plain:
            add(_day_kept(memory.months, memory.dirty_months, owner, day), plain, sign)
        if reported:
            add(_day_kept(memory.report_months, memory.dirty_report_months, owner, day), reported, sign)


def day_parts(change: Mapping[str, int]) -> tuple[Mapping[str, int], Mapping[str, int]]:
    """(the change but its status reports, its status reports): a day's entry in `counter_months` and in `report_months`.
    Each document has a day's entry when a change of its keys was counted that day, even one that cancelled out (an
    empty entry), so the live path's documents, batch by batch, are a rebuild's."""
    if REPORTS not in change:
        return change, {}
    if len(change) == 1:  # a status report that moved no other key: most events
        return {}, change
    return {k: v for k, v in change.items() if k != REPORTS}, {REPORTS: change[REPORTS]}


def _day_kept(months: dict[str, dict], dirty: set[str], owner: str, day: str) -> dict[str, int]:
    doc_id = f"{owner}@{day[:7]}"
    doc = months.get(doc_id)
    if doc is None:
        doc = months[doc_id] = {"owner": owner, "month": day[:7], "days": {}}
    dirty.add(doc_id)
    return doc["days"].setdefault(day, {})


@dataclass
class _Part:
    """The live path's changes of one of an owner's counter documents (PARTS) in a batch: added to the stored document
    (`adds`), or to its counts read whole (`loaded`) and written whole (`dirty`)."""

    collection: str
    loaded: dict[str, dict[str, int]] = field(default_factory=dict)
    adds: dict[str, dict[str, int]] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)

    def take(self, owner: str, change: Mapping[str, int]) -> None:
        if owner in self.loaded:  # read whole for a move: changed there, written whole
            add(self.loaded[owner], change)
            self.dirty.add(owner)
        else:
            add(self.adds.setdefault(owner, {}), change)
