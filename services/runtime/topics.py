"""Topics on the broker, and the epoch markers that tell a relay's consumers when its topic was made anew.

Why markers, and why a relay may recreate its own topic (measured on the bundled Tansu 0.6.0):
a producer batch that was pending when the broker died is retried by aiokafka against the new,
empty broker and acknowledged there although its topic does not exist yet. When the topic is
then created, the broker resets the partition's watermark under those records: the next
produce fails (`AlreadyExists … /records/000…`, UnknownError to the client) and later batches
are written at offsets inside the earlier ones, so consumers skip them. The only clean way out
is to delete the topic and create it again before publishing the history again.

A relay names its marker after its topic and an epoch (`tiendo.marker.<topic>.<epoch>`). A new
epoch means the topic was (re)made on this broker: consumers of that topic go back to its
beginning (a position kept from before would silently skip records: the broker answers a fetch
beyond its end with nothing, not with an out-of-range error). The epoch says when the marker was
made (`made_at`) and whether the relay kept the topic it found on the new broker (`kept`: it had
nothing in flight when the old broker went, so no orphan can be in it) or deleted and made it
anew: a consumer that already went back to the beginning of the topic on the new broker need not
go back again for a kept topic (epochs.py).

The bundled broker makes a topic a client's metadata request names, with 4 partitions: after a
broker restart the consumers' own requests make their topics at once, before a relay looks. A
relay keeps such a topic: deleting it to set the count would make every consumer of it join its
group again (half a session timeout each on this broker).

So the services make their topics with 4 partitions too (settings.topic_partitions): on this broker
a topic's count must not change under its consumers. Tansu 0.6.0 keeps a group's first assignment:
a consumer that sees its topic's new partitions joins again and, as leader, assigns them, but the
broker answers the sync with the assignment it had (generation 0 each time; measured, and pinned by
tests/integration/test_topic_partitions_change.py). A relay that made its topic anew with the
configured 3 while a consumer's request had made it with 4 (or the other way round) left the
fourth partition unread for good: the reports of every task keyed there were never counted (the
fault-injection test's stall, 2026-12-01).
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any, Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, UnknownTopicOrPartitionError

from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS

log = logging.getLogger("tiendo.topics")
MARKER_PREFIX = "tiendo.marker."
# The consumer groups' floors, announced at their joins and read by the relays before they publish a history again
# (floors.py). Like the markers, it lives only as long as the broker.
FLOORS_TOPIC = "tiendo.floors"
# The one declaration of who consumes each events topic: events topic -> the services whose event consumer group reads
# it (ServiceRuntime.subscribe_events refuses a subscription not declared here). A relay waits for the floors of these
# groups before it publishes its history again; a subscriber it does not know of could miss what it skips.
SUBSCRIBERS: dict[str, tuple[str, ...]] = {
    PLANS_EVENTS: ("tasks", "reporting", "notify"),
    TASKS_EVENTS: ("reporting", "notify"),
    NOTIFY_EVENTS: ("reporting",),
}


KEPT = "kept"  # the last part of an epoch whose relay kept the topic it found (did not delete it)
FROM_FLOORS = "floors"  # a part of an epoch whose relay may skip what its subscribers' floors cover (floors.py)


def new_epoch(kept: bool = False, from_floors: bool = False) -> str:
    return f"{time.time_ns():x}-{uuid.uuid4().hex[:6]}" + (f"-{FROM_FLOORS}" if from_floors else "") + (f"-{KEPT}" if kept else "")


def from_floors(epoch: str) -> bool:
    """The relay that made this epoch published its history from its subscribers' floors: a reader that is not one of
    them finds the topic without what they had all applied."""
    return f"-{FROM_FLOORS}" in epoch


def made_at(epoch: str) -> float | None:
    """When the marker of `epoch` was made (seconds, time.time()'s scale), None when the epoch does not say."""
    try:
        return int(epoch.split("-", 1)[0], 16) / 1e9
    except ValueError:
        return None


def kept(epoch: str) -> bool:
    """The relay kept the topic it found on the broker when it made this epoch (no delete, no orphans possible)."""
    return epoch.endswith(f"-{KEPT}")


def marker_topic(topic: str, epoch: str) -> str:
    return f"{MARKER_PREFIX}{topic}.{epoch}"


def epochs(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """topic -> the epochs of its markers present on the broker (usually one)."""
    found: dict[str, list[str]] = {}
    for name in names:
        if name.startswith(MARKER_PREFIX):
            topic, _, epoch = name[len(MARKER_PREFIX):].rpartition(".")
            if topic:
                found.setdefault(topic, []).append(epoch)
    return {topic: tuple(sorted(marks)) for topic, marks in found.items()}


async def topic_names(client: Any) -> set[str]:
    """Every topic the broker has, from an all-topics metadata request (which never creates one)."""
    metadata = await client.fetch_all_metadata()
    return set(metadata.topics())


class TopicAdmin:
    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap

    async def _admin(self) -> AIOKafkaAdminClient:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        return admin

    async def ensure(self, topics: Iterable[str], partitions: int) -> None:
        admin = await self._admin()
        try:
            existing = set(await admin.list_topics())
            wanted = [NewTopic(t, partitions, 1) for t in topics if t not in existing]
            if wanted:
                try:
                    await admin.create_topics(wanted)
                except TopicAlreadyExistsError:
                    pass
        finally:
            await admin.close()

    async def recreate(self, topic: str, partitions: int, attempts: int = 20) -> None:
        """Delete `topic` with everything written to it, then create it empty with `partitions`.

        Records acknowledged before the topic existed are only reachable for deletion once it
        exists, so it is created first when missing.
        """
        admin = await self._admin()
        try:
            for _ in range(attempts):
                if topic not in set(await admin.list_topics()):
                    try:
                        await admin.create_topics([NewTopic(topic, partitions, 1)])
                    except TopicAlreadyExistsError:
                        pass
                try:
                    await admin.delete_topics([topic])
                except UnknownTopicOrPartitionError:
                    pass
                try:
                    await admin.create_topics([NewTopic(topic, partitions, 1)])
                    return
                except TopicAlreadyExistsError:  # a client's metadata request made it again meanwhile
                    if await _partition_count(admin, topic) == partitions:
                        return
                await asyncio.sleep(0.05)
            raise RuntimeError(f"could not recreate topic {topic!r} with {partitions} partitions")
        finally:
            await admin.close()


async def _partition_count(admin: AIOKafkaAdminClient, topic: str) -> int:
    described = await admin.describe_topics([topic])
    return len(described[0]["partitions"]) if described else 0
