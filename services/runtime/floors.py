"""Republishing from the subscribers' floors: after a fresh broker a relay publishes again only what some subscriber of
its topic has not applied, instead of the whole history every consumer would read only to skip it.

A floor is a claim a consumer group can prove: "every event of topic T that a relay publishing with C partitions puts on
partition p, up to outbox position F, is applied by every consumer of this group". The proof runs along a chain the relay
writes into each record's headers (`Chain`): `position` (the event's outbox position) and `after` = "a/p/C", where `a` is
the position of the previous event of partition p (of C) that the relay published or parked in this broker's life (or
the position it started its history from). So every event of p strictly between a and the record's position was
either received on p before it, or skipped by the relay as applied by every group it heard (below). A group (`GroupFloors`) moves its floor of
(T, C, p) to a record's position when the record's `a` is at or below the floor it has, and the record was handled
by every consumer of the group (a record refused, dead-lettered, or of a failed batch moves nothing, and the chain
through it stays broken until the next republish). Nothing else is assumed: not the order of offsets, not which broker
life a record comes from (an orphan of a broker that died carries a true claim too), not the number of relays.

A floor of a complete set of partitions (every p of C) gives a floor for any partition count: its lowest value (every
event up to it is applied whatever its partition). That is how a group starts a chain under a new partition count (the
bundled broker makes a topic again with its own default of 4 partitions) and how a relay starts reading (`Selection.start`).

The exchange, after a fresh broker (positions topic FLOORS_TOPIC, topics.py): each group announces its floors at every
group join (`announce`, from the epoch watch's join hook; a join on a new broker is the first thing its consumers do
there). A relay about to publish its history again waits up to a bound (the setting `republish_floor_wait_seconds`) for
the floors of every group declared to subscribe to its topic (topics.SUBSCRIBERS: it asks no other service), then
publishes, in position order, every event some group does not cover (`Selection`). A declared group that does not
answer in time covers nothing: the whole history goes out, as before. A fresh store has no floors: the same. The floors
a group announces are kept in its own store (collection FLOORS, written at most every SAVE_SECONDS, a write put off
by that bound made when it ends, and a last one when the bus stops: a floor written late is lower, never wrong, but one
never written makes the next start publish again what the group had applied). The members of one group share its store (each announces what the store says).

A floor names what it covers: with its floors a group keeps and announces the event id of the record at each floor's
position (`Claim.ids`). A producer's positions can go back (its store restored from an older copy, or replaced by a
fresh one while its consumers keep theirs): new events then get positions a floor already covers. A relay checks every
floor it heard against its own outbox (`mismatch`): a group one of whose floors names another event than the outbox
holds at that position (or none, or names nothing: floors kept before they named their events) covers nothing, and the
relay says why in one line. A group that receives a record at one of its floors' positions with another event id drops
its floors of that topic (`GroupFloors.advance`): they claim a history the producer no longer has. A group that receives
the first record of a whole history on a partition (HISTORY = WHOLE, below) follows that partition's chain from 0 again
and drops its floors under other partition counts (a lower floor is never wrong): after a whole history its floors
name the outbox that sent it.

A reader that is not a declared group (reporting's rebuild, any tool reading a topic from its beginning) is not waited
for: after a republish from floors its topic lacks the history below them. The first record the relay puts on each
partition in a broker's life carries the header `history` (WHOLE, or FROM_FLOORS when the relay may skip events as
applied), and its `after` says where the chain started; the relay's epoch marker says so too (topics.from_floors), for
a topic it published nothing to: `incomplete` reads them and says what is missing.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from services.runtime.continuity import header
from services.runtime.ports import StoredEvent
from services.runtime.record_batches import partition_of
from services.runtime.topics import FLOORS_TOPIC, epochs, from_floors

log = logging.getLogger("tiendo.floors")

POSITION = "position"  # header: the event's outbox position
AFTER = "after"  # header: "a/p/C", the chain (module docstring)
HISTORY = "history"  # header of the first record of each partition in a broker's life: WHOLE or FROM_FLOORS
WHOLE, FROM_FLOORS = b"whole", b"from-floors"
FLOORS = "republish_floors"  # a consumer's store: one document per broker group
SAVE_SECONDS = 2.0
RECOVER_WINDOW = 2_000  # events a relay reads back to find each partition's last event when it starts mid-life
MAX_MESSAGE_BYTES = 256 * 1024
MIN_ROUNDS, MIN_READ_SECONDS = 10, 5.0  # the floors reader's fetches at least, and its longest wait for one answer

TopicFloors = dict[int, dict[int, int]]  # partition count -> partition -> floor
Floors = dict[str, TopicFloors]  # topic -> ...
Ids = dict[str, dict[int, str]]  # topic -> floor position -> the event id at that position


@dataclass
class Claim:
    """A group's floors as announced, each naming the event at its position."""
    floors: Floors
    ids: Ids = field(default_factory=dict)


