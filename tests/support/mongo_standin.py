"""A stand-in for PyMongo's async API (`AsyncMongoClient`), built on mongomock-motor.

No MongoDB server can be installed here, so the MongoStore contract suite also runs against
this stand-in. It is NOT MongoDB: it checks that MongoStore calls the API sensibly and keeps
the ports' contract, not server behaviour (write concerns, concurrency, real index builds).

What mongomock-motor 0.0.36 (on mongomock 4.3, with pymongo 4.20) lacks, adapted here:
- `AsyncMongoClient.close()` is a coroutine; mongomock's `close()` is plain: made awaitable.
- `bulk_write` fails with pymongo >= 4.11 operations (mongomock's bulk builder does not accept
  the `sort` argument that `UpdateOne`/`ReplaceOne` now pass): replayed here as single
  `insert_one`/`update_one`/`replace_one`/`delete_one` calls on the mock collection.
- mongomock-motor's coroutines never suspend, so two concurrent appends could never
  interleave and a race would never reach the unique index. Every collection coroutine here
  first yields to the event loop once, as a network round trip would.
- Each mongomock client has its own private data; a real server outlives its clients. A
  `StandInServer` shares one mongomock `ServerStore` between the clients it makes, so data
  survives closing one store and opening another, as with a real server.
"""
from __future__ import annotations

import asyncio
import inspect
from typing import Any

from mongomock.mongo_client import MongoClient
from mongomock.store import ServerStore
from mongomock_motor import AsyncMongoMockClient
from pymongo import DeleteOne, InsertOne, ReplaceOne, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError


class StandInServer:
    """One in-memory 'server'; `client_factory` makes stand-in clients connected to it."""

    def __init__(self) -> None:
        self._store = ServerStore()

    def client_factory(self, url: str) -> "StandInClient":
        return StandInClient(AsyncMongoMockClient(mock_mongo_client=MongoClient(url, _store=self._store)))


class StandInClient:
    def __init__(self, client: AsyncMongoMockClient) -> None:
        self._client = client

    def __getitem__(self, name: str) -> "_Database":
        return _Database(self._client[name])

    async def drop_database(self, name: str) -> None:
        await self._client.drop_database(name)

    async def close(self) -> None:
        self._client.close()


class _Database:
    def __init__(self, database: Any) -> None:
        self._database = database

    def __getitem__(self, name: str) -> "_Collection":
        return _Collection(self._database[name])


class _Collection:
    def __init__(self, collection: Any) -> None:
        self._collection = collection

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._collection, name)
        if not inspect.iscoroutinefunction(attribute):
            return attribute

        async def round_trip(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(0)
            return await attribute(*args, **kwargs)

        return round_trip

    async def bulk_write(self, requests: list[Any], ordered: bool = True) -> None:
        await asyncio.sleep(0)
        errors: list[dict[str, Any]] = []
        for index, op in enumerate(requests):
            try:
                if isinstance(op, InsertOne):
                    await self._collection.insert_one(op._doc)
                elif isinstance(op, UpdateOne):
                    await self._collection.update_one(op._filter, op._doc, upsert=op._upsert)
                elif isinstance(op, ReplaceOne):
                    await self._collection.replace_one(op._filter, op._doc, upsert=op._upsert)
                elif isinstance(op, DeleteOne):
                    await self._collection.delete_one(op._filter)
                else:
                    raise NotImplementedError(f"stand-in bulk_write does not replay {type(op).__name__}")
            except DuplicateKeyError as error:
                errors.append({"index": index, "code": error.code, "errmsg": str(error)})
                if ordered:
                    break
        if errors:
            raise BulkWriteError({"writeErrors": errors, "nInserted": 0})
