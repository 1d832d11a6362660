"""SQLite document store: one table per collection, each declared field's value in a column of its own, indexed.

A collection `c` is the table `doc_c (id TEXT PRIMARY KEY, body TEXT, f_a, f_b, ...)` (a rowid table: rewriting a
document's body rewrites its row in place; the former WITHOUT ROWID tables moved whole records in their b-tree and are
copied into this form when the store opens, below): the document's
JSON in `body`, and the value of each declared field `f` (as json_extract would give it: numbers, text, booleans as
1/0, null when missing) in the column `f_f`, written by `bulk_put` beside the body, and indexed by `ix_c_f ON doc_c
(f_f)`. Writing a document thus costs no JSON parsing in SQLite (expression indexes evaluated json_extract over the
whole body once per index for the new row, and again for the old one), and a snapshot whose indexed values did not
change is written as its body alone (`UPDATE ... SET body WHERE id AND f_a IS ? ...`), which touches no index.
Queries on a declared field use its column (`_expr`); on any other field, json_extract over the body (a scan, as
before). The table's only other index is its primary key on `id`, which no field query can use: an indexed `find` is
always a SEARCH on its index. The index key ends with the primary key, so "field <= ? ORDER BY field, id" needs no
sort; `find` sorts by id in Python (cheap, rows of one value already come in id order) because "ORDER BY id" in SQL
lures the planner into a full scan for "field IN (...)".

The columns of a table are read from the table itself (every process writes them, whatever it declares). On open,
each collection this process declares is brought to its declaration: missing columns are added and filled from the
bodies (one pass), indexes of an older form (json_extract expressions) or of fields no longer declared are dropped,
and the columns of fields no longer declared with them. A process that declares nothing for a collection leaves it
as it is.

Statistics: a collection is ANALYZEd (sampling at most ANALYSIS_ROWS rows per index, so it takes milliseconds at any
size) when the store opens (if it has rows) and once its writes since the last analysis outgrow the rows it had then
(at least ANALYZE_AFTER), so the planner picks the most selective index when a query filters on two fields (an index
of a value most rows share, such as `open`, would otherwise be preferred to an IN list on a selective one); a true/false
filter beside another declared field's is kept off its index altogether (`_select`), since sampled statistics
misjudge it beside a long list. Older
databases kept every collection in one `documents` table; their rows are moved into the per-collection tables when
the store opens.

Bulk load (`bulk_load()`, a rebuild writing its whole read model into a fresh file): the declared indexes of the
collections still empty are created after the load (one sort per index instead of a b-tree insert per row), then
ANALYZEd; while loading, the rollback journal is kept in memory (not the WAL: every page would be written twice),
nothing is synced, and the page cache is large (BULK_CACHE_KIB) with temporary storage in memory, so the index builds'
sorts do not spill to temporary files and b-tree pages are not written out and read back mid-load. A crash meanwhile can leave the file unusable, which is why it is only for a file no one reads
yet and that is thrown away if the load fails (a rebuild's fresh copy: `--switch` points the service at it only once
it is complete). Rollback still works inside (the journal is in memory), and at the end the file is synced and back
in WAL mode with synchronous=NORMAL. Its documents are JSON values already (text, numbers, booleans, null, lists,
objects; dates as ISO text, as the read models keep them) and are encoded by pydantic-core's `to_json`, a third to a
quarter of `json.dumps`'s time (a rebuild writes ~400k documents at national size); the same values, compact.

Bodies are decoded with pydantic-core's JSON parser (the same values as `json.loads`, a fifth of its time: reading
snapshots was a sixth of the deadline scanner's cost) and still written with `json.dumps`, whose form (`default=str`
for dates and times) the stored documents already have; a `JsonDocument` (JSON values only, as task snapshots are)
is written by pydantic-core's `to_json` (≈ 4× faster; the same values, compact). Both ways the body crosses as UTF-8
bytes (`BODY`, `TEXT`): a task snapshot's str decoded by sqlite3 and encoded again by the parser, or decoded from
to_json's bytes and encoded again by sqlite3, was ≈ 2–4 µs of each row's 6–9 (bench/history/national-scale.md).
"""
from __future__ import annotations

