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
