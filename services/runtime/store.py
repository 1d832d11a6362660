"""Chooses a store adapter by URL: sqlite:///path, mongodb://…, or memory://."""
from __future__ import annotations

from services.runtime.ports import Indexes, Store


async def open_store(url: str, database: str, indexes: Indexes | None = None) -> Store:
    """Open (and prepare) the store of one service. `database` names its MongoDB database."""
    if url.startswith("sqlite:///"):
        from services.runtime.sqlite_store import SqliteStore

        return SqliteStore(url.removeprefix("sqlite:///"), indexes)
    if url.startswith(("mongodb://", "mongodb+srv://")):
        from services.runtime.mongo_store import MongoStore

        return await MongoStore.connect(url, database, indexes)
    if url == "memory://":
        from services.runtime.memory_store import MemoryStore

        return MemoryStore(indexes)
    raise ValueError(f"store_url must start with sqlite:///, mongodb:// or be memory://, got {url!r}")