import json
import os
import sqlite3
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any, AsyncIterator, Iterable, Mapping

from pydantic_core import from_json, to_json

from services.runtime.ports import Indexes, JsonDocument, Path, checked_path
from services.runtime.sqlite_migrations import SqliteMigrations, checked_name as _name, column as _column

ANALYZE_AFTER = 100  # writes to a collection before its first ANALYZE (and at least between two)
ANALYSIS_ROWS = 1000  # rows ANALYZE samples per index: milliseconds at any size, enough for the planner
BULK_CACHE_KIB = -262_144  # page cache of a bulk load (256 MiB at most, as pages are used; the default is 2 MiB)
MAX_VARIABLES = 10_000  # values per IN (...) query; longer lists are split
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)  # json.dumps(doc, ensure_ascii=False, default=str), one encoder for all
_COMPACT = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":"))  # a list or object as json_extract gives it
# A body crosses between Python and SQLite as UTF-8 bytes, stored as TEXT: read as `CAST(body AS BLOB)` (the stored bytes,
# which pydantic-core parses as they are: no str made by sqlite3 and encoded again by the parser) and written as
# `CAST(? AS TEXT)` (to_json's bytes kept as text without a str between; a str argument is text already).
BODY = "CAST(body AS BLOB)"
TEXT = "CAST(? AS TEXT)"


