"""Indicators from periodic reports, rolled up by each target's rule, against the target."""
from __future__ import annotations

from datetime import date

from services.reporting.domain.indicators import Entry, combine, progress
from services.reporting.handlers.project import project
from services.reporting.indicators import unit_indicators
from services.runtime.memory_store import MemoryStore
from tests.unit.reporting.events import periodic, plan, unit

TARGETS = [
    {"indicator_id": "vneid", "name": "Tài khoản VNeID mức 2", "value": 35000, "comparator": "above", "rollup": "sum"},
    {"indicator_id": "dan-so", "name": "Dân số", "rollup": "sum"},
    {"indicator_id": "ty-le", "name": "Tỷ lệ công dân đủ điều kiện được cấp CCCD", "unit_of_measure": "percent", "value": 100,
     "comparator": "equal", "rollup": "average", "base_indicator_id": "dan-so"},
    {"indicator_id": "thap-nhat", "name": "Tỷ lệ thấp nhất", "rollup": "min"},
    {"indicator_id": "moi-nhat", "name": "Số liệu mới nhất", "rollup": "latest"},
]


async def test_an_indicator_averaged_with_a_base_weighs_each_commune_by_its_population():
    store = MemoryStore()
    await project([unit("tinh", level="province"), unit("xa-1", "tinh"), unit("xa-2", "tinh"),
                   plan("kh-tinh", "tinh", date(2026, 10, 1), targets=TARGETS),
                   periodic("kh-tinh", "2026-12", "unit:xa-1", date(2026, 12, 10), date(2026, 12, 14),
                            indicators={"vneid": 20000, "dan-so": 1000, "ty-le": 90, "thap-nhat": 90, "moi-nhat": 1}),
                   periodic("kh-tinh", "2026-12", "unit:xa-2", date(2026, 12, 12), date(2026, 12, 14),
                            indicators={"vneid": 16000, "dan-so": 3000, "ty-le": 98, "thap-nhat": 98, "moi-nhat": 2})], store)
    found = {i["indicator_id"]: i for i in (await unit_indicators(store, "tinh", "2026-12"))["indicators"]}
    assert found["vneid"]["total"] == 36000 and found["vneid"]["met"] is True and found["vneid"]["progress"] == round(36000 / 35000, 4)
    assert found["ty-le"]["total"] == (90 * 1000 + 98 * 3000) / 4000 and found["ty-le"]["met"] is False
    assert found["thap-nhat"]["total"] == 90 and found["moi-nhat"]["total"] == 2
    assert [(c["unit"]["unit_id"], c["total"]) for c in found["vneid"]["children"]] == [("xa-1", 20000), ("xa-2", 16000)]
    assert (await unit_indicators(store, "tinh", "2026-11"))["indicators"][0]["total"] is None


def test_rules_combine_entries_and_progress_follows_the_comparator():
    entries = [Entry(10, 1, "2026-12-01"), Entry(30, 3, "2026-12-02")]
    assert combine("sum", entries).value == 40 and combine("min", entries).value == 10
    assert combine("average", entries).value == 25 and combine("latest", entries).value == 30
    assert progress(80, {"value": 100, "comparator": "at_most"}) == {"progress": 0.8, "met": True}
    assert progress(None, {"value": 100}) == {"progress": None, "met": None}
