"""A digest pass reads the frozen policies once at its start; notify's intake, running between the pass's stages, may
store an item whose policy was frozen after that read. The pass must still read the item, not fail on it."""
from __future__ import annotations

import pytest

from services.notify.domain.policy import default_policy
from services.notify.handlers.repository import FROZEN, INDEXES, PolicyMemo, frozen_doc
from services.runtime.memory_store import MemoryStore
from schemas.directory import UnitLevel


async def test_a_policy_frozen_after_the_memo_was_read_is_found_by_cover():
    store = MemoryStore(INDEXES)
    memo = await PolicyMemo.of(store)  # the pass starts: nothing frozen yet
    doc = frozen_doc(default_policy(UnitLevel.commune))
    await store.put(FROZEN, doc["policy_ref"], doc)  # the intake freezes a policy with a new item meanwhile
    view = {"policy_ref": doc["policy_ref"]}
    with pytest.raises(LookupError):
        memo.policy(view)
    covered = await memo.cover(store, [view, {"policy": doc["policy"]}])
    assert covered.policy(view).model_dump(mode="json") == doc["policy"]


async def test_cover_reads_nothing_when_every_policy_is_known():
    store = MemoryStore(INDEXES)
    doc = frozen_doc(default_policy(UnitLevel.province))
    await store.put(FROZEN, doc["policy_ref"], doc)
    memo = await PolicyMemo.of(store)
    reads: list[str] = []
    get = store.get

    async def counted(collection, doc_id):
        reads.append(doc_id)
        return await get(collection, doc_id)

    store.get = counted
    await memo.cover(store, [{"policy_ref": doc["policy_ref"]}])
    assert reads == []
