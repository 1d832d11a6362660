"""The directory through time: how each reorganisation changes the units' entries, and the tree as it stood on a day.

An entry keeps its earlier names and parents with the day they ended, so the historic tree answers as well as the
current one; figures dated before a change stay with the tree of their day.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from schemas.directory import UnitLevelAbolished, UnitMoved, UnitRenamed, UnitsMerged, UnitSplit
from schemas.envelope import Payload

Doc = dict[str, Any]


def changes(event: Payload) -> dict[str, Any]:
    """unit_id -> a function of its entry, for every unit the event changes."""
    day = event.effective_on.isoformat()
    if isinstance(event, UnitsMerged):
        return {u: lambda d, u=u: {**d, "ceased_on": day, "successor_id": event.into} for u in event.unit_ids}
    if isinstance(event, UnitSplit):
        return {event.unit_id: lambda d: {**d, "ceased_on": day, "successor_id": event.successor_id, "split_into": list(event.into)}}
    if isinstance(event, UnitLevelAbolished):
        return {s.unit_id: lambda d, s=s: {**d, "ceased_on": day, "successor_id": s.successor_id} for s in event.successions}
    if isinstance(event, UnitRenamed):
        return {event.unit_id: lambda d: {**d, "name": event.new_name,
                                          "former_names": [*d.get("former_names", []), {"name": event.old_name, "until": day}]}}
    if isinstance(event, UnitMoved):
        return {event.unit_id: lambda d: {**d, "parent_id": event.to_parent,
                                          "former_parents": [*d.get("former_parents", []), {"parent_id": event.from_parent, "until": day}]}}
    return {}


def as_of(doc: Mapping[str, Any], day: date) -> Doc | None:
    """The entry as it stood on `day`, or None when the unit did not exist then."""
    if doc.get("established_on") and day < date.fromisoformat(doc["established_on"]):
        return None
    if doc.get("ceased_on") and day >= date.fromisoformat(doc["ceased_on"]):
        return None
    name = next((f["name"] for f in doc.get("former_names", []) if day < date.fromisoformat(f["until"])), doc["name"])
    parent = next((f["parent_id"] for f in doc.get("former_parents", []) if day < date.fromisoformat(f["until"])), doc.get("parent_id"))
    return {k: doc.get(k) for k in ("unit_id", "level", "head_title")} | {"name": name, "parent_id": parent}
