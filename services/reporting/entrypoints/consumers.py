"""Kafka entrypoints of reporting: the projection (plans and tasks topics) and the live views (tasks and notify topics)."""
from __future__ import annotations

from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS
from services.reporting.handlers.escalations import follow_escalations
from services.reporting.handlers.repository.counters import Memory
from services.reporting.handlers.project import CONSUMER, ProjectionProgress, project
from services.reporting.handlers.timeline import record_timelines
from services.runtime.service import ServiceRuntime


def register(rt: ServiceRuntime, memory: Memory | None = None) -> ProjectionProgress:
    """Subscribe the projection; units, agencies and plans come from plans, task state from tasks.

    With a `memory` (a rebuild) views and counters stay in memory until `progress.memory` is written
    and set to None; from then on batches are applied to the store as usual."""
    progress = ProjectionProgress()
    progress.memory = memory

    async def on_events(batch) -> None:
        await project(batch, rt.store, progress, progress.memory, checkpointed=True)

    rt.subscribe_events([PLANS_EVENTS, TASKS_EVENTS], CONSUMER, on_events, atomic=True)  # the store only: views and checkpoints, one commit
    return progress


LIVE = "reporting.live"


def register_live(rt: ServiceRuntime) -> None:
    """Subscribe the dashboard's live views: escalations in progress (notify) and each task's timeline (tasks, notify)."""

    async def on_events(batch) -> None:
        await follow_escalations(batch, rt.store)
        await record_timelines(batch, rt.store)

    rt.subscribe_events([TASKS_EVENTS, NOTIFY_EVENTS], LIVE, on_events, atomic=True)
