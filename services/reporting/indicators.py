"""Indicator values of a unit for a period, rolled up its subtree by each target's rule, against the targets.

Targets come from the plans of the unit and of its ancestors (the nearest plan naming an indicator
defines its rule); values from the periodic reports of the period (the latest revision of each).
Computed at query time over the subtree's reports of that one period.
"""
from __future__ import annotations

from services.reporting.domain.indicators import Entry, combine, progress
from services.reporting.domain.projection import PLANS, UNITS
from services.reporting.handlers.obligations import REPORTS
from services.reporting.obligations import check_period
from services.reporting.summaries import unit_doc
from services.runtime.ports import DocumentStore


async def unit_indicators(store: DocumentStore, unit_id: str, period: str) -> dict:
    """Shape: {unit, period, indicators: [{indicator_id, name, unit_of_measure, rollup, base_indicator_id, target,
    own, total, progress, met, children: [{unit, total, target, progress, met}]}]}"""
    check_period(period)
    unit = await unit_doc(store, unit_id)
    tree = await _subtree(store, unit_id)
    targets = await _targets(store, unit, tree)
    reports = [r for r in await store.find(REPORTS, unit_id=list(tree)) if r["period"] == period]
    own: dict[str, dict[str, list[Entry]]] = {}
    for report in reports:
        values = {v["indicator_id"]: v["value"] for v in report["indicators"]}
        for indicator, value in values.items():
            base_id = (targets.get(indicator) or {}).get("base_indicator_id")
            entry = Entry(value, values.get(base_id) if base_id else None, report["submitted_on"])
            own.setdefault(indicator, {}).setdefault(report["unit_id"], []).append(entry)
    found = []
    for indicator in sorted({*targets, *own}):
        target = targets.get(indicator, {"indicator_id": indicator, "name": indicator, "rollup": "sum"})
        totals = _rolled(tree, unit_id, own.get(indicator, {}), target.get("rollup", "sum"))
        mine = combine(target.get("rollup", "sum"), own.get(indicator, {}).get(unit_id, []))
        total = _value(totals.get(unit_id))
        children = [_child(tree[c], _value(totals.get(c)), indicator) for c in tree[unit_id]["children"]]
        found.append({"indicator_id": indicator, "name": target.get("name"), "unit_of_measure": target.get("unit_of_measure"),
                      "rollup": target.get("rollup", "sum"), "base_indicator_id": target.get("base_indicator_id"),
                      "target": _public(target) if target.get("value") is not None else None, "own": _value(mine),
                      "total": total, **progress(total, target), "children": children})
    return {"unit": unit, "period": period, "indicators": found}


async def _subtree(store: DocumentStore, unit_id: str) -> dict[str, dict]:
    """unit_id -> {doc, children, targets}: the unit and everything below it, level by level."""
    tree = {unit_id: {"doc": await unit_doc(store, unit_id), "children": [], "targets": {}}}
    frontier = [unit_id]
    while frontier:
        below = [u for u in await store.find(UNITS, parent_id=frontier) if u["unit_id"] not in tree]
        for doc in sorted(below, key=lambda d: d["unit_id"]):
            tree[doc["unit_id"]] = {"doc": doc, "children": [], "targets": {}}
            tree[doc["parent_id"]]["children"].append(doc["unit_id"])
        frontier = [d["unit_id"] for d in below]
    for plan in await store.find(PLANS, unit_id=list(tree)):
        for target in plan.get("targets") or ():
            tree[plan["unit_id"]]["targets"].setdefault(target["indicator_id"], target)
    return tree


async def _targets(store: DocumentStore, unit: dict, tree: dict[str, dict]) -> dict[str, dict]:
    """indicator_id -> the nearest target: the unit's own plans first, then its ancestors', then any below."""
    chain, current = [unit["unit_id"]], unit
    while current.get("parent_id") and current["parent_id"] not in chain:
        chain.append(current["parent_id"])
        current = await store.get(UNITS, current["parent_id"]) or {}
    found: dict[str, dict] = {}
    plans = await store.find(PLANS, unit_id=chain)
    for unit_id in chain:
        for plan in (p for p in plans if p["unit_id"] == unit_id):
            for target in plan.get("targets") or ():
                found.setdefault(target["indicator_id"], {**target, "_unit_id": unit_id})
    for node in tree.values():
        for indicator, target in node["targets"].items():
            found.setdefault(indicator, {**target, "_unit_id": node["doc"]["unit_id"]})
    return found


def _rolled(tree: dict[str, dict], unit_id: str, own: dict[str, list[Entry]], rule: str) -> dict[str, Entry | None]:
    totals: dict[str, Entry | None] = {}

    def visit(node: str) -> Entry | None:
        parts = [e for c in tree[node]["children"] if (e := visit(c)) is not None] + own.get(node, [])
        totals[node] = combine(rule, parts)
        return totals[node]

    visit(unit_id)
    return totals


def _child(node: dict, total: float | None, indicator: str) -> dict:
    target = node["targets"].get(indicator)
    return {"unit": node["doc"], "total": total, "target": _public(target), **progress(total, target)}


def _value(entry: Entry | None) -> float | None:
    return None if entry is None else entry.value


def _public(target: dict | None) -> dict | None:
    return None if target is None else {k: v for k, v in target.items() if not k.startswith("_")}