def event_id_of(body: bytes | None) -> str | None:
    """The event id in a stored event's (or a record's) JSON envelope, None when it has none."""
    try:
        found = json.loads(body or b"").get("event_id")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def positions(floors: TopicFloors) -> set[int]:
    """Every position a floor of the topic stands at (the base is one of them)."""
    return {f for parts in floors.values() for f in parts.values() if f > 0}


def base(floors: TopicFloors) -> int:
    """The position every event of the topic up to which is applied, whatever its partition: the lowest floor of a
    complete set of partitions (the highest such, over the counts), 0 when no set is complete."""
    return max((min(parts.values()) for count, parts in floors.items() if len(parts) == count and parts), default=0)


def floor_of(floors: TopicFloors, count: int, partition: int) -> int:
    return max(floors.get(count, {}).get(partition, 0), base(floors))


class Chain:
    """The relay's side: per partition of its topic, the position of the last event published or parked on it in this
    broker's life, or where its history started (None: not known, and the records of that partition carry no `after`).
    An event skipped as applied by every group heard is no link: a group proves it applied it by its own floors, which
    may count other partitions (a topic the broker made again with another count)."""

    def __init__(self) -> None:
        self.partitions: list[int] | None = None
        self.last: dict[int, int] = {}
        self.first: dict[int, bytes] = {}  # partition -> the HISTORY header its first record of this broker's life carries

    def start(self, partitions: Sequence[int], floor: int, whole: bool = True) -> None:
        """A history about to go out from `floor` on (every event up to it covered for every subscriber, or floor 0);
        `whole`: nothing of it will be skipped as applied (else its first records say FROM_FLOORS)."""
        self.partitions, self.last = sorted(partitions), {p: floor for p in partitions}
        self.first = {p: WHOLE if whole and floor == 0 else FROM_FLOORS for p in partitions}

    def lose(self) -> None:
        """A publish failed part way: what went out is not known (recovered from the store before the next batch)."""
        self.partitions = None

    async def recover(self, store: Any, position: int, partitions: Sequence[int]) -> None:
        """A relay started on a broker that has its topic, after a failed publish, or when the topic's partitions changed:
        the last event of each partition up to its stored position, from the store's last RECOVER_WINDOW events (so no
        event of that partition lies between it and the next one published; a partition with none there starts no
        chain). A consumer moves on from it only if its floor covers it already (by its own chain, or the lowest floor
        of a complete set)."""
        self.partitions, self.last, self.first = sorted(partitions), {}, {}
        for item in await store.read_after(max(0, position - RECOVER_WINDOW), RECOVER_WINDOW):
            if item.position <= position:
                self.passed(item)

    def passed(self, item: StoredEvent) -> None:
        """An event of the stored order not published (parked, held back): the chain runs through it."""
        if self.partitions:
            self.last[partition_of(item.stream_id.encode(), self.partitions)] = item.position

    def headers(self, item: StoredEvent, key: bytes) -> list[tuple[str, bytes]]:
        """The record's `position` and (when the chain is known) `after` headers; the chain moves on to it."""
        position = [(POSITION, b"%d" % item.position)]
        if not self.partitions:
            return position
        partition = partition_of(key, self.partitions)
        after = self.last.get(partition)
        self.last[partition] = item.position
        if after is None:
            return position
        first = self.first.pop(partition, None)
        return position + [(AFTER, b"%d/%d/%d" % (after, partition, len(self.partitions)))] + ([(HISTORY, first)] if first else [])


