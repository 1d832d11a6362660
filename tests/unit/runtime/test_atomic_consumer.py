"""An atomic event consumer applies a batch and advances its checkpoints in one store transaction: whatever fails, the
store never holds a batch applied that its checkpoints do not say (nor checkpoints past what was applied)."""
from __future__ import annotations

import pytest

from services.runtime.sqlite_store import SqliteStore
from services.runtime.subscriptions import ConsumerFailed, EventConsumer, SharedSubscription
from tests.unit.runtime.test_shared_decoding import TOPIC, record, reported


class FailingAdvance(SqliteStore):
    """A store whose checkpoint write fails once (the disk, a lock): after the consumer's apply has run."""

    fail = True

    async def advance(self, consumer, versions) -> None:
        if self.fail:
            self.fail = False
            raise OSError("disk I/O error")
        await super().advance(consumer, versions)


def subscription(store: SqliteStore, atomic: bool) -> SharedSubscription:
    async def apply(batch) -> None:
        await store.bulk_put("views", {e.payload.task_id: {"progress": e.payload.progress} for e in batch})

    async def dead_letter(record, error, consumer) -> None:
        raise AssertionError(error)

    consumer = EventConsumer(frozenset([TOPIC]), "reporting.projection", apply, atomic=atomic)
    return SharedSubscription("g", [consumer], store, {consumer.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0}}, dead_letter)


async def test_an_atomic_consumer_whose_checkpoints_fail_leaves_nothing_applied_and_gets_the_batch_again(tmp_path):
    store = FailingAdvance(tmp_path / "reporting.sqlite3")
    shared = subscription(store, atomic=True)
    batch = [record(reported(40), 1), record(reported(70), 2)]
    with pytest.raises(ConsumerFailed):
        await shared(batch)
    assert await store.get("views", "t1") is None  # the apply was rolled back with the checkpoints
    assert await store.checkpoints("reporting.projection", ["task-t1"]) == {}
    await shared(batch)  # delivered again: applied now, once
    assert await store.get("views", "t1") == {"progress": 70}
    assert await store.checkpoints("reporting.projection", ["task-t1"]) == {"task-t1": 2}


async def test_without_atomic_the_same_failure_leaves_the_batch_applied_but_not_checkpointed(tmp_path):
    store = FailingAdvance(tmp_path / "reporting.sqlite3")
    with pytest.raises(ConsumerFailed):
        await subscription(store, atomic=False)([record(reported(40), 1)])
    assert await store.get("views", "t1") == {"progress": 40}  # the window atomic consumers close
    assert await store.checkpoints("reporting.projection", ["task-t1"]) == {}


def test_an_atomic_consumer_needs_a_ledger_with_transactions():
    class Ledger:
        pass

    with pytest.raises(RuntimeError, match="one transaction"):
        SharedSubscription("g", [EventConsumer(frozenset([TOPIC]), "c", None, atomic=True)], Ledger(), {"c": {}}, None)  # type: ignore[arg-type]
