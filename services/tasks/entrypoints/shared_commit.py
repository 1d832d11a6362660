"""Status reports of concurrent requests committed together: one transaction, one COMMIT, one wake of the relay.

A request's batch costs a transaction of its own besides its reports (BEGIN, the COMMIT's pages and the WAL frames
every commit writes, the relay's read, hand-over and stored position after it): at national size, three requests of 16
reports carried out in one transaction cost 20-25% less CPU per report than in three (bench/history/national-scale.md,
"P1: concurrent requests share a commit"). So a request hands its work here and waits: the first of a group starts a
turn, which lets the event loop go round a few times (requests already read join it), then carries out every waiting
request's work, in arrival order, in one transaction, and answers each.

Each request's work is what it was: its own reads, decision, append and snapshot write, each request in its own
savepoint (one that fails is undone alone and answered with its error; the others are written), its events stored
with its own trace context (`attach`), so the records the relay publishes carry the request's trace as before. A
request cancelled before its turn (the client went away) is not carried out. A turn takes requests until they hold
MAX_REPORTS_PER_TURN reports (always one at least): a turn holds the event loop as long as the largest request may.
The work must not await real I/O in SQLite (the rule of `SqliteStore.transaction`); in MongoDB the turn's transaction
is its session, which the work's calls join.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from opentelemetry import context as otel_context

from schemas.tasks import MAX_REPORTS_PER_REQUEST
from services.runtime.ports import Store

TURNS_BEFORE_COMMIT = 3  # loop iterations a turn waits for requests read meanwhile (microseconds on an idle service)
MAX_REPORTS_PER_TURN = MAX_REPORTS_PER_REQUEST  # reports carried out in one transaction, at most (one request may hold as many)


@dataclass
class _Waiting:
    work: Callable[[], Awaitable[Any]]
    reports: int
    trace: otel_context.Context
    answer: asyncio.Future


class SharedCommit:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._waiting: list[_Waiting] = []
        self._turn: asyncio.Task | None = None

    async def run(self, work: Callable[[], Awaitable[Any]], reports: int) -> Any:
        """`work()`'s result once committed with the other waiting requests' (or its error, nothing of it written)."""
        waiting = _Waiting(work, reports, otel_context.get_current(), asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        if self._turn is None:
            self._turn = asyncio.get_running_loop().create_task(self._next_turn())
        return await waiting.answer  # cancelled with the request: its turn then skips it

    async def _next_turn(self) -> None:
        for _ in range(TURNS_BEFORE_COMMIT):
            await asyncio.sleep(0)
        group, held = [], 0
        while self._waiting and (not group or held + self._waiting[0].reports <= MAX_REPORTS_PER_TURN):
            held += self._waiting[0].reports
            group.append(self._waiting.pop(0))
        self._turn = asyncio.get_running_loop().create_task(self._next_turn()) if self._waiting else None
        await self._carry_out([w for w in group if not w.answer.done()])

    async def _carry_out(self, group: list[_Waiting]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        try:
            async with self._store.transaction():
                for waiting in group:
                    outcomes.append(await self._one(waiting))
        except Exception as error:  # the commit failed: nothing of the group was written
            for waiting in group:
                if not waiting.answer.done():
                    waiting.answer.set_exception(error)
            return
        except BaseException:  # cancelled (the service stops): so are the requests waiting on it
            for waiting in group:
                waiting.answer.cancel()
            raise
        for waiting, (done, value) in zip(group, outcomes):
            if not waiting.answer.done():
                (waiting.answer.set_result if done else waiting.answer.set_exception)(value)

    async def _one(self, waiting: _Waiting) -> tuple[bool, Any]:
        """(True, the result) or (False, the error), the request's trace context current meanwhile."""
        token = otel_context.attach(waiting.trace)
        try:
            async with self._store.transaction():  # a savepoint: undone alone if the work fails
                return True, await waiting.work()
        except Exception as error:
            return False, error
        finally:
            otel_context.detach(token)