class GroupFloors:
    """A consumer group's floors (module docstring), kept in its store."""

    def __init__(self, store: Any, group: str, group_id: str, topics: Sequence[str]) -> None:
        self.store, self.group, self.group_id, self.topics = store, group, group_id, sorted(topics)
        self.floors: Floors = {}
        self.ids: Ids = {}  # topic -> floor position -> the event id there (module docstring)
        self.loaded = False
        self._saved_at = 0.0
        self._changed = False
        self._saving = asyncio.Lock()
        self._later: asyncio.Task | None = None  # the save put off by SAVE_SECONDS (`save`)

    async def load(self) -> None:
        if not self.loaded:
            doc = await self.store.get(FLOORS, self.group_id) or {}
            self.floors, self.ids = decode(doc.get("floors", {})), decode_ids(doc.get("ids", {}))
            self.loaded = True

    def advance(self, records: Iterable[Any], refused: set[int]) -> bool:
        """Move the floors along the records of a batch every consumer of the group handled (`refused`: ids of those
        one of them dead-lettered, which move nothing); True when a floor moved. Each floor names the event at its
        position; a record at a floor's position with another event drops the floors of its topic (module docstring)."""
        moved: dict[str, dict[int, Any]] = {}  # topic -> position a floor moved to -> the record there
        for record in records:
            chain = header(record, AFTER)
            if chain is None or id(record) in refused:
                continue
            position = header(record, POSITION)
            try:
                after, partition, count = (int(x) for x in chain.split("/"))
                position_n = int(position or "")
            except ValueError:
                continue
            if partition != record.partition or not 0 <= partition < count:
                continue
            named = self.ids.get(record.topic, {}).get(position_n)
            if named and named != event_id_of(getattr(record, "value", None)):
                self._forget(record.topic, position_n, named)
                moved.setdefault(record.topic, {})
            topic = self.floors.setdefault(record.topic, {})
            if after == 0 and header(record, HISTORY) == WHOLE.decode():  # a whole history from here: follow it from 0
                self.floors[record.topic] = topic = {count: {p: f for p, f in topic.get(count, {}).items() if p != partition}}
                kept = positions(topic)
                self.ids[record.topic] = {p: i for p, i in self.ids.get(record.topic, {}).items() if p in kept}
                moved.setdefault(record.topic, {})
            floor = floor_of(topic, count, partition)
            if after <= floor and position_n > topic.get(count, {}).get(partition, 0):
                topic.setdefault(count, {})[partition] = max(position_n, floor)
                moved.setdefault(record.topic, {})[position_n] = record
        for topic, movers in moved.items():
            known = self.ids.get(topic, {})
            self.ids[topic] = {p: known.get(p) or event_id_of(getattr(movers.get(p), "value", None)) or "" for p in positions(self.floors[topic])}
        self._changed |= bool(moved)
        return bool(moved)

    def _forget(self, topic: str, position: int, named: str) -> None:
        log.warning("%s: a record of %s at position %d is not the event %s its floor names: the producer's positions went back; "
                    "its floors of %s are dropped", self.group_id, topic, position, named, topic)
        self.floors[topic], self.ids[topic] = {}, {}

    async def save(self, force: bool = False) -> None:
        """Into the store, at most every SAVE_SECONDS (unless forced): a floor saved late is a lower one, still true. A
        save put off by that bound is made when it ends (`_save_later`), batch or no batch: else the floors the last
        batches before a quiet spell moved (a catch-up's tail, read in less than SAVE_SECONDS) stay in memory only, and
        the next start on a fresh broker publishes them again. Saves go one at a time, each writing the floors as they
        are when it writes (never an older snapshot over a newer one)."""
        if not self._changed:
            return
        wait = SAVE_SECONDS - (time.monotonic() - self._saved_at)
        if force or wait <= 0:
            async with self._saving:
                if self._changed:
                    self._changed, self._saved_at = False, time.monotonic()
                    await self.store.put(FLOORS, self.group_id, {"floors": encode(self.floors), "ids": encode_ids(self.ids)})
        elif self._later is None or self._later.done():
            self._later = asyncio.get_running_loop().create_task(self._save_later(wait))

    async def flush(self) -> None:
        """At shutdown, once no batch comes any more: what the last batches moved, saved now (a save put off by
        SAVE_SECONDS would die with the process). A failure is logged: a floor not saved is a lower one, still true."""
        try:
            await self.save(force=True)  # after a save of the put-off one under way, if any (one at a time)
        except Exception as error:
            log.warning("%s: floors not saved at shutdown (%s: %s)", self.group_id, type(error).__name__, error)
        if self._later is not None and not self._later.done():
            self._later.cancel()  # nothing left for it to save

    async def _save_later(self, wait: float) -> None:
        await asyncio.sleep(wait)
        try:
            await self.save(force=True)
        except Exception as error:  # a floor not saved is a lower one kept: the next batch or join saves again
            log.warning("%s: floors not saved (%s: %s)", self.group_id, type(error).__name__, error)
            self._changed = True

    def message(self) -> bytes:
        return json.dumps({"group": self.group, "id": self.group_id, "topics": self.topics, "floors": encode(self.floors),
                           "ids": encode_ids(self.ids)}).encode()


