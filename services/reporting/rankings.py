"""Rankings: a unit's children (a province ranks its communes), a unit's agencies, or every unit of a level."""
from __future__ import annotations

from datetime import date

from schemas.directory import UnitLevel
from schemas.rejections import Invalid
from services.reporting.agencies import agency_figures
from services.reporting.domain.obligations import reporting
from services.reporting.domain.projection import AGENCIES, UNITS
from services.reporting.domain.ranking import FORMULA, ranked, score
from services.reporting.reading import counts_of, subtree
from services.reporting.summaries import children_of, figures, unit_doc
from services.runtime.ports import DocumentStore

OF = ("children", "agencies")


def _row(row_id: str, subject: dict, found: dict, report: dict) -> dict:
    parts = {"fallen_due": found["fallen_due"], "completion_rate": found["completion_rate"],
             "overdue_days": found["aging"]["overdue_days"], "on_time_reporting_rate": report["on_time_reporting_rate"]}
    return {"id": row_id, "subject": subject, **parts, "overdue": found["counts"]["overdue"], **score(parts)}


async def unit_ranking(store: DocumentStore, unit_id: str, today: date, *, of: str = "children", as_of: date | None = None,
                       basis: str = "a") -> dict:
    """Shape: {unit, today, of, formula, ranking: [{rank, id, subject, score, completion_rate, on_time_reporting_rate,
    overdue_days, overdue, fallen_due, completion, reporting_on_time, overdue_penalty}]}"""
    if of not in OF:
        raise Invalid(f"of must be one of {', '.join(OF)}", field="of")
    unit = await unit_doc(store, unit_id)
    day = as_of or today
    if of == "children":
        rows = await _units(store, await children_of(store, unit_id), day, as_of, basis)
    else:
        agencies = await store.find(AGENCIES, unit_id=unit_id)
        counts = await counts_of(store, [f"agency:{a['agency_id']}" for a in agencies], as_of)
        rows = []
        for a in agencies:
            c = counts[f"agency:{a['agency_id']}"]
            lead = agency_figures(c, day, basis)["lead"]
            rows.append(_row(a["agency_id"], a, lead, reporting(c, day)))
    return {"unit": unit, "today": day.isoformat(), "of": of, "formula": FORMULA, "ranking": ranked(rows)}


async def level_ranking(store: DocumentStore, level: str, today: date, *, as_of: date | None = None, basis: str = "a",
                        within: str | None = None) -> dict:
    """Every unit of a level nationwide (provinces, communes), ranked by the same score; `within` a unit: only those below it."""
    if level not in {lv.value for lv in UnitLevel}:
        raise Invalid(f"level must be one of {', '.join(lv.value for lv in UnitLevel)}", field="level")
    units = await store.find(UNITS, level=level)
    if within is not None:
        below = set(await subtree(store, within)) - {within}
        units = [u for u in units if u["unit_id"] in below]
    day = as_of or today
    return {"level": level, "within": within, "today": day.isoformat(), "formula": FORMULA,
            "ranking": ranked(await _units(store, units, day, as_of, basis))}


async def _units(store: DocumentStore, units: list[dict], day: date, as_of: date | None, basis: str) -> list[dict]:
    counts = await counts_of(store, [f"total:{u['unit_id']}" for u in units], as_of)
    rows = []
    for u in units:
        found = figures(counts[f"total:{u['unit_id']}"], day, basis)
        rows.append(_row(u["unit_id"], u, found, found["reporting"]))
    return rows