class SqliteDocuments(SqliteMigrations):
    """The DocumentStore half of SqliteStore (which owns the connection `_db`); bringing older tables to the declarations
    on open is SqliteMigrations's."""

    _db: sqlite3.Connection

    def _prepare_documents(self, indexes: Indexes) -> None:
        self._indexed: dict[str, tuple[str, ...]] = {c: tuple(_name(f) for f in fs) for c, fs in indexes.items()}
        self._deferred: set[str] = set()  # collections whose indexes wait for the end of a bulk load
        self._loading = False
        self._db.execute(f"PRAGMA analysis_limit={ANALYSIS_ROWS}")
        self._tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'doc\\_%' ESCAPE '\\'")}
        self._columns: dict[str, tuple[str, ...]] = {table: self._columns_of(table) for table in self._tables}
        self._indexes_made: set[str] = set()  # tables whose declared indexes this process made sure of
        self._db.execute("BEGIN IMMEDIATE")  # a store made by an older version is brought to the declarations at once
        try:
            for collection in self._indexed:
                self._migrate(collection)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._move_legacy_documents()
        self._stats = dict.fromkeys(self._tables, 0)
        self._stats.update(self._analysed_rows())
        self._pending = dict.fromkeys(self._tables, 0)
        for table in sorted(self._tables):  # statistics as the rows are now: a few milliseconds each (analysis_limit)
            if self._db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                self._analyze(table)

    def _columns_of(self, table: str) -> tuple[str, ...]:
        """The fields whose values the table keeps in columns of their own (whoever declared them)."""
        return tuple(row[1][2:] for row in self._db.execute(f"PRAGMA table_info({table})") if row[1].startswith("f_"))

    def _ensure(self, collection: str) -> str:
        table = "doc_" + _name(collection)
        if table not in self._tables:
            columns = "".join(f", {_column(field)}" for field in self._indexed.get(collection, ()))  # no type: values as given
            self._db.execute(f"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, body TEXT NOT NULL{columns})")
            self._tables.add(table)
            self._columns[table] = self._columns_of(table)
        if collection in self._deferred or table in self._indexes_made:
            return table
        for field in self._indexed.get(collection, ()):
            if field in self._columns[table]:
                self._db.execute(f"CREATE INDEX IF NOT EXISTS ix_{_name(collection)}_{field} ON {table} ({_column(field)})")
        self._indexes_made.add(table)
        return table

    def _forget(self, table: str) -> None:
        """A table created (or changed) in a transaction that was rolled back since: learn it again on its next use."""
        self._tables.discard(table)
        self._indexes_made.discard(table)
        self._columns.pop(table, None)

    def _analysed_rows(self) -> dict[str, int]:
        if not self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return {}
        return {tbl: int(stat.split()[0]) for tbl, stat in self._db.execute("SELECT tbl, stat FROM sqlite_stat1 WHERE tbl LIKE 'doc\\_%' ESCAPE '\\'")}

    def _analyze(self, table: str) -> None:
        self._db.execute(f"ANALYZE {table}")
        row = self._db.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = ? AND stat IS NOT NULL LIMIT 1", (table,)).fetchone()
        self._stats[table] = int(row[0].split()[0]) if row else 0
        self._pending[table] = 0

    def _wrote(self, table: str, count: int) -> None:
        self._pending[table] = self._pending.get(table, 0) + count
        if not self._loading and self._pending[table] >= max(ANALYZE_AFTER, self._stats.get(table, 0)):
            self._analyze(table)

    @asynccontextmanager
    async def bulk_load(self, read: Iterable[str] = ()) -> AsyncIterator[None]:
        """Load many documents into a fresh file no one reads yet (module docstring): the indexes of empty collections
        are built and analysed at the end (but those of `read`, which the load finds documents in meanwhile), the journal
        is in memory and nothing is synced until then. Outside any transaction (the journal mode cannot change inside
        one); when it ends, even by an error, the store is as if written normally: every declared index, statistics, WAL."""
        if self._depth:  # type: ignore[attr-defined]
            raise RuntimeError("bulk_load() starts outside any transaction")
        kept = set(read)
        self._deferred = {c for c in self._indexed
                          if c not in kept and not self._db.execute(f"SELECT 1 FROM {self._ensure(c)} LIMIT 1").fetchone()}
        for collection in self._deferred:
            self._indexes_made.discard("doc_" + _name(collection))
            for field in self._indexed[collection]:
                self._db.execute(f"DROP INDEX IF EXISTS ix_{_name(collection)}_{field}")
        self._loading = True
        self._db.execute("PRAGMA journal_mode=MEMORY")
        self._db.execute("PRAGMA synchronous=OFF")
        cache, temp = (row[0] for q in ("cache_size", "temp_store") for row in self._db.execute(f"PRAGMA {q}"))
        self._db.execute(f"PRAGMA cache_size={BULK_CACHE_KIB}")  # the b-trees' pages stay in memory: each written once
        self._db.execute("PRAGMA temp_store=MEMORY")  # the index builds' sorts do not spill to temporary files
        try:
            yield
        finally:
            self._loading, deferred, self._deferred = False, self._deferred, set()
            for collection in sorted(deferred):
                self._ensure(collection)
            for table in sorted(t for t, n in self._pending.items() if n):
                self._analyze(table)
            self._db.execute(f"PRAGMA cache_size={cache}")
            self._db.execute(f"PRAGMA temp_store={temp}")
            self._sync()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")

    def _sync(self) -> None:
        """What was written unsynced reaches the disk before the file counts as complete."""
        path = next((file for _, name, file in self._db.execute("PRAGMA database_list") if name == "main"), "")
        if path:
            descriptor = os.open(path, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)

    # -- the port -------------------------------------------------------
    async def get(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        table = "doc_" + _name(collection)
        if table not in self._tables:
            return None
        rows = self._rows(table, f"SELECT {BODY} FROM {table} WHERE id = ?", [doc_id])
        return from_json(rows[0][0]) if rows else None

    async def put(self, collection: str, doc_id: str, doc: Mapping[str, Any]) -> None:
        await self.bulk_put(collection, {doc_id: doc})

    async def bulk_put(self, collection: str, docs: Mapping[str, Mapping[str, Any]]) -> None:
        if not docs:
            return
        loading = self._loading  # a bulk load's documents are JSON values (docstring), and so is a JsonDocument
        bodies = [(i, to_json(d) if loading or type(d) is JsonDocument else _ENCODER.encode(d)) for i, d in docs.items()]
        async with self.transaction():  # type: ignore[attr-defined]
            table = self._ensure(collection)
            try:
                self._write(table, docs, bodies)
            except sqlite3.OperationalError:  # created or changed in a transaction that was rolled back since
                self._forget(table)
                self._write(self._ensure(collection), docs, bodies)
            self._wrote(table, len(docs))

    def _write(self, table: str, docs: Mapping[str, Mapping[str, Any]], bodies: list[tuple[str, str]]) -> None:
        """Each document's row written with only what changed: a document whose indexed values did not change gets its
        new body alone (no index touched); one whose values changed, its body and those columns only (the indexes of the
        other fields untouched: a status report on a recurring task moves its attention_on alone, and rewriting all eight
        index entries of every row of such a batch was most of a batch's write at national size); new documents are
        inserted whole. The rows' current values are read first, in one query (their pages are the ones written next)."""
        fields = self._columns[table]
        if not fields:
            self._db.executemany(f"INSERT INTO {table} (id, body) VALUES (?,{TEXT}) ON CONFLICT(id) DO UPDATE SET body = excluded.body", bodies)
            return
        value = _value
        if self._loading:  # a bulk load reads no stored values: every row is written whole, built in one pass
            rows = [(i, body, *[value(docs[i].get(field)) for field in fields]) for i, body in bodies]
            self._insert(table, fields, rows)
            return
        if len(fields) == 1:  # most collections (a generator per document was a third of this method at a rebuild's write)
            only = fields[0]
            values = {i: (value(docs[i].get(only)),) for i, _ in bodies}
        else:
            values = {i: tuple([value(doc.get(field)) for field in fields]) for i, _ in bodies for doc in (docs[i],)}
        stored = {} if self._loading else self._stored_values(table, fields, list(values))
        updates: dict[tuple[int, ...], list[tuple[Any, ...]]] = {}  # changed columns -> rows
        inserts = []
        for i, body in bodies:
            new, old = values[i], stored.get(i)
            if old is None:
                inserts.append((i, body, *new))
                continue
            changed = tuple(n for n, (a, b) in enumerate(zip(new, old)) if a != b or type(a) is not type(b))
            updates.setdefault(changed, []).append((body, *(new[n] for n in changed), i))
        for changed, rows in updates.items():
            assignments = "".join(f", {_column(fields[n])} = ?" for n in changed)
            self._db.executemany(f"UPDATE {table} SET body = {TEXT}{assignments} WHERE id = ?", rows)
        if inserts:
            self._insert(table, fields, inserts)

    def _insert(self, table: str, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """Rows (id, body, each field's value) inserted whole, or written over the row of their id."""
        columns = ", ".join(_column(field) for field in fields)
        marks = ",".join(("?", TEXT, *"?" * len(fields)))
        changes = ", ".join(f"{c} = excluded.{c}" for c in ("body", *map(_column, fields)))
        self._db.executemany(f"INSERT INTO {table} (id, body, {columns}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {changes}", rows)

    def _stored_values(self, table: str, fields: tuple[str, ...], ids: list[str]) -> dict[str, tuple[Any, ...]]:
        columns = ", ".join(_column(field) for field in fields)
        found: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(ids), MAX_VARIABLES):
            chunk = ids[start : start + MAX_VARIABLES]
            found.update({row[0]: row[1:] for row in self._db.execute(f"SELECT id, {columns} FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk)})
        return found

    async def bulk_add(self, collection: str, changes: Mapping[str, Mapping[Path, int]]) -> list[str]:
        """The port's bulk_add in SQL: one UPDATE per (document, path), all in one executemany, JSON edited by SQLite
        (json_set / json_remove on the body; no document is decoded or encoded in Python, and no index is touched: the
        paths stay off the columns of indexed fields). The existing ids are read first, in one query by primary key."""
        table = "doc_" + _name(collection)
        indexed = frozenset((*self._indexed.get(collection, ()), *self._columns.get(table, ())))
        rows = []
        for doc_id, paths in changes.items():
            for path, amount in paths.items():
                if type(amount) is not int:
                    checked_path(path, amount)  # raises
                if amount:
                    rows.append((doc_id, _json_path(path, indexed), amount))
        if not changes:
            return []
        async with self.transaction():  # type: ignore[attr-defined]
            if table not in self._tables:
                return sorted(changes)
            ids = list(changes)
            found: set[str] = set()
            for start in range(0, len(ids), MAX_VARIABLES):
                chunk = ids[start : start + MAX_VARIABLES]
                found.update(i for (i,) in self._rows(table, f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk))
            self._db.executemany(
                f"UPDATE {table} SET body = CASE WHEN coalesce(json_extract(body, ?2), 0) + ?3 = 0 THEN json_remove(body, ?2)"
                f" ELSE json_set(body, ?2, coalesce(json_extract(body, ?2), 0) + ?3) END WHERE id = ?1",
                [row for row in rows if row[0] in found])
        return sorted(i for i in changes if i not in found)

    async def find(self, collection: str, **where: Any) -> list[dict[str, Any]]:
        queries = self._find_queries(collection, where)
        found = [row for sql, args in queries for row in self._rows("doc_" + collection, sql, args)]
        found.sort()  # by id (unique): here, not in SQL, where "ORDER BY id" lures the planner into a scan for IN (...)
        return [from_json(body) for _, body in found]

    def _find_queries(self, collection: str, where: Mapping[str, Any]) -> list[tuple[str, list[Any]]]:
        """One query, or one per slice of a list too long for one statement's variables."""
        table = "doc_" + _name(collection)
        lists = {f: [_arg(v) for v in dict.fromkeys(vs)] for f, vs in where.items() if isinstance(vs, (list, tuple, set))}
        if table not in self._tables or any(not values for values in lists.values()):
            return []
        columns = self._columns[table]
        longest = max(lists, key=lambda f: len(lists[f]), default=None)
        if longest is None or len(lists[longest]) <= MAX_VARIABLES:
            return [_select(table, columns, {**where, **lists})]
        values = lists[longest]
        return [_select(table, columns, {**where, **lists, longest: values[i : i + MAX_VARIABLES]}) for i in range(0, len(values), MAX_VARIABLES)]

    async def find_lowest(self, collection: str, field: str, limit: int, upto: Any = None) -> list[dict[str, Any]]:
        query = self._lowest_query(collection, field, limit, upto)
        return [from_json(body) for (body,) in self._rows("doc_" + collection, *query)] if query else []

    def _lowest_query(self, collection: str, field: str, limit: int, upto: Any) -> tuple[str, list[Any]] | None:
        table = "doc_" + _name(collection)
        if table not in self._tables or limit <= 0:
            return None
        expr = _expr(_name(field), self._columns[table])
        # A lower bound below every number and text (not "IS NOT NULL", which walks the index through every null first)
        bound, args = (f"{expr} <= ?", [_arg(upto)]) if upto is not None else (f"{expr} >= ?", [float("-inf")])
        # Ties in rowid order (the order documents were first written): the index holds (value, rowid), so the
        # lowest come straight off it. "ORDER BY value, id" sorted every document sharing the lowest value first
        # (150-200 ms at 201k tasks, where thousands share a day of attention, on every look of the deadline scanner).
        return f"SELECT {BODY} FROM {table} WHERE {bound} ORDER BY {expr}, rowid LIMIT ?", [*args, limit]

    def _rows(self, table: str, sql: str, args: list[Any]) -> list[Any]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.OperationalError:
            if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
                raise
            self._forget(table)  # created in a transaction that was rolled back since
            return []

    async def delete(self, collection: str, doc_id: str) -> None:
        table = "doc_" + _name(collection)
        if table in self._tables:
            async with self.transaction():  # type: ignore[attr-defined]
                self._rows(table, f"DELETE FROM {table} WHERE id = ?", [doc_id])

    async def bulk_delete(self, collection: str, doc_ids: Iterable[str]) -> None:
        table = "doc_" + _name(collection)
        ids = [(i,) for i in dict.fromkeys(doc_ids)]
        if table not in self._tables or not ids:
            return
        async with self.transaction():  # type: ignore[attr-defined]
            try:
                self._db.executemany(f"DELETE FROM {table} WHERE id = ?", ids)
            except sqlite3.OperationalError:
                if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
                    raise
                self._forget(table)  # created in a transaction that was rolled back since

    # -- how the planner runs them (for the contract suite and benchmarks) --
    def plan_of_find(self, collection: str, **where: Any) -> str:
        return self._plan(*self._find_queries(collection, where)[0])

    def plan_of_find_lowest(self, collection: str, field: str, limit: int, upto: Any = None) -> str:
        return self._plan(*self._lowest_query(collection, field, limit, upto))

    def _plan(self, sql: str, args: list[Any]) -> str:
        return "\n".join(row[-1] for row in self._db.execute("EXPLAIN QUERY PLAN " + sql, args))


@lru_cache(maxsize=65_536)
def _json_path(path: tuple[str, ...], indexed: frozenset[str]) -> str:
    """A bulk_add path (checked once) as a JSON path of quoted labels: ("days", "2026-03-05", "all") → $."days"."2026-03-05"."all"."""
    checked_path(path, 0, indexed)
    return "$" + "".join(f'."{key}"' for key in path)


def _select(table: str, columns: tuple[str, ...], where: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """A true/false filter beside a filter on another declared field is written `+column = ?`, which SQLite's planner
    never answers from an index: a flag's index at best halves the rows, and with sampled statistics (ANALYSIS_ROWS) the
    planner took it over a list of a few hundred values of a selective field (notify's items: every open item walked)."""
    terms, args = [], []
    other_indexed = any(_name(f) in columns for f, v in where.items() if not isinstance(v, bool))
    for field, value in where.items():
        if isinstance(value, list):
            terms.append(f"{_expr(_name(field), columns)} IN ({','.join('?' * len(value))})")
            args.extend(value)
        else:
            flag = "+" if isinstance(value, bool) and other_indexed else ""
            terms.append(f"{flag}{_expr(_name(field), columns)} = ?")
            args.append(_arg(value))
    condition = " WHERE " + " AND ".join(terms) if terms else ""
    return f"SELECT id, {BODY} FROM {table}{condition}", args


def _arg(value: Any) -> Any:
    """A filter value as it is stored in JSON: numbers, text, booleans (1/0) and null as they are; others as text."""
    return value if value is None or isinstance(value, (str, int, float)) else str(value)


def _value(value: Any) -> Any:
    """A field's value for its column, as json_extract would read it from the body `_ENCODER` (or to_json) wrote:
    text, numbers and null as they are, booleans 1/0, lists and objects as compact JSON, anything else as its str()
    (dates, as `default=str` writes them). Subclasses (str and int enums) as the plain values JSON holds."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):  # bool included: 1/0
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (list, tuple, dict)):
        return _COMPACT.encode(value)
    return str(value)


def _expr(field: str, columns: tuple[str, ...]) -> str:
    """The one spelling of a field's value, shared by its index and every query on it: its column when declared."""
    return _column(field) if field in columns else f"json_extract(body, '$.{field}')"
