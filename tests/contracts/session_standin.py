"""The mongomock stand-in with client sessions whose transactions are EMULATED (a second, named stand-in).

mongomock has no sessions (`start_session` raises NotImplementedError), so on the plain stand-in
MongoStore.transaction() is a block without undo. To exercise MongoStore's session code (every
operation passing `session=`, `start_transaction` and `with_transaction`, the journal that undoes a
nested block alone) without a server, this stand-in gives the client `start_session()`: a
transaction copies the whole in-memory server when it starts and puts the copy back if it aborts.

Transactions run one at a time (a lock on the stand-in server stands for isolation). It is NOT
MongoDB's transaction semantics (no snapshot reads, no write conflicts, no server-side abort on a
duplicate key): it proves the adapter drives the API as it should, and a real replica set
(TIENDO_TEST_MONGODB_URL) proves the rest.
"""
from __future__ import annotations

import asyncio
import copy
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable

from tests.support.mongo_standin import StandInClient, StandInServer


class SessionStandInServer(StandInServer):
    def __init__(self) -> None:
        super().__init__()
        self.operations_with_session = 0
        self.one_at_a_time = asyncio.Lock()

    def client_factory(self, url: str) -> "SessionStandInClient":
        return SessionStandInClient(super().client_factory(url), self)

    def snapshot(self) -> dict[tuple[str, str], Any]:
        return {(db, col): copy.deepcopy(store._documents)
                for db, database in self._store._databases.items() for col, store in database._collections.items()}

    def restore(self, snapshot: dict[tuple[str, str], Any]) -> None:
        for db, database in self._store._databases.items():
            for col, store in database._collections.items():
                store._documents.clear()
                store._documents.update(snapshot.get((db, col), {}))


class SessionStandInClient:
    def __init__(self, client: StandInClient, server: SessionStandInServer) -> None:
        self._client, self._server = client, server
        self.admin = _Admin()

    def __getitem__(self, name: str) -> "_Database":
        return _Database(self._client[name], self._server)

    def start_session(self) -> "_Session":
        return _Session(self._server)

    async def close(self) -> None:
        await self._client.close()


class _Admin:
    async def command(self, name: str) -> dict[str, Any]:
        assert name == "hello"
        return {"isWritablePrimary": True, "setName": "stand-in"}


class _Database:
    def __init__(self, database: Any, server: SessionStandInServer) -> None:
        self._database, self._server = database, server

    def __getitem__(self, name: str) -> "_Collection":
        return _Collection(self._database[name], self._server)


class _Collection:
    """Forwards to the plain stand-in, counting and dropping the `session=` mongomock ignores."""

    def __init__(self, collection: Any, server: SessionStandInServer) -> None:
        self._collection, self._server = collection, server

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._collection, name)

        def call(*args: Any, session: Any = None, **kwargs: Any) -> Any:
            if session is not None:
                assert isinstance(session, _Session) and session.in_transaction, "a session outside its transaction"
                self._server.operations_with_session += 1
            return method(*args, **kwargs)

        return call


class _Session:
    def __init__(self, server: SessionStandInServer) -> None:
        self._server = server
        self.in_transaction = False

    async def __aenter__(self) -> "_Session":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        return None

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        assert not self.in_transaction, "a transaction is already open on this session"
        async with self._server.one_at_a_time:
            snapshot, self.in_transaction = self._server.snapshot(), True
            try:
                yield
            except BaseException:
                self._server.restore(snapshot)
                raise
            finally:
                self.in_transaction = False

    async def start_transaction(self) -> Any:
        return self._transaction()

    async def with_transaction(self, callback: Callable[["_Session"], Awaitable[Any]]) -> Any:
        async with self._transaction():
            return await callback(self)
