"""The storage contract suites run against every adapter.

- MemoryStore and SqliteStore (a file under tmp_path): always.
- MongoStore on mongomock-motor: a STAND-IN for PyMongo's async API, because no MongoDB
  server can be installed here (see tests/support/mongo_standin.py for what it adapts). It has
  no sessions, so transaction() cannot undo there: the contract's undo cases are strict xfails
  for this stand-in only.
- MongoStore on the same stand-in with EMULATED session transactions
  (tests/contracts/session_standin.py): proves MongoStore drives sessions, `session=` and the
  nested-block journal; not MongoDB's isolation.
- MongoStore on a real server: only when TIENDO_TEST_MONGODB_URL is set (one fresh
  database per test, dropped afterwards).
"""
from __future__ import annotations

import json
import os
import uuid

import pytest

from services.runtime.memory_store import MemoryStore
from services.runtime.mongo_store import MongoStore
from services.runtime.sqlite_store import SqliteStore
from tests.contracts.document_store import TASKS as DOCS, DocumentStoreContract
from tests.contracts.event_store import EventStoreContract
from tests.contracts import StoreContract, batch
from tests.contracts.ledger import LedgerContract
from tests.contracts.session_standin import SessionStandInServer
from tests.contracts.transaction import TransactionContract
from tests.support.mongo_standin import StandInServer

MONGODB_URL = os.environ.get("TIENDO_TEST_MONGODB_URL")


# -- backends -----------------------------------------------------------------
class MemoryBackend:
    persistent = False

    async def make_store(self):
        return MemoryStore(self.indexes)


class SqliteBackend:
    persistent = True

    @pytest.fixture(autouse=True)
    def _database_file(self, tmp_path):
        self.path = tmp_path / "var" / "service.sqlite"

    async def make_store(self):
        return SqliteStore(self.path, self.indexes)


class MongoStandInBackend:
    """MongoStore on mongomock-motor, a stand-in for PyMongo's async API; no MongoDB server can be installed here."""

    persistent = True

    @pytest.fixture(autouse=True)
    def _standin_server(self):
        self.server = StandInServer()

    async def make_store(self):
        return await MongoStore.connect("mongodb://stand-in", "tiendo_test", self.indexes, client_factory=self.server.client_factory)


class MongoSessionStandInBackend:
    """MongoStore on the stand-in whose sessions emulate transactions (a copy of the data, put back on abort)."""

    persistent = True

    @pytest.fixture(autouse=True)
    def _standin_server(self):
        self.server = SessionStandInServer()

    async def make_store(self):
        return await MongoStore.connect("mongodb://stand-in", "tiendo_test", self.indexes, client_factory=self.server.client_factory)


@pytest.mark.skipif(not MONGODB_URL, reason="set TIENDO_TEST_MONGODB_URL to run MongoStore against a real MongoDB server")
class MongoServerBackend:
    """MongoStore on the real MongoDB server at TIENDO_TEST_MONGODB_URL, one database per test."""

    persistent = True

    @pytest.fixture(autouse=True)
    async def _fresh_database(self):
        from pymongo import AsyncMongoClient

        self.database = f"tiendo_test_{uuid.uuid4().hex[:12]}"
        yield
        client = AsyncMongoClient(MONGODB_URL)
        try:
            await client.drop_database(self.database)
        finally:
            await client.close()

    async def make_store(self):
        return await MongoStore.connect(MONGODB_URL, self.database, self.indexes)


# -- MemoryStore --------------------------------------------------------------
class TestMemoryEventStore(MemoryBackend, EventStoreContract):
    pass


class TestMemoryLedger(MemoryBackend, LedgerContract):
    pass


class TestMemoryDocumentStore(MemoryBackend, DocumentStoreContract):
    pass


class TestMemoryTransaction(MemoryBackend, TransactionContract):
    pass


# -- SqliteStore --------------------------------------------------------------
class TestSqliteEventStore(SqliteBackend, EventStoreContract):
    pass