def encode(floors: Floors) -> dict:
    return {t: {str(c): {str(p): f for p, f in parts.items()} for c, parts in counts.items()} for t, counts in floors.items()}


def decode(doc: Mapping) -> Floors:
    return {t: {int(c): {int(p): int(f) for p, f in parts.items()} for c, parts in counts.items()} for t, counts in doc.items()}


def encode_ids(ids: Ids) -> dict:
    return {t: {str(p): i for p, i in named.items() if i} for t, named in ids.items()}


def decode_ids(doc: Mapping) -> Ids:
    return {t: {int(p): str(i) for p, i in named.items()} for t, named in doc.items()}


class Selection:
    """What a relay publishes again: every event that some subscriber group does not cover (by its floors of the topic)."""

    def __init__(self, groups: Mapping[str, TopicFloors]) -> None:
        self.groups = [g for g in groups.values()]
        self.start = min((base(g) for g in self.groups), default=0)
        # beyond the highest floor of any group nothing is covered: the selection ends there
        self.end = min((max((f for parts in g.values() for f in parts.values()), default=0) for g in self.groups), default=0)

    def covers(self, item: StoredEvent) -> bool:
        if item.position <= self.start:
            return True
        if item.position > self.end:
            return False
        key = item.stream_id.encode()
        return all(any(item.position <= floor_of(g, count, partition_of(key, range(count))) for count in g) for g in self.groups)


async def verified(store: Any, topic: str, heard: Mapping[str, Claim], relay: str) -> tuple[dict[str, Floors], dict[str, str]]:
    """The floors heard, checked against this outbox: a group whose floors of `topic` do not match it covers nothing
    (its floors of the topic taken as none, one line says why); and group -> why, for those."""
    floors: dict[str, Floors] = {}
    refused: dict[str, str] = {}
    for group, claim in heard.items():
        why = await mismatch(store, topic, claim) if topic in claim.floors else None
        floors[group] = {**claim.floors, topic: {}} if why else claim.floors
        if why:
            refused[group] = why
            log.warning("relay %s: the floors of %s do not match its outbox: %s; that group covers nothing of %s: its whole "
                        "history goes out again", relay, group, why, topic)
    return floors, refused


