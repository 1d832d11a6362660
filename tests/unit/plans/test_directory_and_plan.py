"""The directory and plan decisions: the hierarchy is data; a plan names only known agencies."""
from __future__ import annotations

import pytest

from schemas.directory import RegisterAgency, RegisterUnit
from schemas.plans import IssuePlan, PlanIssued, TaskAssigned
from schemas.rejections import Conflict, Invalid, NotFound
from services.plans.domain.directory import register_agency, register_unit
from services.plans.domain.plan import issue_plan

PROVINCE = {"unit_id": "cb", "level": "province"}
COMMUNE = {"unit_id": "xa", "level": "commune", "parent_id": "cb"}


def test_a_commune_may_sit_directly_under_a_province_as_after_july_2025():
    events = register_unit(RegisterUnit(unit_id="xa", name="Xã A", level="commune", parent_id="cb"), None, PROVINCE)
    assert events[0].parent_id == "cb"


def test_a_unit_cannot_sit_under_a_unit_of_its_own_or_a_lower_level():
    with pytest.raises(Invalid):
        register_unit(RegisterUnit(unit_id="h", name="Huyện", level="district", parent_id="xa"), None, COMMUNE)


def test_a_unit_needs_a_known_parent_unless_it_is_a_province():
    with pytest.raises(NotFound):
        register_unit(RegisterUnit(unit_id="xa", name="Xã", level="commune", parent_id="nope"), None, None)
    with pytest.raises(Invalid):
        register_unit(RegisterUnit(unit_id="xa", name="Xã", level="commune"), None, None)


def test_a_unit_or_agency_is_registered_once():
    with pytest.raises(Conflict):
        register_unit(RegisterUnit(unit_id="cb", name="Tỉnh", level="province"), PROVINCE, None)
    with pytest.raises(Conflict):
        register_agency(RegisterAgency(agency_id="ca", unit_id="xa", name="Công an xã", head_title="Trưởng"), {"agency_id": "ca"}, COMMUNE)


def plan(**changes) -> IssuePlan:
    body = {"plan_id": "p", "unit_id": "xa", "title": "Kế hoạch", "tasks": [
        {"content": "Nhiệm vụ một", "lead": "ca", "support": ["vp"], "timing": {"due": "2023-03-31"}},
        {"content": "Nhiệm vụ hai", "lead": "vp", "timing": {"recurring": True}}]}
    body.update(changes)
    return IssuePlan(**body)


def test_issuing_a_plan_assigns_every_task_once():
    events = issue_plan(plan(), None, COMMUNE, {"ca": {}, "vp": {}})
    assert isinstance(events[0], PlanIssued) and events[0].task_ids == ["p.t001", "p.t002"]
    assert [type(e) for e in events[1:]] == [TaskAssigned, TaskAssigned]
    assert events[1].support == ["vp"] and events[2].timing.recurring


def test_an_unknown_agency_is_named_in_the_refusal():
    with pytest.raises(NotFound) as refused:
        issue_plan(plan(), None, COMMUNE, {"ca": {}})
    assert refused.value.field == "tasks.0.support"


def test_a_lead_cannot_also_coordinate_and_a_plan_is_issued_once():
    with pytest.raises(Invalid):
        issue_plan(plan(tasks=[{"content": "x", "lead": "ca", "support": ["ca"]}]), None, COMMUNE, {"ca": {}})
    with pytest.raises(Conflict):
        issue_plan(plan(), {"plan_id": "p"}, COMMUNE, {"ca": {}, "vp": {}})


def test_a_start_after_the_due_date_is_invalid_input():
    with pytest.raises(ValueError):
        plan(tasks=[{"content": "x", "lead": "ca", "timing": {"due": "2023-03-01", "start": "2023-04-01"}}])


