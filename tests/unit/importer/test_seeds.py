"""Each seed plan against its hand-made reading (shared/seeds/*.expected.json)."""

import json

import pytest

from importer import import_document
from importer.vocabulary.agency_directory import agency_key

from .scoring import score

from tests.support.seeds import SEEDS
NAMES = ["ha-quang-district-plan-2022", "te-loi-commune-plan-2023", "binh-phuoc-justice-dept-plan-2022"]


def load(name):
    data = (SEEDS / f"{name}.txt").read_bytes()
    expected = json.loads((SEEDS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return import_document(data, f"{name}.txt"), expected


@pytest.fixture(scope="module", params=NAMES)
def seed(request):
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds not available")
    return load(request.param)


def test_every_expected_task_is_found(seed):
    draft, expected = seed
    result = score(draft, expected)
    assert result["missing"] == []
    assert result["found_rate"] == 1.0


def test_no_task_is_invented(seed):
    draft, expected = seed
    assert score(draft, expected)["invented"] == []


def test_leads_match_after_name_normalization(seed):
    draft, expected = seed
    result = score(draft, expected)
    assert result["lead_accuracy"] >= 0.95, result["lead_mismatches"]


def test_timing_values_match(seed):
    draft, expected = seed
    result = score(draft, expected)
    assert result["timing_accuracy"] >= 0.95, result["timing_mismatches"]


def test_coordinating_agencies_match(seed):
    draft, expected = seed
    result = score(draft, expected)
    assert result["support_accuracy"] >= 0.9, result["support_mismatches"]


def test_plan_header_matches(seed):
    draft, expected = seed
    want = expected["plan"]
    assert draft.plan.number == want["number"]
    assert draft.plan.issued_on == want["issued_on"]
    assert agency_key(draft.plan.issuer) == agency_key(want["issuer"])
    assert draft.plan.references == want["references"]
    assert draft.plan.title


def test_reporting_cycles_and_days_match(seed):
    draft, expected = seed
    got = sorted((r.cycle, r.due_day or 0) for r in draft.reporting)
    want = sorted((r["cycle"], r["due_day"] or 0) for r in expected["reporting"])
    assert got == want


def test_targets_match(seed):
    draft, expected = seed
    got = [(t.value, t.unit, t.by) for t in draft.targets]
    want = [(t["value"], t["unit"], t["by"]) for t in expected["targets"]]
    assert got == want
    for target, wanted in zip(draft.targets, expected["targets"]):
        assert target.text == wanted["text"]


def test_the_draft_serializes_to_the_documented_json_shape(seed):
    draft, _ = seed
    data = draft.to_json_dict()
    assert set(data) == {"plan", "reporting", "tasks", "targets", "warnings"}
    assert set(data["plan"]) == {"number", "title", "issuer", "issued_on", "references"}
    task = data["tasks"][0]
    assert set(task) == {"code", "section", "content", "lead", "support", "lead_ids", "support_ids", "timing"}
    assert set(task["timing"]) == {"raw", "due", "start", "recurring", "condition"}
    json.dumps(data, ensure_ascii=False)


def test_an_impossible_date_is_reported_in_warnings():
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds not available")
    draft, _ = load("te-loi-commune-plan-2023")
    assert any("31/11/2023" in w.message for w in draft.warnings)


def test_seeds_folder_is_taken_from_tiendo_seeds_dir_when_set(monkeypatch, tmp_path):
    from tests.support.seeds import seeds_dir

    monkeypatch.setenv("TIENDO_SEEDS_DIR", str(tmp_path / "elsewhere"))
    assert seeds_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("TIENDO_SEEDS_DIR")
    assert seeds_dir().parts[-2:] == ("shared", "seeds")  # default: shared/seeds beside the checkout
    assert seeds_dir() != tmp_path / "elsewhere"