def select(topic: str, expected: Iterable[str], heard: Mapping[str, Floors]) -> Selection | None:
    """From the floors heard (group -> its latest floors of the topics it reads), None when a declared group is missing
    (it covers nothing: the whole history goes out). Groups heard that read the topic and are not declared count too
    (they can only lower what is covered)."""
    readers = {group: floors for group, floors in heard.items() if topic in floors}
    missing = set(expected) - set(readers)
    if missing:
        log.warning("floors of %s not heard from %s: the whole history of %s goes out again", sorted(missing), sorted(readers), topic)
        return None
    return Selection({group: floors[topic] for group, floors in readers.items()})


async def announce(bus: Any, floors: GroupFloors) -> None:
    """Send a group's floors to the positions topic (at its joins: see the module docstring)."""
    await floors.load()
    await floors.save(force=True)  # what the last batches moved, kept too (a batch saves at most every SAVE_SECONDS)
    message = floors.message()
    if len(message) > MAX_MESSAGE_BYTES:
        log.warning("%s: floors of %d bytes not announced (over %d)", floors.group_id, len(message), MAX_MESSAGE_BYTES)
        return
    await bus.publish_many(FLOORS_TOPIC, [(message, floors.group_id, {})])


async def hear(bootstrap: str, expected: Iterable[str], wait: float) -> dict[str, Claim]:
    """Read the positions topic from its beginning until every expected group was heard or `wait` seconds passed:
    group -> its latest floors of each topic it reads, with the events they name (one message per broker group id; a
    group's ids taken together by their lowest). It reads for `wait` seconds at most, but at least MIN_ROUNDS fetches,
    and gives up on a broker that does not answer within MIN_READ_SECONDS (nothing more heard)."""
    expected = set(expected)
    latest: dict[tuple[str, str], Claim] = {}
    consumer = AIOKafkaConsumer(FLOORS_TOPIC, bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest",
                                group_id=None, metadata_max_age_ms=1000)
    deadline, rounds = time.monotonic() + wait, 0
    try:
        await asyncio.wait_for(consumer.start(), max(wait, MIN_READ_SECONDS))  # no group: every partition, from its beginning
        # at least MIN_ROUNDS fetches whatever the clock says: a process whose loop was held (a busy start) still reads
        while not expected <= {group for group, _ in latest} and (time.monotonic() < deadline or rounds < MIN_ROUNDS):
            rounds += 1
            async with asyncio.timeout(MIN_READ_SECONDS):
                for records in (await consumer.getmany(timeout_ms=300)).values():
                    for record in records:
                        try:
                            doc = json.loads(record.value)
                            floors = decode(doc["floors"])
                            ids = decode_ids(doc.get("ids", {}))
                            latest[doc["group"], doc["id"]] = Claim({topic: floors.get(topic, {}) for topic in doc["topics"]}, ids)
                        except (ValueError, KeyError, TypeError, AttributeError):
                            log.warning("a record of %s that is not a group's floors: skipped", FLOORS_TOPIC)
    except TimeoutError:
        pass
    finally:
        try:
            async with asyncio.timeout(5):
                await consumer.stop()
        except TimeoutError:
            log.warning("the floors reader did not stop within 5 s")
    heard: dict[str, Claim] = {}
    for (group, _), claim in latest.items():
        if group in heard:  # what both claim, each floor naming its event as either did (one position, one event)
            ids = {t: {**heard[group].ids.get(t, {}), **named} for t, named in claim.ids.items()}
            heard[group] = Claim(lowest(heard[group].floors, claim.floors), {**heard[group].ids, **ids})
        else:
            heard[group] = claim
    return heard