def test_a_plan_issued_keeps_its_issuer_level_month_references_schedules_and_targets():
    schedule = {"schedule_id": "r1", "frequency": "monthly", "day_of_month": 14, "recipient": "Công an huyện"}
    target = {"indicator_id": "vneid", "name": "trên 35.000 tài khoản VNeID", "value": 35000, "comparator": "above", "year": 2025}
    events = issue_plan(plan(issuer="UBND xã A", number="32/KH-UBND", issued_period="2023-02", references=["Kế hoạch số 10/KH-UBND"],
                             reporting_schedules=[schedule], targets=[target]), None, COMMUNE, {"ca": {}, "vp": {}})
    issued = events[0]
    assert (issued.issuer, issued.level.value, issued.number, issued.issued_on, issued.issued_period) == (
        "UBND xã A", "commune", "32/KH-UBND", None, "2023-02")
    assert issued.reporting_schedules[0].day_of_month == 14 and issued.targets[0].value == 35000
    assert issued.due_soon_days == 7
    assert events[1].schedule is None and events[2].schedule.schedule_id == "r1"  # only the recurring task is judged per period


def test_a_month_that_is_not_a_period_is_refused():
    with pytest.raises(ValueError):
        plan(issued_period="02/2023")


PROVINCE_PLAN = {"plan_id": "tinh", "unit_id": "cb", "tasks": [{"task_id": "tinh.t001", "content": "Làm sạch dữ liệu dân cư"}]}


def test_a_task_carries_out_a_task_of_the_plan_above_that_it_implements():
    command = plan(implements=["tinh"], tasks=[{"content": "Làm sạch dữ liệu", "lead": "ca", "parent_task_id": "tinh.t001",
                                                "clause": "II.1.a"}])
    events = issue_plan(command, None, COMMUNE, {"ca": {}}, {"tinh": PROVINCE_PLAN}, frozenset({"cb"}))
    assert events[0].implements == ["tinh"]
    assert (events[1].parent_task_id, events[1].clause) == ("tinh.t001", "II.1.a")


def test_a_parent_task_outside_the_plans_implemented_is_refused_naming_the_task():
    command = plan(implements=["tinh"], tasks=[{"content": "x", "lead": "ca", "parent_task_id": "tinh.t999"}])
    with pytest.raises(NotFound) as refused:
        issue_plan(command, None, COMMUNE, {"ca": {}}, {"tinh": PROVINCE_PLAN}, frozenset({"cb"}))
    assert refused.value.field == "tasks.0.parent_task_id"
    with pytest.raises(NotFound) as refused:
        issue_plan(plan(tasks=[{"content": "x", "lead": "ca", "parent_task_id": "tinh.t001"}]), None, COMMUNE, {"ca": {}})
    assert refused.value.field == "tasks.0.parent_task_id"


def test_a_plan_can_only_implement_a_known_plan_issued_above_it():
    with pytest.raises(NotFound) as refused:
        issue_plan(plan(implements=["nope"]), None, COMMUNE, {"ca": {}, "vp": {}}, {}, frozenset({"cb"}))
    assert refused.value.field == "implements.0"
    with pytest.raises(Invalid) as refused:
        issue_plan(plan(implements=["tinh"]), None, COMMUNE, {"ca": {}, "vp": {}}, {"tinh": PROVINCE_PLAN}, frozenset())
    assert refused.value.field == "implements.0"


@pytest.mark.parametrize("words, rule", [
    ("Trong vòng 15 ngày kể từ khi có Chỉ thị của UBND huyện", (False, 15)),
    ("Ngay sau khi có Kế hoạch của Bộ Công an", (True, None)),
    ("Theo Kế hoạch của UBND tỉnh", (False, None)),
])
def test_a_condition_gets_the_rule_for_the_time_after_from_its_words(words, rule):
    events = issue_plan(plan(tasks=[{"content": "x", "lead": "ca", "timing": {"condition": words}}]), None, COMMUNE, {"ca": {}})
    got = events[1].timing.condition_rule
    assert (got.immediately, got.days_after) == rule
