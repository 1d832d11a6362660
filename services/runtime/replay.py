"""Read whole topics once, from their beginning, for a rebuild into a fresh store that nobody reads until it is done.

A live consumer (bus.py, subscriptions.py) pays per record for what a long-running reader needs: faststream's
subscriber, a consumer group and its joins, offsets committed per batch, checkpoints read from the store per batch,
skip floors, republish floors and spans. A rebuild reads each topic once into a fresh store: what it applied is all
the store holds. So this reader assigns itself every partition of the topics (no group, nothing committed: the rebuilt
store's stream checkpoints are what a service goes on from), fetches large batches with aiokafka's `getmany`, and keeps
what makes it correct:
- every record decoded and checked in full by the runtime's one checked decode (`subscriptions.decoded`);
- each stream's events applied once and in its order, a version newer than this code knows refused, a record whose
  headers name another event than its body refused: `Continuity.admit`, against checkpoints held in one dict;
- a refused record goes to the dead-letter topic with its reason, as a live consumer sends it (`dead_letter`:
  Bus.dead_letter), and the replay goes on without it: the rebuilt model is the live one's;
- a batch whose apply fails ends the replay (ReplayFailed, one line naming the topic, partition and offset of its
  first record): memory applied halfway cannot be applied again, and a rebuild's copy is thrown away and made again;
- `apply` and the checkpoints' advance share one store transaction per batch (`ledger.transaction()`).
Kafka's end offsets are not reliable on the bundled broker (DESIGN.md), so the caller decides when it has caught up
(`until_quiet`: no record for `quiet` seconds after at least `settle`).

A rebuild on several cores (services/reporting/rebuild_workers.py) runs one replay per process, each reading its own
partitions of a topic (`partitions`: topic -> the partitions to assign; a topic not named is read whole) and applying
its share of the records (`select`: by the record's key, before anything is decoded), and goes on from where they
stopped (`positions`, then `start(positions)`: their held checkpoints skip what one of them applied already).
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable, Collection, Mapping, Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition

from schemas.catalog import Event
from services.runtime.continuity import Continuity
from services.runtime.ports import Ledger
from services.runtime.subscriptions import DeadLetter, Headers, decoded

MAX_RECORDS = 10_000  # records per batch (the live bus: 2,000): per-batch work (a transaction, an advance) counted once
FETCH_BYTES = 16 * 1024 * 1024  # per partition and fetch (aiokafka's default 1 MiB): fewer round trips for a whole topic
FETCHER_STEPS = 4  # event-loop turns aiokafka's fetcher needs to send its next request (as bus.py)


class ReplayFailed(Exception):
    """A batch could not be applied: the replay ends (one line: what failed, where)."""


class Replay:
    """One pass over `topics` from offset 0 for `consumer` (module docstring). `ledger` takes the checkpoints' advance
    with each batch (a rebuild's HeldCheckpoints: in memory until written with its model) and opens its transactions;
    `checkpoints` (stream -> last version applied) is held here and moves on with every batch."""

    def __init__(self, bootstrap: str, topics: Sequence[str], consumer: str, ledger: Ledger, dead_letter: DeadLetter,
                 max_records: int = MAX_RECORDS, select: Callable[[Any], bool] | None = None,
                 partitions: Mapping[str, Collection[int]] | None = None) -> None:
        self.topics, self.consumer, self.ledger, self.max_records = list(topics), consumer, ledger, max_records
        self.select = select  # the records this replay applies (its share); the others are passed over undecoded
        self.partitions = dict(partitions or {})  # topic -> the partitions this replay reads (a topic not named: all)
        self.found: dict[str, list[int]] = {}  # topic -> every partition the broker named at start()
        self._dead_letter = dead_letter
        self.checkpoints: dict[str, int] = {}
        self.received = self.applied = self.refused = 0
        self.bootstrap = bootstrap
        self._kafka: AIOKafkaConsumer | None = None

    async def start(self, positions: Mapping[tuple[str, int], int] | None = None) -> None:
        """Assign the partitions of the topics (every one, or those `partitions` names), each from its beginning or from
        its offset in `positions`."""
        self._kafka = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None, enable_auto_commit=False,
                                       auto_offset_reset="earliest", max_partition_fetch_bytes=FETCH_BYTES,
                                       fetch_max_bytes=4 * FETCH_BYTES, client_id=f"{self.consumer}-replay")
        await self._kafka.start()
        partitions = []
        for topic in self.topics:
            found = self.found[topic] = await self._partitions_of(topic)
            wanted = self.partitions.get(topic)
            if wanted is not None and not set(wanted) <= set(found):
                raise ReplayFailed(f"{self.consumer}: {topic} has partitions {found}, not {sorted(wanted)}")
            partitions += [TopicPartition(topic, p) for p in (found if wanted is None else sorted(wanted))]
        self._kafka.assign(partitions)
        given = positions or {}
        await self._kafka.seek_to_beginning(*[tp for tp in partitions if (tp.topic, tp.partition) not in given])
        for tp in partitions:
            if (tp.topic, tp.partition) in given:
                self._kafka.seek(tp, given[tp.topic, tp.partition])

    async def _partitions_of(self, topic: str) -> list[int]:
        """Every partition of `topic` as the broker names them, sorted (ReplayFailed if it names none)."""
        assert self._kafka is not None
        found = self._kafka.partitions_for_topic(topic)
        if found is None:
            await self._kafka._client.force_metadata_update()  # noqa: SLF001 - the metadata of a topic made just now
            found = self._kafka.partitions_for_topic(topic)
        if not found:
            raise ReplayFailed(f"{self.consumer}: the broker names no partitions of {topic}")
        return sorted(found)

    async def positions(self) -> dict[tuple[str, int], int]:
        """(topic, partition) -> the offset of the next record this replay would hand over."""
        assert self._kafka is not None, "start() first"
        return {(tp.topic, tp.partition): await self._kafka.position(tp) for tp in sorted(self._kafka.assignment())}

    async def stop(self) -> None:
        if self._kafka is not None:
            await self._kafka.stop()

    async def until_quiet(self, apply: Callable[[list[Event]], Awaitable[None]], quiet: float, settle: float, timeout: float,
                          tick: Callable[[], None] | None = None) -> None:
        """Apply batch after batch until no record came for `quiet` seconds, having run `settle` seconds at least;
        TimeoutError after `timeout` seconds still receiving. `tick` is called about five times a second (a progress bar)."""
        assert self._kafka is not None, "start() first"
        started = last_record = shown = time.monotonic()
        while True:
            fetched = await self._kafka.getmany(timeout_ms=200, max_records=self.max_records)
            records = [record for batch in fetched.values() for record in batch]
            now = time.monotonic()
            if records and self.select is not None:  # a record of another share: not this replay's, but not quiet either
                last_record = now
                records = [record for record in records if self.select(record)]
            if records:
                for _ in range(FETCHER_STEPS):  # the fetcher sends its next request before this batch holds the loop
                    await asyncio.sleep(0)
                await self.handle(records, apply)
                now = last_record = time.monotonic()
            if tick is not None and now - shown >= 0.2:
                tick()
                shown = now
            if now - started >= settle and now - last_record >= quiet:
                return
            if now - started > timeout:
                raise TimeoutError(f"still receiving events after {timeout}s")

    async def handle(self, records: Sequence[Any], apply: Callable[[list[Event]], Awaitable[None]]) -> None:
        """One batch: decoded and checked, applied with the checkpoints' advance in one transaction."""
        heads = [Headers.of(record) for record in records]
        checked: list[tuple[Any, Event]] = []
        claims: dict[int, tuple[str, int] | None] = {}
        streams: set[str] = set()
        for record, head in zip(records, heads):
            event = decoded(record, head.event_type)
            if isinstance(event, Exception):
                await self.dead_letter(record, event)
                continue
            checked.append((record, event))
            claims[id(record)] = head.claim
            streams.add(event.envelope.stream_id)
            if head.claim is not None:
                streams.add(head.claim[0])
        # every stream of the batch counts as looked up: the held checkpoints are all there is (a fresh store)
        continuity = Continuity(self.ledger, self.consumer, known=self.checkpoints, looked=streams)
        accepted, refused = await continuity.admit(checked, claims)
        for record, reason in refused:
            await self.dead_letter(record, reason)
        try:
            async with self.ledger.transaction():  # type: ignore[attr-defined]
                if accepted:
                    await apply(accepted)
                await continuity.commit()
        except Exception as error:
            first = records[0]
            raise ReplayFailed(f"{self.consumer}: the batch of {len(records)} records from {first.topic}[{first.partition}]@"
                               f"{first.offset} failed: {type(error).__name__}: {error}") from error
        self.received += len(records)
        self.applied += len(accepted)

    async def dead_letter(self, record: Any, error: "Exception | str") -> None:
        self.refused += 1
        await self._dead_letter(record, error, self.consumer)