async def mismatch(store: Any, topic: str, claim: Claim) -> str | None:
    """Why a group's floors of `topic` do not match this outbox (None: each names the event the outbox holds there)."""
    named = claim.ids.get(topic, {})
    for position in sorted(positions(claim.floors.get(topic, {}))):
        if not named.get(position):
            return f"its floor at position {position} names no event (kept before floors named their events)"
        found = await store.read_after(position - 1, 1)
        held = event_id_of(found[0].body) if found and found[0].position == position else None
        if held != named[position]:
            return (f"its floor at position {position} names event {named[position]}, the outbox holds "
                    f"{held or 'nothing'} there: the producer's positions went back (a store restored or replaced)")
    return None


def lowest(one: Floors, other: Floors) -> Floors:
    """What two sets of floors both claim (a group heard under two broker group ids: only what both cover)."""
    out: Floors = {}
    for topic in set(one) & set(other):
        a, b = one[topic], other[topic]
        merged: TopicFloors = {}
        for count in set(a) | set(b):
            parts = {p: min(floor_of(a, count, p), floor_of(b, count, p)) for p in range(count)}
            merged[count] = {p: f for p, f in parts.items() if f > 0}
        out[topic] = merged
    return out


class IncompleteHistory(ValueError):
    """A reader that is not a declared group finds a topic without part of its history (module docstring)."""


async def incomplete(bootstrap: str, topics: Iterable[str], wait: float = MIN_READ_SECONDS) -> list[str]:
    """What the topics lack for a reader from their beginning: one line per topic whose relay's epoch on this broker says
    it published from its subscribers' floors (it may have published nothing), and per partition whose first record
    says so or picks up after a position no record of this broker's life carried. A partition not read within `wait`
    is not judged (the consumer's own start waits for the broker anyway)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    gaps: list[str] = []
    try:
        await asyncio.wait_for(consumer.start(), wait)
        present = await consumer.topics()  # every topic's metadata (a request naming a topic would make it on this broker)
        marks = epochs(present)
        gaps += [f"{t} was published again from its subscribers' floors on this broker (epoch {marks[t][-1]})"
                 for t in sorted(set(topics)) if marks.get(t) and from_floors(marks[t][-1])]
        parts = [TopicPartition(t, p) for t in sorted(set(topics) & present) for p in sorted(consumer.partitions_for_topic(t) or ())]
        if not parts:
            return gaps
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        firsts: dict[TopicPartition, Any] = {}
        deadline = time.monotonic() + wait
        while len(firsts) < len(parts) and time.monotonic() < deadline:
            for part, records in (await consumer.getmany(*[p for p in parts if p not in firsts], timeout_ms=300, max_records=1)).items():
                firsts.setdefault(part, records[0])
        for part, record in sorted(firsts.items()):
            kind, chain = header(record, HISTORY), header(record, AFTER)
            after = chain.split("/")[0] if chain else "0"
            if kind == FROM_FLOORS.decode() or (kind is None and after != "0"):
                gaps.append(f"{part.topic}[{part.partition}] holds only what lies above outbox position {after} and what some "
                            "declared group had not applied (republished from the subscribers' floors)")
    except (TimeoutError, KafkaError) as error:
        log.warning("the broker did not answer (%s): the topics' history not judged", type(error).__name__)
    finally:
        try:
            async with asyncio.timeout(5):
                await consumer.stop()
        except TimeoutError:
            log.warning("the history reader did not stop within 5 s")
    return gaps


async def require_whole(bootstrap: str, topics: Iterable[str], reader: str) -> None:
    """Refuse (IncompleteHistory, one line) a reader from the beginning of topics whose history is not whole."""
    gaps = await incomplete(bootstrap, topics)
    if gaps:
        raise IncompleteHistory(f"{reader} refused: {gaps[0]}" + (f" (and {len(gaps) - 1} more partitions)" if len(gaps) > 1 else "")
                                + "; it needs the whole history, which a republish after a fresh broker sends when a declared group is silent or fresh")
