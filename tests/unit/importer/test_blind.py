"""Blind-check plans (tests/fixtures/plans, written without looking at the
importer) against their hand-made readings; the provincial decision is also
rendered as .docx with its appendix as a real Word table."""

import io
import json
from pathlib import Path

import docx
import pytest

from services.plans.importer import import_document
from services.plans.importer.directory import agency_key

from .scoring import score

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"
NAMES = [
    "ha-tinh-province-decision-2024.txt",
    "yen-thanh-district-plan-2024.txt",
    "hoa-tien-commune-workplan-2024.txt",
]
TABLE_PLAN = "ha-tinh-province-decision-2024.txt"


def expected_for(name):
    return json.loads((PLANS / f"{name.rsplit('.', 1)[0]}.expected.json").read_text(encoding="utf-8"))


def assert_scores(draft, expected):
    result = score(draft, expected)
    assert result["found_rate"] >= 0.95, result["missing"]
    assert result["invented"] == []
    assert result["lead_accuracy"] >= 0.95, result["lead_mismatches"]
    assert result["timing_accuracy"] >= 0.95, result["timing_mismatches"]
    assert result["support_accuracy"] >= 0.9, result["support_mismatches"]


@pytest.fixture(scope="module", params=NAMES)
def plan(request):
    name = request.param
    return import_document((PLANS / name).read_bytes(), name), expected_for(name)


def test_blind_plan_matches_its_reading(plan):
    assert_scores(*plan)


def test_blind_plan_header(plan):
    draft, expected = plan
    want = expected["plan"]
    assert draft.plan.number == want["number"]
    assert draft.plan.issued_on == want["issued_on"]
    assert agency_key(draft.plan.issuer) == agency_key(want["issuer"])


def _cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def decision_as_docx() -> bytes:
    """The decision as Word paragraphs, its appendix as a real Word table."""
    document = docx.Document()
    table = None
    for raw in (PLANS / TABLE_PLAN).read_text(encoding="utf-8").splitlines():
        if raw.startswith("|"):
            if set(raw) <= set("|- "):
                continue
            cells = _cells(raw)
            if table is None:
                table = document.add_table(rows=0, cols=len(cells))
            for cell, text in zip(table.add_row().cells, cells):
                cell.text = text
            continue
        table = None
        if raw.strip():
            document.add_paragraph(raw.strip())
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_decision_as_docx_with_a_word_table_matches_its_reading():
    draft = import_document(decision_as_docx(), "quyet-dinh.docx")
    assert_scores(draft, expected_for(TABLE_PLAN))
    assert draft.plan.number == "618/QĐ-UBND"
