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
`owner` field); the book holds them together and splits them when it writes.

History for `as_of`: only `own:<unit>` keeps its deltas per local event day, one document per
month (`counter_months`, `own:U@2026-03`: {days: {2026-03-05: {key: delta}}}); a total as of a past
day is the sum of the subtree's own histories (reading.py). Agencies keep no history.

With a `Memory` the book keeps everything between batches and writes only on `flush` (a rebuild into
a fresh store: if it fails, the fresh copy is thrown away and built again).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from services.reporting.domain.counters import add, split_groups
from services.reporting.domain.projection import UNITS
from services.runtime.ports import DocumentStore, JsonDocument, addressable

COUNTERS, MONTHS, GROUP_COUNTERS = "counters", "counter_months", "group_counters"
NO_UNIT = object()


@dataclass
class Memory:
    """What a rebuild keeps in memory across batches."""

    current: dict[str, dict[str, int]] = field(default_factory=dict)
    months: dict[str, dict] = field(default_factory=dict)
    parents: dict[str, object] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)
    dirty_months: set[str] = field(default_factory=set)
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

    def __init__(self, store: DocumentStore, memory: Memory | None = None) -> None:
        self.store = store
        self.keep = memory is not None
        self.memory = memory or Memory()
        self.pending: dict[str, dict[str, int]] = self.memory.pending  # a rebuild's carry over batches: settled once, at flush
        # The live path (one book per batch, a fresh Memory): the batch's net change of each owner's plain half waits in
        # `adds` and of its group half in `group_adds` (a status report changes no group key), and its day history's in
        # `days`; `flush` adds them to the stored documents in one store operation per collection (`bulk_add`: nothing
        # read, decoded or encoded whole) and puts whole only the documents that do not exist yet. An owner a unit's move
        # needs whole (`_halves`) is read: `memory.current` holds its plain half and `groups` its group half, written whole.
        self.groups: dict[str, dict[str, int]] = {}
        self.dirty_plain: set[str] = set()
        self.dirty_groups: set[str] = set()
        self.adds: dict[str, dict[str, int]] = {}
        self.group_adds: dict[str, dict[str, int]] = {}
        self.days: dict[tuple[str, str], dict[str, int]] = {}

    async def change(self, owner: str, change: Mapping[str, int], day: str, sign: int = 1, current: bool = True) -> None:
        """Count a change now in the owner's day history (units only); its current counts, and the totals
        it reaches, take the batch's net change at once in `settle`. With `current=False` the day history only
        (a rebuild counts its final task views into the current counts instead: `carry`)."""
        if owner.startswith("own:"):
            add(self._day_kept(owner, day) if self.keep else self.days.setdefault((owner, day), {}), change, sign)
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
        current = self.memory.current
        for change, owners in reached:
            plain, grouped = (change, {}) if owners[0].startswith("agency:") else split_groups(change)
            for target in owners:
                if plain:
                    if target in current:  # read whole for a move: changed there, written whole
                        add(current[target], plain)
                        self.dirty_plain.add(target)
                    else:
                        add(self.adds.setdefault(target, {}), plain)
                if grouped:
                    if target in self.groups:
                        add(self.groups[target], grouped)
                        self.dirty_groups.add(target)
                    else:
                        add(self.group_adds.setdefault(target, {}), grouped)

    async def _load(self, owner: str, plain: bool = True, groups: bool = True) -> None:
        """The live path: the owner's counter documents (both halves, or the one asked for) read whole, once per batch,
        with what the batch added to them so far, to be written whole (a move; keys bulk_add cannot address)."""
        for wanted, collection, loaded, adds, dirty in ((plain, COUNTERS, self.memory.current, self.adds, self.dirty_plain),
                                                        (groups, GROUP_COUNTERS, self.groups, self.group_adds, self.dirty_groups)):
            if wanted and owner not in loaded:
                found = await self.store.get(collection, owner)
                loaded[owner] = found["counts"] if found is not None else {}
                if owner in adds:
                    add(loaded[owner], adds.pop(owner))
                    dirty.add(owner)

    async def _learn_parents(self, units: set[str]) -> None:
        """The parents of these units and of their ancestors, into `memory.parents`: one query per level."""
        parents = self.memory.parents
        wanted = {u for u in units if u not in parents}
        while wanted:
            found = {d["unit_id"]: d.get("parent_id") for d in await self.store.find(UNITS, unit_id=sorted(wanted))}
            for unit in wanted:
                parents[unit] = found[unit] if unit in found else NO_UNIT
            wanted = {p for p in found.values() if isinstance(p, str) and p not in parents}

    async def move(self, unit_id: str, parent_id: str | None) -> None:
        """The unit is registered (again) under `parent_id`: its total leaves the old ancestors and joins the new."""
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
        """Write the counter documents that changed: in a rebuild every owner touched, both halves; live, the plain
        half of the owners whose plain keys changed and the group half of those whose group keys did."""
        await self.settle()
        memory = self.memory
        plain: dict[str, dict] = {}
        groups: dict[str, dict] = {}
        if self.keep:
            for owner in sorted(memory.dirty):
                if owner.startswith("agency:"):  # only units' counters carry group keys
                    plain[owner] = JsonDocument(owner=owner, counts=memory.current[owner])
                    continue
                counts, grouped = split_groups(memory.current[owner])
                plain[owner] = JsonDocument(owner=owner, counts=counts)
                groups[owner] = JsonDocument(owner=owner, counts=grouped)
        else:
            for owner in [o for o, c in self.adds.items() if not all(addressable(("counts", k)) for k in c)]:
                await self._load(owner, groups=False)
            for owner in [o for o, c in self.group_adds.items() if not all(addressable(("counts", k)) for k in c)]:
                await self._load(owner, plain=False)
            plain = {o: JsonDocument(owner=o, counts=memory.current[o]) for o in sorted(self.dirty_plain)}
            groups = {o: JsonDocument(owner=o, counts=self.groups[o]) for o in sorted(self.dirty_groups) if not o.startswith("agency:")}
            plain.update(await self._added(COUNTERS, self.adds))
            groups.update(await self._added(GROUP_COUNTERS, {o: c for o, c in self.group_adds.items() if not o.startswith("agency:")}))
            self.adds, self.group_adds = {}, {}
            await self._days_into_months()
        if plain:
            await self.store.bulk_put(COUNTERS, plain)
        if groups:
            await self.store.bulk_put(GROUP_COUNTERS, groups)
        if memory.dirty_months:
            await self.store.bulk_put(MONTHS, {m: JsonDocument(memory.months[m]) for m in sorted(memory.dirty_months)})
        memory.dirty, memory.dirty_months = set(), set()
        self.dirty_plain, self.dirty_groups = set(), set()

    async def _added(self, collection: str, adds: dict[str, dict[str, int]]) -> dict[str, JsonDocument]:
        """The counts' changes added to their stored documents (one bulk_add); the documents of owners not counted yet,
        to be put whole."""
        changes = {o: {("counts", k): v for k, v in c.items()} for o, c in sorted(adds.items()) if c}
        return {o: JsonDocument(owner=o, counts=dict(adds[o])) for o in await self.store.bulk_add(collection, changes)}

    async def _days_into_months(self) -> None:
        """The live path: the batch's day-history changes added to their month documents (one bulk_add); a month
        document not there yet is put whole. A day whose changes of the batch cancel out still gets its (empty) entry,
        as a rebuild's history has it: its month document is read and written whole."""
        if not self.days:
            return
        months = self.memory.months
        whole = {f"{owner}@{day[:7]}" for (owner, day), change in self.days.items()
                 if not change or not all(addressable(("days", day, k)) for k in change)}
        changes: dict[str, dict[tuple[str, ...], int]] = {}
        for (owner, day), change in sorted(self.days.items()):
            doc_id = f"{owner}@{day[:7]}"
            if doc_id not in whole:
                into = changes.setdefault(doc_id, {})
                for key, value in change.items():
                    into[("days", day, key)] = value
        fresh = set(await self.store.bulk_add(MONTHS, changes))
        for doc_id in sorted(whole):
            found = await self.store.get(MONTHS, doc_id)
            if found is not None:
                months[doc_id] = found
        for (owner, day), change in self.days.items():
            doc_id = f"{owner}@{day[:7]}"
            if doc_id not in whole and doc_id not in fresh:
                continue
            doc = months.get(doc_id)
            if doc is None:
                doc = months[doc_id] = {"owner": owner, "month": day[:7], "days": {}}
            add(doc["days"].setdefault(day, {}), change)
            self.memory.dirty_months.add(doc_id)
        self.days = {}

    async def _current(self, owner: str) -> dict[str, int]:
        """A rebuild's counts of the owner (both halves in one dict), to be written whole."""
        self.memory.dirty.add(owner)
        return self.memory.current.setdefault(owner, {})

    async def _halves(self, owner: str) -> list[dict[str, int]]:
        """The owner's counts as halves to change and write whole: [plain, group] live, [both in one dict] in a rebuild."""
        if self.keep:
            return [await self._current(owner)]
        await self._load(owner)
        self.dirty_plain.add(owner)
        self.dirty_groups.add(owner)
        return [self.memory.current[owner], self.groups[owner]]

    def change_kept(self, owner: str, change: Mapping[str, int], day: str) -> None:
        """A rebuild's `change(owner, change, day, current=False)` for a unit: every month document is in memory, so
        nothing is awaited (this runs for every task event of a rebuild)."""
        add(self._day_kept(owner, day), change)

    def _day_kept(self, owner: str, day: str) -> dict[str, int]:
        doc_id = f"{owner}@{day[:7]}"
        months = self.memory.months
        doc = months.get(doc_id)
        if doc is None:
            doc = months[doc_id] = {"owner": owner, "month": day[:7], "days": {}}
        self.memory.dirty_months.add(doc_id)
        return doc["days"].setdefault(day, {})
