"""Kafka entrypoint of reporting: one consumer of the plans and tasks topics feeding the read model."""
from __future__ import annotations

from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS
from services.reporting.handlers.repository.counters import Memory
from services.reporting.handlers.project import CONSUMER, ProjectionProgress, project
from services.runtime.service import ServiceRuntime


def register(rt: ServiceRuntime, memory: Memory | None = None) -> ProjectionProgress:
    """Subscribe the projection; units, agencies and plans come from plans, task state from tasks.

    With a `memory` (a rebuild) views and counters stay in memory until `progress.memory` is written
    and set to None; from then on batches are applied to the store as usual."""
    progress = ProjectionProgress()
    progress.memory = memory

    async def on_events(batch) -> None:
        await project(batch, rt.store, progress, progress.memory)

    rt.bus.subscribe_events([PLANS_EVENTS, TASKS_EVENTS], rt.group("projection"), CONSUMER, on_events)
    return progress
