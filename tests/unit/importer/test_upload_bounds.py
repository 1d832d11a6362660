"""The draft upload reads a document in bounded time and abandons it when the client goes away:
in both cases nothing is stored."""
import asyncio
import threading

import pytest

from schemas.rejections import Invalid
from services.plans.handlers import drafts
from services.plans.handlers.directory import UNITS
from services.runtime.memory_store import MemoryStore


@pytest.fixture
async def store():
    store = MemoryStore()
    await store.put(UNITS, "xa", {"unit_id": "xa", "parent_id": None})
    return store


@pytest.fixture
def stuck():
    """A parser that does not finish until the test releases it (a pathological document)."""
    release = threading.Event()
    started = threading.Event()

    def parse(data, filename, directory):
        started.set()
        release.wait(30)
        raise AssertionError("the result of an abandoned read must not be used")

    yield parse, started
    release.set()


async def test_a_read_that_takes_too_long_is_refused_and_nothing_is_stored(store, stuck):
    parse, _ = stuck
    with pytest.raises(Invalid) as info:
        await drafts.import_draft(b"x", "p.docx", "xa", store, timeout=0.05, parse=parse)
    assert "took longer" in str(info.value) and info.value.field == "file"
    assert await store.find(drafts.DRAFTS) == []


async def test_a_read_is_abandoned_when_the_client_goes_away_and_nothing_is_stored(store, stuck):
    parse, started = stuck
    client_left = asyncio.Event()

    async def gone():
        await client_left.wait()

    upload = asyncio.ensure_future(drafts.import_draft(b"x", "p.docx", "xa", store, gone=gone(), timeout=30, parse=parse))
    await asyncio.to_thread(started.wait, 5)
    client_left.set()
    with pytest.raises(drafts.ClientGone):
        await asyncio.wait_for(upload, 5)
    assert await store.find(drafts.DRAFTS) == []


async def test_a_quick_read_is_stored_while_the_client_waits(store):
    never = asyncio.Event()
    doc = await drafts.import_draft("KẾ HOẠCH\nSố: 1/KH-UBND\nI. NHIỆM VỤ\n1. Rà soát dữ liệu.\n- Cơ quan chủ trì: Công an xã\n".encode(),
                                    "p.txt", "xa", store, gone=never.wait())
    assert [t["lead"] for t in doc["tasks"]] == [["Công an xã"]]
    assert len(await store.find(drafts.DRAFTS)) == 1
