"""A unit's figures from its counters: buckets, rates and aging, own and rolled up, and its children's.

Reads O(children) documents: the unit's own and total counters and each child's total. With
`as_of` the counters are the sums of their per-day deltas up to that day (events up to D), and
the buckets are judged on D. `basis` chooses the original or the adjusted due dates.
"""
from __future__ import annotations

from datetime import date

from schemas.rejections import Invalid, NotFound
from services.reporting.domain.counters import BASES
from services.reporting.domain.figures import buckets_and_aging, rates, split
from services.reporting.domain.obligations import reporting
from services.reporting.domain.projection import UNITS, Doc
from services.reporting.reading import counts_of
from services.runtime.ports import DocumentStore

RATES = ("completion_rate", "on_time_rate", "fallen_due")


def check_basis(basis: str) -> str:
    if basis not in BASES:
        raise Invalid(f"basis must be one of {', '.join(BASES)}", field="basis")
    return BASES[basis]


def check_as_of(as_of: str | None, today: date) -> date | None:
    """The as_of day (YYYY-MM-DD), refused when unparseable or after today; None for today."""
    if as_of is None or as_of == "":
        return None
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise Invalid(f"as_of must be a date YYYY-MM-DD, not {as_of!r}", field="as_of") from None
    if day > today:
        raise Invalid(f"as_of {day.isoformat()} is in the future (today is {today.isoformat()})", field="as_of")
    return None if day == today else day


async def unit_doc(store: DocumentStore, unit_id: str) -> Doc:
    doc = await store.get(UNITS, unit_id)
    if doc is None:
        raise NotFound(f"no unit with id {unit_id!r}", field="unit_id")
    return doc


async def children_of(store: DocumentStore, unit_id: str) -> list[Doc]:
    """The units directly below, in one indexed query (by parent_id), in id order."""
    return sorted((d for d in await store.find(UNITS, parent_id=unit_id) if d["unit_id"] != unit_id), key=lambda d: d["unit_id"])


def figures(counts: dict[str, int], day: date, basis: str) -> dict:
    """Buckets, rates, aging and status-report count of one counter map."""
    tasks, reports = split(counts, basis)
    counted, late = buckets_and_aging(tasks, day, basis)
    return {"counts": counted, **rates(counted), "aging": late,
            "status_reports": counts.get("status_reports", 0), "reporting": reporting(reports, day)}


async def unit_figures(store: DocumentStore, unit_id: str, today: date, *, as_of: date | None = None, basis: str = "a",
                       include_descendants: bool = True) -> dict:
    """{unit, day, own, total, children: [{unit, total}]} with figures() for own, total and each child's total."""
    unit = await unit_doc(store, unit_id)
    kids = await children_of(store, unit_id) if include_descendants else []
    owners = [f"own:{unit_id}", f"total:{unit_id}", *(f"total:{c['unit_id']}" for c in kids)]
    counts = await counts_of(store, owners, as_of)
    day = as_of or today
    own = figures(counts[f"own:{unit_id}"], day, basis)
    total = figures(counts[f"total:{unit_id}"], day, basis) if include_descendants else own
    return {"unit": unit, "day": day, "own": own, "total": total,
            "children": [{"unit": c, "total": figures(counts[f"total:{c['unit_id']}"], day, basis)} for c in kids]}
