"""Contract of the DocumentStore port: get / put / bulk_put / find on indexed fields / delete."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from tests.contracts import StoreContract

TASKS = {
    "t3": {"unit": "79", "status": "open", "n": 3},
    "t1": {"unit": "01", "status": "open", "n": 1},
    "t2": {"unit": "01", "status": "done", "n": 2},
    "t4": {"unit": "48", "status": "late", "n": 4},
}

# Moments a task next needs attention (UTC ISO timestamps of one form), one without any.
DUES = {
    "d1": {"unit": "01", "due": "2026-03-31T17:00:00+00:00"},
    "d2": {"unit": "01", "due": "2026-02-01T01:00:00+00:00"},
    "d3": {"unit": "79", "due": "2026-04-01T00:00:00+00:00"},
    "d4": {"unit": "79", "due": "2026-12-31T17:00:00+00:00"},
    "d5": {"unit": "48", "due": "2026-03-31T17:00:00+00:00"},
    "d6": {"unit": "48", "due": None},
    "d0": {"unit": "48"},
}


class DocumentStoreContract(StoreContract):
    indexes = {"tasks": ["unit", "status", "due"], "units": ["level"]}

    async def query_plan(self, store, method: str, *args, **kwargs) -> str:
        """How the backend's planner runs `store.<method>(*args, **kwargs)`; backends with a planner override this."""
        pytest.skip(f"{type(self).__name__}: no query planner to ask")

    def uses_an_index(self, plan: str) -> bool:
        raise NotImplementedError

    async def test_get_missing_is_none(self, store):
        assert await store.get("tasks", "nope") is None

    async def test_put_then_get_round_trips_json_values(self, store):
        doc = {"name": "Thành phố Hồ Chí Minh", "level": 1, "ratio": 0.5, "ok": True, "none": None, "tags": ["a", "b"], "sub": {"k": [1, {"x": 2}]}}
        await store.put("units", "79", doc)
        assert await store.get("units", "79") == doc

    async def test_dates_come_back_as_the_same_strings_everywhere(self, store):
        moment = datetime(2025, 7, 1, 8, 30, tzinfo=timezone.utc)
        await store.put("units", "01", {"since": date(2025, 7, 1), "at": moment})
        assert await store.get("units", "01") == {"since": str(date(2025, 7, 1)), "at": str(moment)}

    async def test_put_replaces_the_whole_document(self, store):
        await store.put("tasks", "t1", {"unit": "01", "status": "open", "extra": 1})
        await store.put("tasks", "t1", {"unit": "01", "status": "done"})
        assert await store.get("tasks", "t1") == {"unit": "01", "status": "done"}
        assert await store.find("tasks", status="open") == []

    async def test_bulk_put_writes_and_overwrites_many(self, store):
        await store.put("tasks", "t1", {"unit": "00", "status": "old"})
        await store.bulk_put("tasks", TASKS)
        await store.bulk_put("tasks", {})
        for doc_id, doc in TASKS.items():
            assert await store.get("tasks", doc_id) == doc

    async def test_a_batch_of_new_changed_and_unchanged_documents_is_found_by_its_new_values(self, store):
        await store.bulk_put("tasks", {"t1": {"unit": "01", "status": "open", "n": 1}, "t2": {"unit": "01", "status": "open", "n": 2}})
        await store.bulk_put("tasks", {"t1": {"unit": "01", "status": "open", "n": 10}, "t2": {"unit": "02", "status": "open", "n": 20},
                                       "t3": {"unit": "01", "status": True, "n": 30}})
        assert [d["n"] for d in await store.find("tasks", unit="01")] == [10, 30]
        assert [d["n"] for d in await store.find("tasks", unit="02", status="open")] == [20]
        assert [d["n"] for d in await store.find("tasks", status=True)] == [30]
        await store.bulk_put("tasks", {"t1": {"unit": "01", "status": "open", "n": 11}})  # indexed values as they were
        assert [d["n"] for d in await store.find("tasks", unit="01", status="open")] == [11]

    async def test_find_without_filter_returns_all_ordered_by_id(self, store):
        await store.bulk_put("tasks", TASKS)
        assert await store.find("tasks") == [TASKS[i] for i in sorted(TASKS)]
        assert await store.find("empty") == []

    async def test_find_by_one_field(self, store):
        await store.bulk_put("tasks", TASKS)
        assert await store.find("tasks", unit="01") == [TASKS["t1"], TASKS["t2"]]
        assert await store.find("tasks", unit="99") == []

    async def test_find_by_list_tuple_or_set_of_values(self, store):
        await store.bulk_put("tasks", TASKS)
        want = [TASKS["t1"], TASKS["t3"], TASKS["t4"]]
        assert await store.find("tasks", status=["open", "late"]) == want
        assert await store.find("tasks", status=("late", "open")) == want
        assert await store.find("tasks", status={"open", "late", "nope"}) == want

    async def test_find_by_two_fields(self, store):
        await store.bulk_put("tasks", TASKS)
        assert await store.find("tasks", unit="01", status="open") == [TASKS["t1"]]
        assert await store.find("tasks", unit=["01", "79"], status="open") == [TASKS["t1"], TASKS["t3"]]
        assert await store.find("tasks", unit="48", status="open") == []

    async def test_find_with_an_empty_list_returns_nothing(self, store):
        await store.bulk_put("tasks", TASKS)
        assert await store.find("tasks", unit=[]) == []
        assert await store.find("tasks", unit="01", status=()) == []

    async def test_find_by_number(self, store):
        await store.bulk_put("units", {"01": {"level": 1}, "001": {"level": 2}, "79": {"level": 1}})
        assert await store.find("units", level=1) == [{"level": 1}, {"level": 1}]
        assert await store.find("units", level=[2]) == [{"level": 2}]

    async def test_delete(self, store):
        await store.bulk_put("tasks", TASKS)
        await store.delete("tasks", "t1")
        await store.delete("tasks", "missing")
        assert await store.get("tasks", "t1") is None
        assert await store.find("tasks", unit="01") == [TASKS["t2"]]

    async def test_bulk_delete(self, store):
        await store.bulk_put("tasks", TASKS)
        await store.bulk_delete("tasks", ["t1", "missing", "t1"])
        await store.bulk_delete("tasks", [])
        await store.bulk_delete("nothing_here", ["x"])
        assert await store.get("tasks", "t1") is None
        assert await store.find("tasks", unit="01") == [TASKS["t2"]]

    async def test_collections_are_separate(self, store):
        await store.put("tasks", "x", {"level": 1})
        await store.put("units", "x", {"level": 2})
        assert await store.get("tasks", "x") == {"level": 1}
        await store.delete("units", "x")
        assert await store.get("tasks", "x") == {"level": 1}
        assert await store.find("units") == []

    async def test_find_lowest_gives_the_lowest_values_in_order(self, store):
        await store.bulk_put("tasks", DUES)
        assert await store.find_lowest("tasks", "due", 10) == [DUES[i] for i in ("d2", "d1", "d5", "d3", "d4")]
        assert await store.find_lowest("tasks", "due", 2) == [DUES["d2"], DUES["d1"]]
        assert await store.find_lowest("tasks", "due", 0) == []
        assert await store.find_lowest("empty", "due", 5) == []

    async def test_find_lowest_up_to_a_bound_includes_the_bound(self, store):
        await store.bulk_put("tasks", DUES)
        assert await store.find_lowest("tasks", "due", 10, upto="2026-03-31T17:00:00+00:00") == [DUES[i] for i in ("d2", "d1", "d5")]
        assert await store.find_lowest("tasks", "due", 10, upto="2026-01-01T00:00:00+00:00") == []

    async def test_find_lowest_sees_each_change_of_the_field(self, store):
        await store.bulk_put("tasks", DUES)
        await store.put("tasks", "d2", {"unit": "01", "due": "2027-01-01T00:00:00+00:00"})
        await store.put("tasks", "d5", {"unit": "01", "due": None})
        assert await store.find_lowest("tasks", "due", 1) == [DUES["d1"]]
        assert [d["due"] for d in await store.find_lowest("tasks", "due", 10)][-1] == "2027-01-01T00:00:00+00:00"

    async def test_every_indexed_query_searches_its_index(self, store):
        # Selective values (a planner rightly scans for a value most documents share), enough rows to be analysed.
        # Most documents without a `due` (done tasks): the lowest `due` must not be found by walking past them.
        statuses = ["open", "late", "done", *(f"s{n}" for n in range(17))]
        await store.bulk_put("tasks", {f"x{i}": {"unit": f"{i % 50:02d}", "status": statuses[i % 20],
                                                 "due": f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}" if i % 4 == 0 else None} for i in range(600)})
        queries = [
            ("find", ("tasks",), {"unit": "01"}),
            ("find", ("tasks",), {"status": ["open", "late"]}),
            ("find", ("tasks",), {"unit": ["01", "02"], "status": "open"}),
            ("find", ("units",), {"level": 1}),
            ("find_lowest", ("tasks", "due", 100), {"upto": "2026-01-15"}),
            ("find_lowest", ("tasks", "due", 1), {}),
        ]
        for method, args, kwargs in queries:
            plan = await self.query_plan(store, method, *args, **kwargs)
            assert self.uses_an_index(plan), f"{method}{args} {kwargs} is planned without its index:\n{plan}"

    async def test_bulk_add_adds_to_nested_fields_creating_and_removing_keys(self, store):
        await store.bulk_put("units", {"c1": {"owner": "own:01", "counts": {"all": 2, "lead|all": 1}},
                                       "m1": {"owner": "own:01", "days": {"2026-03-05": {"all": 1}}}})
        missing = await store.bulk_add("units", {
            "c1": {("counts", "all"): 3, ("counts", "lead|all"): -1, ("counts", "a|open|2026-12-31"): 1},
            "m1": {("days", "2026-03-05", "all"): -1, ("days", "2026-03-06", "status_reports"): 2},
            "zz": {("counts", "all"): 1}, "aa": {("counts", "all"): 5},
        })
        assert missing == ["aa", "zz"]  # not created: the caller puts them whole
        assert await store.get("units", "c1") == {"owner": "own:01", "counts": {"all": 5, "a|open|2026-12-31": 1}}
        assert await store.get("units", "m1") == {"owner": "own:01", "days": {"2026-03-05": {}, "2026-03-06": {"status_reports": 2}}}
        assert await store.get("units", "zz") is None
        assert await store.bulk_add("units", {}) == []
        assert await store.bulk_add("nowhere", {"x": {("a",): 1}}) == ["x"]

    async def test_bulk_add_equals_read_add_put_over_random_changes(self, store):
        import random
        rng = random.Random(6)
        model = {f"d{i}": {"owner": f"o{i}", "counts": {}} for i in range(5)}
        await store.bulk_put("units", model)
        for _ in range(20):
            changes = {}
            for doc_id in rng.sample(sorted(model), 3):
                changes[doc_id] = {("counts", rng.choice(["x", "y|z", "2026-01-02"])): rng.choice([-1, 1, 2])}
                for (_, key), amount in changes[doc_id].items():
                    counts = model[doc_id]["counts"]
                    counts[key] = counts.get(key, 0) + amount
                    if not counts[key]:
                        del counts[key]
            assert await store.bulk_add("units", changes) == []
        assert {i: await store.get("units", i) for i in model} == model

    async def test_bulk_add_keeps_off_indexed_fields_and_odd_keys(self, store):
        await store.put("tasks", "t1", {"unit": "01", "n": 1})
        for path, amount in [(("unit",), 1), (("a.b",), 1), (('a"b',), 1), (("$a",), 1), ((), 1), (("n",), 1.5)]:
            with pytest.raises(ValueError):
                await store.bulk_add("tasks", {"t1": {path: amount}})
        assert await store.bulk_add("tasks", {"t1": {("n",): 2}}) == []
        assert await store.get("tasks", "t1") == {"unit": "01", "n": 3}
        assert await store.find("tasks", unit="01") == [{"unit": "01", "n": 3}]

    async def test_documents_survive_reopening(self, store):
        self.skip_unless_persistent()
        await store.bulk_put("tasks", TASKS)
        store = await self.reopen(store)
        assert await store.find("tasks", unit="01") == [TASKS["t1"], TASKS["t2"]]
        assert await store.get("tasks", "t4") == TASKS["t4"]
