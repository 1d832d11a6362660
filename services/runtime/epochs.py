"""Consumers follow their topics' epochs: when a relay made its topic anew, they read it again from the start.

A consumer's position is kept by the client across a broker restart, and the bundled broker
answers a fetch beyond a partition's end with nothing rather than an out-of-range error, so a
position kept from before would skip the first records published again. Worse, an offset commit
sent before the restart is retried by the client and lands on the new broker with the group's new
generation once it has joined there (measured: a commit of offset 10 sent while the broker was
away was accepted after the join, and the consumer then started that partition at 10). Re-reading
from the beginning costs little: consumers skip what they already applied.

When: a consumer joins its group again on a new broker at once (the old member is unknown there),
and that join is where it goes back to the beginning (`joined`, called from each subscriber's
rebalance listener: inside the join, with the group's new generation, so the commit of offset 0
cannot meet a rebalance and no offset commit from before is left to land after it). The topics
whose marker changed since the positions were last set (gone, or another epoch) go back. The
periodic look (`check`) covers a topic whose marker changes while its consumers stay in their
group; it leaves a topic alone when the new epoch's topic is one its consumers already went back
on (the marker made before that, or the relay kept the topic it found on the new broker: no
delete, so no other topic to read), and never asks a subscriber in the middle of a rebalance (its
join will decide).
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from aiokafka import ConsumerRebalanceListener, TopicPartition

from services.runtime.floors import announce
from services.runtime.offset_commits import OffsetCommits
from services.runtime.topics import epochs, kept, made_at

if TYPE_CHECKING:
    from services.runtime.bus import Bus

log = logging.getLogger("tiendo.epochs")


class Joins(ConsumerRebalanceListener):
    """A subscriber's group joins, from its rebalance listener: how many, whether one is under way, and the hook its
    completed joins call (the epoch watch's). Also the one way to send its partitions back to their beginning."""

    def __init__(self, group: str, topics: tuple[str, ...], consumer: Callable[[], Any], commits: OffsetCommits) -> None:
        self.group, self.topics, self._consumer, self.commits = group, topics, consumer, commits
        self.count = 0  # completed joins
        self.rebalancing = True  # from the start of a join (or before the first) until it is complete
        self.on_join: Callable[["Joins", set[TopicPartition]], Awaitable[None]] | None = None

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self.rebalancing = True

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.count += 1
        try:
            if self.on_join is not None:
                await self.on_join(self, set(assigned))
        finally:
            self.rebalancing = False

    def assignment(self) -> set[TopicPartition]:
        consumer = self._consumer()
        return set(consumer.assignment()) if consumer is not None else set()

    async def rewind(self, partitions: list[TopicPartition]) -> None:
        """Back to the beginning of `partitions`, and offset 0 committed for them; no older commit lands after it."""
        consumer = self._consumer()
        self.commits.forget(partitions)
        await self.commits.settled()
        await consumer.seek_to_beginning(*partitions)
        await consumer.commit({tp: 0 for tp in partitions})


class EpochWatch:
    def __init__(self, bus: "Bus", interval: float) -> None:
        self.bus, self.interval = bus, interval
        self.rewinds = 0
        # (broker group, topic) -> (the topic's epochs on the broker when that subscriber's positions in it were last set:
        # a first join, or a rewind; when)
        self.based: dict[tuple[str, str], tuple[tuple[str, ...], float]] = {}
        self.pending: set[tuple[str, str]] = set()  # (group, topic) with a new epoch its subscriber has not gone back for yet
        # broker group -> every (topic, epoch) marked on the broker when its subscriber's positions were last set
        self.markers: dict[str, frozenset[tuple[str, str]]] = {}
        self.announcing: set[asyncio.Task] = set()  # floors on their way to the positions topic (floors.py)
        bus.on_join(self.joined)

    async def joined(self, joins: Joins, assigned: set[TopicPartition]) -> None:
        """A subscriber completed a join: its partitions of topics whose marker changed since their positions were set go
        back to the beginning now, within the join (a first join only learns the epochs). Every join also announces the
        group's floors, for a relay about to publish its history again (floors.py), without holding the join."""
        self._announce(joins.group)
        topics = sorted({tp.topic for tp in assigned})
        if not topics:
            return
        try:
            current: dict[str, tuple[str, ...]] | None = epochs(await self.bus.topic_names())  # a fresh look: the broker may be new
        except Exception as error:  # noqa: BLE001 - no answer: every topic known before goes back (the next look corrects `based`)
            log.info("%s: epoch look at join failed: %s: %s", joins.group, type(error).__name__, error)
            current = None
        now = time.time()
        # a broker with none of the markers seen before is a new one: the subscriber's unmarked topics (a command topic)
        # go back too, or an offset committed before the restart would start them past the new broker's first records
        seen = self.markers.get(joins.group, frozenset())
        new_broker = current is None or bool(seen) and not (seen & _marked(current))
        if current is not None and (new_broker or _marked(current)):
            self.markers[joins.group] = _marked(current)  # empty on a new broker not marked yet: the periodic look learns them
        back = [t for t in topics if (joins.group, t) in self.based and (new_broker or self.based[joins.group, t][0] != current.get(t, ()))]
        for topic in topics:
            self.based.setdefault((joins.group, topic), ((current or {}).get(topic, ()), now))
        if not back:
            return
        try:
            await joins.rewind([tp for tp in assigned if tp.topic in back])
        except Exception as error:  # noqa: BLE001 - the periodic look asks again once the group is settled
            log.warning("%s: going back to the beginning of %s at join failed: %s: %s", joins.group, back, type(error).__name__, error)
            self.pending.update((joins.group, t) for t in back)
            return
        for topic in back:
            self.based[joins.group, topic] = ((current or {}).get(topic, ()), now)
            self.pending.discard((joins.group, topic))
        self.rewinds += len(back)
        log.warning("%s joined on a broker whose epochs of %s changed: its consumers start again from the beginning", joins.group, back)

    def _announce(self, group: str) -> None:
        shared = getattr(self.bus, "shared", {}).get(group)  # a bus with no event consumers has none
        if shared is None or shared.republish_floors is None:
            return
        task = asyncio.ensure_future(announce(self.bus, shared.republish_floors))
        self.announcing.add(task)
        task.add_done_callback(self._announced)

    def _announced(self, task: asyncio.Task) -> None:
        self.announcing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            log.warning("announcing floors failed: %s: %s (a relay that does not hear them publishes its whole history)", type(error).__name__, error)

    async def check(self) -> None:
        current = epochs(await self.bus.topic_names(max_age=self.interval))  # shared with the relay's periodic look
        now = time.time()
        for group in self.bus.joins:
            if not self.markers.get(group):  # learnt once the broker has markers (a first look, or after a join on a new one)
                self.markers[group] = _marked(current)
        for group, joins in self.bus.joins.items():
            for topic in joins.topics:
                key, marks = (group, topic), current.get(topic, ())
                if key not in self.based:
                    self.based[key] = (marks, now)  # the first look only learns the epoch
                elif marks and marks != self.based[key][0]:
                    if self._already_back(key, marks):
                        self.based[key] = (marks, self.based[key][1])
                    else:
                        self.pending.add(key)
        for key in sorted(self.pending):
            group, topic = key
            joins = self.bus.joins[group]
            partitions = [tp for tp in joins.assignment() if tp.topic == topic]
            if joins.rebalancing or not partitions:
                continue  # its join will decide: no commit that would meet the rebalance
            await joins.rewind(partitions)
            self.pending.discard(key)
            self.based[key] = (current.get(topic, ()), time.time())
            self.rewinds += 1
            log.warning("%s has a new epoch %s: %s starts again from its beginning", topic, current.get(topic, ()), group)

    def _already_back(self, key: tuple[str, str], marks: tuple[str, ...]) -> bool:
        """The subscriber's last rewind (or first join) already read the topic this new epoch is about: its marker was
        made before that, or the relay kept the topic it found while the positions were set on this new broker (no
        marker of the topic then: the old broker's was gone)."""
        epoch = marks[-1]
        based_on, at = self.based[key]
        made = made_at(epoch)
        return (made is not None and made < at) or (kept(epoch) and based_on == ())

    async def run(self) -> None:
        while True:
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the broker is away: look again at the next tick
                log.info("epoch check failed: %s: %s", type(error).__name__, error)
            await asyncio.sleep(self.interval)


def _marked(current: dict[str, tuple[str, ...]]) -> frozenset[tuple[str, str]]:
    return frozenset((topic, epoch) for topic, marks in current.items() for epoch in marks)