class TestSqliteLedger(SqliteBackend, LedgerContract):
    pass


class TestSqliteDocumentStore(SqliteBackend, DocumentStoreContract):
    async def query_plan(self, store, method, *args, **kwargs):
        return getattr(store, f"plan_of_{method}")(*args, **kwargs)

    def uses_an_index(self, plan):
        """Every step SEARCHes a field's index: none reads the table row by row, nor walks a whole index (as
        "IS NOT NULL ... ORDER BY ... LIMIT" would, through every null first)."""
        steps = [line for line in plan.splitlines() if "doc_" in line]
        sorted_after = any("TEMP B-TREE" in line for line in plan.splitlines())  # every tie of the lowest value read and sorted
        return bool(steps) and not sorted_after and all(line.startswith("SEARCH") and "USING INDEX ix_" in line for line in steps)

    def index_sql(self, store, table="doc_tasks"):
        return dict(store._db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE 'ix_%'", (table,)))

    async def test_a_store_with_expression_indexes_gets_columns_on_open_and_keeps_its_documents(self):
        """A store written before the values had columns: a WITHOUT ROWID table, json_extract indexes, one of them for a
        field no longer declared."""
        import sqlite3

        self.path.parent.mkdir(parents=True)
        old = sqlite3.connect(self.path)
        old.execute("CREATE TABLE doc_tasks (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID")
        for field in ("unit", "status", "gone"):
            old.execute(f"CREATE INDEX ix_tasks_{field} ON doc_tasks (json_extract(body, '$.{field}'))")
        old.executemany("INSERT INTO doc_tasks VALUES (?,?)", [(i, json.dumps(d)) for i, d in DOCS.items()])
        old.commit()
        old.close()
        store = await self.make_store()
        try:
            indexes = self.index_sql(store)
            assert set(indexes) == {"ix_tasks_unit", "ix_tasks_status", "ix_tasks_due"}
            assert not any("json_extract" in sql for sql in indexes.values()), indexes
            assert await store.find("tasks", unit="01") == [DOCS["t1"], DOCS["t2"]]
            assert indexes["ix_tasks_unit"].endswith("(f_unit)"), indexes  # searched by the contract's planner test
            (table,) = store._db.execute("SELECT sql FROM sqlite_master WHERE name = 'doc_tasks'").fetchone()
            assert "WITHOUT ROWID" not in table.upper()  # copied into a rowid table: a new body is written in place
            await store.put("tasks", "t1", {**DOCS["t1"], "unit": "48"})
            assert await store.find("tasks", unit="48") == [{**DOCS["t1"], "unit": "48"}, DOCS["t4"]]
        finally:
            await store.close()

    async def test_an_index_no_longer_declared_is_dropped_with_its_column_when_the_store_opens(self, store):
        self.indexes = {"tasks": ["unit", "status", "due", "n"]}
        store = await self.reopen(store)
        await store.bulk_put("tasks", DOCS)
        assert "ix_tasks_n" in self.index_sql(store)
        self.indexes = DocumentStoreContract.indexes
        store = await self.reopen(store)
        assert set(self.index_sql(store)) == {"ix_tasks_unit", "ix_tasks_status", "ix_tasks_due"}
        assert "f_n" not in {row[1] for row in store._db.execute("PRAGMA table_info(doc_tasks)")}
        assert await store.find("tasks", n=3) == [DOCS["t3"]]  # still found, by its body

    async def test_a_process_declaring_nothing_still_writes_the_indexed_values(self, store):
        await store.bulk_put("tasks", DOCS)
        self.indexes = {}
        store = await self.reopen(store)
        await store.put("tasks", "t1", {**DOCS["t1"], "unit": "79"})
        self.indexes = DocumentStoreContract.indexes
        store = await self.reopen(store)
        assert await store.find("tasks", unit="79") == [{**DOCS["t1"], "unit": "79"}, DOCS["t3"]]
        assert await store.find("tasks", unit="01") == [DOCS["t2"]]

    async def test_an_in_list_on_a_selective_field_is_preferred_to_a_value_most_documents_share(self, store):
        """notify's find(items, item_id=[...], open=True): without statistics SQLite took the index of `open`."""
        await store.bulk_put("tasks", {f"x{i:03d}": {"unit": f"{i:03d}", "status": "open" if i % 10 else "done"} for i in range(150)})
        for _ in range(2):
            plan = store.plan_of_find("tasks", unit=["001", "002", "003"], status="open")
            assert "ix_tasks_unit" in plan, plan
            store = await self.reopen(store)

    async def test_a_flag_beside_a_long_list_never_takes_the_flags_index(self, store):
        """notify's find(items, item_id=[400 ids], open=True) at a quarter end: with sampled statistics SQLite read every
        open item through the index of `open` (120 ms a batch at national size) instead of the 400 ids' index."""
        self.indexes = {"tasks": ["unit", "status", "due", "open"]}
        store = await self.reopen(store)
        docs = {f"x{i:04d}": {"unit": f"{i:04d}", "open": i < 3000} for i in range(3400)}
        await store.bulk_put("tasks", docs)
        store = await self.reopen(store)  # statistics as a started process has them
        wanted = [f"{i:04d}" for i in range(2900, 3300)]
        plan = store.plan_of_find("tasks", unit=wanted, open=True)
        assert "ix_tasks_unit" in plan and "ix_tasks_open" not in plan, plan
        assert await store.find("tasks", unit=wanted, open=True) == [docs[f"x{i:04d}"] for i in range(2900, 3000)]
        assert "ix_tasks_open" in store.plan_of_find("tasks", open=False)  # alone, a flag still has its index
        self.indexes = DocumentStoreContract.indexes

    async def test_rows_of_the_old_shared_documents_table_move_to_their_collections(self):
        import sqlite3

        self.path.parent.mkdir(parents=True)
        old = sqlite3.connect(self.path)
        old.execute("CREATE TABLE documents (collection TEXT, id TEXT, body TEXT NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID")
        old.executemany("INSERT INTO documents VALUES (?,?,?)", [("tasks", "t1", '{"unit": "01"}'), ("contacts", "c1", '{"unit": "01"}')])
        old.commit()
        old.close()
        store = await self.make_store()
        try:
            assert await store.find("tasks", unit="01") == [{"unit": "01"}]
            assert await store.get("contacts", "c1") == {"unit": "01"}
        finally:
            await store.close()


class TestSqliteTransaction(SqliteBackend, TransactionContract):
    pass


# -- MongoStore on the mongomock-motor stand-in --------------------------------
class TestMongoStandInEventStore(MongoStandInBackend, EventStoreContract):
    """MongoStore on mongomock-motor, a stand-in for PyMongo's async API; no MongoDB server can be installed here."""


class TestMongoStandInLedger(MongoStandInBackend, LedgerContract):
    """MongoStore on mongomock-motor, a stand-in for PyMongo's async API; no MongoDB server can be installed here."""


class TestMongoStandInDocumentStore(MongoStandInBackend, DocumentStoreContract):
    """MongoStore on mongomock-motor, a stand-in for PyMongo's async API; no MongoDB server can be installed here."""


def undo_not_done(test):
    """The contract test, expected to fail on the plain stand-in (a copy: marking the shared function would mark every backend)."""

    @pytest.mark.xfail(strict=True, reason="mongomock has no client sessions (start_session raises NotImplementedError): "
                       "MongoStore.transaction() is a block without undo there")
    async def expected_to_fail(self, store):
        await test(self, store)

    return expected_to_fail


class TestMongoStandInTransaction(MongoStandInBackend, TransactionContract):
    """Without sessions nothing can be undone: the undo cases fail here, and only here."""

    test_a_block_that_fails_leaves_nothing_behind = undo_not_done(TransactionContract.test_a_block_that_fails_leaves_nothing_behind)
    test_a_nested_block_that_fails_is_undone_alone = undo_not_done(TransactionContract.test_a_nested_block_that_fails_is_undone_alone)
    test_a_concurrency_error_inside_undoes_the_whole_block = undo_not_done(
        TransactionContract.test_a_concurrency_error_inside_undoes_the_whole_block)


# -- MongoStore on the stand-in with emulated session transactions -------------
class TestMongoSessionStandInEventStore(MongoSessionStandInBackend, EventStoreContract):
    """Every append runs in a transaction of its own (with_transaction) here."""


class TestMongoSessionStandInTransaction(MongoSessionStandInBackend, TransactionContract):
    async def test_every_operation_inside_a_block_carries_the_session(self, store):
        async with store.transaction():
            await store.append("task-1", 0, batch("task-1", 0, 1))
            await store.put("tasks", "1", {"v": 1})
            await store.mark("reporting", ["e1"])
            await store.get("tasks", "1")
        # version read, counter, insert; bulk put; ledger bulk write; get: all with the block's session
        assert self.server.operations_with_session == 6


# -- MongoStore on a real server (TIENDO_TEST_MONGODB_URL) ---------------------
class TestMongoServerEventStore(MongoServerBackend, EventStoreContract):
    pass


class TestMongoServerLedger(MongoServerBackend, LedgerContract):
    pass


class TestMongoServerDocumentStore(MongoServerBackend, DocumentStoreContract):
    async def query_plan(self, store, method, *args, **kwargs):
        return await getattr(store, f"plan_of_{method}")(*args, **kwargs)

    def uses_an_index(self, plan):
        return "IXSCAN" in plan and "COLLSCAN" not in plan


class TestMongoServerTransaction(MongoServerBackend, TransactionContract):
    """Real client-session transactions: TIENDO_TEST_MONGODB_URL must name a replica set (one member will do)."""


# -- bulk load (a rebuild writing its whole read model into a fresh store) -----
class BulkLoadContract(StoreContract):
    """What is written inside `bulk_load()` reads afterwards exactly as if written without it, and searches its indexes."""

    indexes = DocumentStoreContract.indexes
    query_plan = DocumentStoreContract.query_plan

    async def test_documents_loaded_in_bulk_are_found_by_their_indexed_fields_afterwards(self, store):
        statuses = ["open", "late", "done", *(f"s{n}" for n in range(17))]
        docs = {f"x{i:04d}": {"unit": f"{i % 50:02d}", "status": statuses[i % 20], "due": f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}"}
                for i in range(600)}
        async with store.bulk_load():
            async with store.transaction():
                await store.bulk_put("tasks", docs)
                await store.put("units", "u1", {"level": 1})
        assert await store.find("tasks", unit="07") == [d for i, d in sorted(docs.items()) if d["unit"] == "07"]
        assert await store.find("units", level=1) == [{"level": 1}]
        assert await store.find_lowest("tasks", "due", 1) == [min(docs.values(), key=lambda d: d["due"])]
        for method, args, kwargs in [("find", ("tasks",), {"unit": "01"}), ("find", ("tasks",), {"status": ["open", "late"]}),
                                     ("find_lowest", ("tasks", "due", 5), {})]:
            plan = await self.query_plan(store, method, *args, **kwargs)
            assert self.uses_an_index(plan), f"{method}{args} {kwargs} after a bulk load is planned without its index:\n{plan}"

    async def test_a_collection_the_load_reads_is_found_by_its_index_while_loading_and_the_others_after(self, store):
        async with store.bulk_load(read=["units"]):
            async with store.transaction():
                await store.bulk_put("units", {f"u{i}": {"level": i % 3} for i in range(300)})
                await store.bulk_put("tasks", TASKS)
            await store.put("units", "u1", {"level": 2})  # written again inside: found by its new value only
            assert len(await store.find("units", level=2)) == 101 and len(await store.find("units", level=1)) == 99
            plan = await self.query_plan(store, "find", "units", level=2)
            assert self.uses_an_index(plan), f"a collection read during the load is planned without its index:\n{plan}"
        assert await store.find("tasks", unit="01") == [TASKS["t1"], TASKS["t2"]]
        assert len(await store.find("units", level=2)) == 101

    async def test_a_block_that_fails_inside_a_bulk_load_is_undone_and_the_store_is_whole_after_it(self, store):
        with pytest.raises(RuntimeError):
            async with store.bulk_load():
                async with store.transaction():
                    await store.bulk_put("tasks", TASKS)
                async with store.transaction():
                    await store.put("tasks", "t9", {"unit": "01"})
                    raise RuntimeError("the rebuild fails")
        assert await store.find("tasks", unit="01") == [TASKS["t1"], TASKS["t2"]]
        await store.put("tasks", "t5", {"unit": "01"})
        assert len(await store.find("tasks", unit="01")) == 3

    async def test_json_values_loaded_in_bulk_come_back_the_same(self, store):
        doc = {"text": "Ủy ban nhân dân xã — “Kế hoạch”", "n": 3, "x": 0.25, "big": 12345678901234, "yes": True, "no": False,
               "none": None, "list": [1, "a", None, [2.5]], "map": {"k|2026-01-01": -2, "nested": {"a": []}}, "day": "2026-12-31"}
        async with store.bulk_load():
            await store.bulk_put("tasks", {"t1": {**doc, "unit": "01"}})
        assert await store.get("tasks", "t1") == {**doc, "unit": "01"}
        assert await store.find("tasks", unit="01") == [{**doc, "unit": "01"}]

    async def test_a_bulk_load_survives_reopening(self, store):
        self.skip_unless_persistent()
        async with store.bulk_load():
            await store.bulk_put("tasks", TASKS)
        store = await self.reopen(store)
        assert await store.find("tasks", unit="01") == [TASKS["t1"], TASKS["t2"]]


TASKS = {"t1": {"unit": "01", "status": "open"}, "t2": {"unit": "01", "status": "done"}, "t3": {"unit": "79", "status": "open"}}


class TestMemoryBulkLoad(MemoryBackend, BulkLoadContract):
    pass


class TestSqliteBulkLoad(SqliteBackend, BulkLoadContract):
    async def query_plan(self, store, method, *args, **kwargs):
        return getattr(store, f"plan_of_{method}")(*args, **kwargs)

    def uses_an_index(self, plan):
        steps = [line for line in plan.splitlines() if "doc_" in line]
        sorted_after = any("TEMP B-TREE" in line for line in plan.splitlines())  # every tie of the lowest value read and sorted
        return bool(steps) and not sorted_after and all(line.startswith("SEARCH") and "USING INDEX ix_" in line for line in steps)

    async def test_the_indexes_wait_for_the_end_of_the_load_and_the_file_is_back_in_wal_mode(self, store):
        def indexes():
            return {n for (n,) in store._db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_tasks_%'")}

        assert indexes() == {"ix_tasks_unit", "ix_tasks_status", "ix_tasks_due"}
        async with store.bulk_load():
            assert indexes() == set() and store._db.execute("PRAGMA journal_mode").fetchone()[0] == "memory"
            await store.bulk_put("tasks", TASKS)
        assert indexes() == {"ix_tasks_unit", "ix_tasks_status", "ix_tasks_due"}
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'doc_tasks'").fetchone()  # analysed at the end


class TestMongoStandInBulkLoad(MongoStandInBackend, BulkLoadContract):
    """MongoStore on mongomock-motor, a stand-in for PyMongo's async API; no MongoDB server can be installed here."""

    test_a_block_that_fails_inside_a_bulk_load_is_undone_and_the_store_is_whole_after_it = undo_not_done(
        BulkLoadContract.test_a_block_that_fails_inside_a_bulk_load_is_undone_and_the_store_is_whole_after_it)
