"""Figures as reporting serves them (issue 7): a unit's summary, its children, the ranking, obligations, indicators.

The dashboard reads these through reporting's own query functions (the same ones behind the JSON
API), so a page and `GET /units/{id}/summary` can never disagree. `as_of` is passed only for a
past day; reporting then rebuilds the figures from the events up to that day.
"""
from __future__ import annotations

from datetime import date

from services.reporting import indicators, obligations, rankings, summaries, views
from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.figures import Figures
from services.reporting.domain.counters import GROUPS, is_group_key
from services.reporting.domain.figures import AGING, aging, buckets
from services.reporting.domain.ranking import FORMULA
from services.reporting.dashboard.trendcache import TrendCache
from services.reporting.reading import counts_of, group_counts_of
from services.runtime.ports import DocumentStore


def _as_of(page: PageContext) -> date | None:
    return page.as_of if page.past else None


def to_figures(counts: dict, aging: dict) -> Figures:
    """reporting's bucket counts and aging as the dashboard's Figures (rates follow from the counts by the same rule)."""
    found = Figures()
    found.counts.update(counts)
    found.aging = [aging.get(name, 0) for name, _, _ in AGING]
    found.overdue_days = aging.get("overdue_days", 0)
    return found


async def summary(store: DocumentStore, unit_id: str, page: PageContext) -> dict:
    return await views.unit_summary(store, unit_id, page.today, page.lang, as_of=_as_of(page))


async def totals_on(store: DocumentStore, unit_id: str, days: list[date], today: date, cache: TrendCache | None = None) -> list[dict]:
    """The unit's rolled-up figures at the end of each of `days` (for the trend), as reporting had them then."""
    owner, found = f"total:{unit_id}", []
    for day in days:
        kept = cache.get(unit_id, day) if cache and day < today else None
        if kept is None:
            counts = await counts_of(store, [owner], day if day < today else None)
            kept = summaries.figures(counts[owner], day, "a")
            if cache and day < today:
                cache.put(unit_id, day, kept)
        found.append(kept)
    return found


async def by_group(store: DocumentStore, unit_ids: list[str], page: PageContext) -> dict[str, dict[int, Figures]]:
    """Per unit (its whole subtree) and utility group: the figures from its total counters under the group's prefix.

    One pass over each unit's group document (handlers/repository/counters: `group_counters`) splits its keys by group
    (`g3|a|open|…` → group 3's `a|open|…`); buckets and aging then read only that group's keys."""
    counts = await group_counts_of(store, [f"total:{u}" for u in unit_ids], _as_of(page))
    found = {}
    for unit in unit_ids:
        groups: dict[int, dict[str, int]] = {g: {} for g in GROUPS}
        for key, value in counts[f"total:{unit}"].items():
            if is_group_key(key) and int(key[1]) in groups:
                groups[int(key[1])][key[3:]] = value
        found[unit] = {g: to_figures(buckets(keys, page.as_of, "a"), aging(keys, page.as_of, "a")) for g, keys in groups.items()}
    return found


async def ranking(store: DocumentStore, unit_id: str, page: PageContext) -> dict:
    found = await rankings.unit_ranking(store, unit_id, page.today, of="children", as_of=_as_of(page))
    return {"rows": found["ranking"], "formula": FORMULA[page.lang]}


async def non_reporters(store: DocumentStore, unit_id: str, period: str, page: PageContext) -> dict:
    return await obligations.period_obligations(store, unit_id, period, page.as_of)


async def indicator_rows(store: DocumentStore, unit_id: str, period: str) -> list[dict]:
    return (await indicators.unit_indicators(store, unit_id, period))["indicators"]
