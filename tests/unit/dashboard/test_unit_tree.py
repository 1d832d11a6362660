"""The dashboard keeps the unit tree a few seconds instead of reading every unit document per view."""
from __future__ import annotations

from services.reporting.dashboard.unittree import UnitTree
from services.reporting.domain.projection import UNITS
from services.runtime.memory_store import MemoryStore


async def test_the_tree_is_read_once_while_fresh_and_again_for_a_unit_it_does_not_know():
    store = MemoryStore()
    await store.put(UNITS, "p", {"unit_id": "p", "name": "Tỉnh A", "parent_id": None})
    tree = UnitTree(seconds=600)
    units, _ = await tree.get(store)
    assert units["p"]["name"] == "Tỉnh A"
    await store.put(UNITS, "p", {"unit_id": "p", "name": "Tỉnh B", "parent_id": None})
    await store.put(UNITS, "x", {"unit_id": "x", "name": "Xã X", "parent_id": "p"})
    assert (await tree.get(store))[0]["p"]["name"] == "Tỉnh A"  # kept: not read again
    units, parents = await tree.get(store, wanted="x")  # a unit registered since: read again at once
    assert parents["x"] == "p" and units["p"]["name"] == "Tỉnh B"


async def test_a_stale_tree_is_read_again():
    store = MemoryStore()
    await store.put(UNITS, "p", {"unit_id": "p", "name": "Tỉnh A", "parent_id": None})
    tree = UnitTree(seconds=0)
    await tree.get(store)
    await store.put(UNITS, "p", {"unit_id": "p", "name": "Tỉnh B", "parent_id": None})
    assert (await tree.get(store))[0]["p"]["name"] == "Tỉnh B"
