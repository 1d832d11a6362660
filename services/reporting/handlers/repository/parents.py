"""The units' parents a process learnt, kept from one batch to the next while the directory's generation stands.

A live batch counts each report in its unit's and every ancestor's totals, so it needs the parents of the units it
touches: one `find` of them per batch (7–10 µs a report at 3,000 communes, decoded every time) although the directory
hardly ever changes. Every write of a unit (UnitRegistered, UnitMoved, UnitRenamed, a rebuild's directory) puts a new
random token in the `directory_generation` document, in the transaction of that write; a batch reads the token (one
`get`) and takes the parents kept under the same token, else learns them as before. A token is never used twice, so
parents kept for it are the ones any store holding it has: another reporting instance's write, a rebuild's fresh copy
or a batch rolled back (its token with it) can only make the cache miss, never be wrong. What a batch learnt is kept
only if the batch wrote no unit (its own token is new, and what it read after a write is not the old token's).
"""
from __future__ import annotations

import uuid

from services.runtime.ports import DocumentStore

GENERATION, DIRECTORY = "directory_generation", "units"  # collection and document id of the directory's token
MAX_KEPT = 100_000  # parents kept at most (≈ 3,400 units nationally; a forged directory cannot grow memory)


async def bump(store: DocumentStore) -> None:
    """A unit was written in this transaction: the parents kept under the old token are no longer the directory's."""
    await store.put(GENERATION, DIRECTORY, {"token": uuid.uuid4().hex})


async def token_of(store: DocumentStore) -> str:
    """The directory's current token (one is made, in the caller's transaction, where none was written yet)."""
    found = await store.get(GENERATION, DIRECTORY)
    if found is not None and isinstance(found.get("token"), str):
        return found["token"]
    await bump(store)
    return (await store.get(GENERATION, DIRECTORY))["token"]


class KnownParents:
    """Parents (unit -> parent id, None for a root, or the book's NO_UNIT) learnt under one token: the last one seen."""

    def __init__(self) -> None:
        self.token: str | None = None
        self.parents: dict[str, object] = {}

    def under(self, token: str) -> dict[str, object]:
        """What is known under `token` (nothing if the directory changed since): a copy the batch may change."""
        return dict(self.parents) if token == self.token else {}

    def keep(self, token: str, parents: dict[str, object]) -> None:
        """A batch that wrote no unit learnt these under `token`."""
        if token != self.token:
            self.token, self.parents = token, {}
        if len(self.parents) + len(parents) <= MAX_KEPT:
            self.parents.update(parents)
