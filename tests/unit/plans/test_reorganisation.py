"""Given the directory, when it is reorganised by a dated command, then dated events; bad ones refused, nothing changed."""
from __future__ import annotations

from datetime import date

import pytest

from schemas.directory import AbolishLevel, MergeUnits, MoveUnit, RenameUnit, SplitUnit, UnitMoved, UnitsMerged
from schemas.rejections import Conflict, Invalid, NotFound
from services.plans.domain import reorganisation as decide
from services.plans.domain.history import as_of, changes

TODAY = date(2025, 7, 10)
JULY = date(2025, 7, 1)
UNITS = {
    "cb": {"unit_id": "cb", "name": "Tỉnh Cao Bằng", "level": "province", "parent_id": None},
    "hq": {"unit_id": "hq", "name": "Huyện Hà Quảng", "level": "district", "parent_id": "cb", "established_on": "2020-01-01"},
    "x1": {"unit_id": "x1", "name": "Xã Trường Hà", "level": "commune", "parent_id": "hq"},
    "x2": {"unit_id": "x2", "name": "Xã Nà Sác", "level": "commune", "parent_id": "hq"},
    "x3": {"unit_id": "x3", "name": "Xã Trường Hà (mới)", "level": "commune", "parent_id": "hq"},
    "t1": {"unit_id": "t1", "name": "Xóm Bản Sẳng", "level": "village", "parent_id": "x1"},
}


def test_communes_merge_into_a_new_one_and_their_villages_follow():
    events = decide.merge(MergeUnits(unit_ids=["x1", "x2"], into="x3", effective_on=JULY), UNITS, [UNITS["t1"]], TODAY)
    assert isinstance(events[0], UnitsMerged)
    assert events[1:] == [UnitMoved(unit_id="t1", from_parent="x1", to_parent="x3", effective_on=JULY)]


@pytest.mark.parametrize("command, field", [
    (MergeUnits(unit_ids=["hq"], into="x1", effective_on=JULY), "unit_ids.0"),  # x1 is below hq: a cycle
    (MergeUnits(unit_ids=["x1"], into="x3", effective_on=date(2025, 7, 11)), "effective_on"),  # in the future
    (MergeUnits(unit_ids=["x1"], into="hq", effective_on=JULY), "unit_ids.0"),  # a commune into a district
    (MergeUnits(unit_ids=["nope"], into="x3", effective_on=JULY), "unit_ids.0"),
])
def test_a_bad_merge_is_refused_naming_the_field(command, field):
    with pytest.raises((Invalid, NotFound)) as refused:
        decide.merge(command, UNITS, [], TODAY)
    assert refused.value.field == field


def test_a_reorganisation_dated_before_the_unit_existed_is_refused():
    with pytest.raises(Invalid) as refused:
        decide.rename("hq", RenameUnit(name="Huyện Hà Quảng mới", effective_on=date(2019, 5, 1)), UNITS, TODAY)
    assert refused.value.field == "effective_on" and "2020-01-01" in refused.value.detail


def test_moving_a_unit_under_its_own_descendant_is_a_cycle():
    with pytest.raises(Invalid) as refused:
        decide.move("x1", MoveUnit(parent_id="t1", effective_on=JULY), UNITS, TODAY)
    assert refused.value.field == "parent_id"
    with pytest.raises(Conflict):
        decide.move("x1", MoveUnit(parent_id="hq", effective_on=JULY), UNITS, TODAY)


def test_a_split_hands_its_children_to_the_successor():
    events = decide.split(SplitUnit(unit_id="x1", into=["x2", "x3"], successor_id="x3", effective_on=JULY), UNITS, [UNITS["t1"]], TODAY)
    assert events[1].to_parent == "x3"
    with pytest.raises(Invalid) as refused:
        decide.split(SplitUnit(unit_id="x1", into=["x2", "x3"], successor_id="cb", effective_on=JULY), UNITS, [], TODAY)
    assert refused.value.field == "successor_id"


def test_abolishing_districts_moves_communes_to_the_province_and_tasks_to_the_successors():
    communes = [UNITS["x1"], UNITS["x2"], UNITS["x3"]]
    events = decide.abolish_level(AbolishLevel(level="district", effective_on=JULY), [UNITS["hq"]], UNITS, communes, TODAY)
    assert [(s.unit_id, s.successor_id) for s in events[0].successions] == [("hq", "cb")]
    assert {(m.unit_id, m.to_parent) for m in events[1:]} == {("x1", "cb"), ("x2", "cb"), ("x3", "cb")}
    with pytest.raises(Invalid):
        decide.abolish_level(AbolishLevel(level="province", effective_on=JULY), [UNITS["cb"]], UNITS, [], TODAY)


def test_the_tree_of_a_day_before_a_change_still_answers():
    x1 = UNITS["x1"]
    for event in [UnitMoved(unit_id="x1", from_parent="hq", to_parent="cb", effective_on=JULY),
                  *decide.rename("x1", RenameUnit(name="Xã Trường Hà mới", effective_on=JULY), UNITS, TODAY)]:
        x1 = changes(event)["x1"](x1)
    assert (as_of(x1, date(2025, 6, 30))["parent_id"], as_of(x1, date(2025, 6, 30))["name"]) == ("hq", "Xã Trường Hà")
    assert (as_of(x1, JULY)["parent_id"], as_of(x1, JULY)["name"]) == ("cb", "Xã Trường Hà mới")
    ceased = changes(UnitsMerged(unit_ids=["x1"], into="x3", effective_on=JULY))["x1"](x1)
    assert as_of(ceased, date(2025, 6, 30)) is not None and as_of(ceased, JULY) is None


def test_a_ceased_unit_issues_no_plan_and_takes_no_new_units():
    from schemas.directory import RegisterUnit
    from schemas.plans import IssuePlan
    from services.plans.domain.directory import register_unit
    from services.plans.domain.plan import issue_plan

    ceased = {**UNITS["hq"], "ceased_on": "2025-07-01", "successor_id": "cb"}
    with pytest.raises(Conflict) as refused:
        issue_plan(IssuePlan(plan_id="p", unit_id="hq", title="Kế hoạch", tasks=[{"content": "x", "lead": "ca"}]), None, ceased, {"ca": {}})
    assert refused.value.field == "unit_id" and "'cb'" in refused.value.detail
    with pytest.raises(Conflict) as refused:
        register_unit(RegisterUnit(unit_id="xa", name="Xã", level="commune", parent_id="hq"), None, ceased)
    assert refused.value.field == "parent_id"
