"""Held-out plans (tests/fixtures/plans) in layouts beyond the seeds, against
their hand-made readings; plus .docx (real Word table) and .xlsx renderings."""

import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest

from services.plans.importer import import_document
from services.plans.importer.directory import agency_key

from .scoring import score

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"
NAMES = [
    "quang-tri-ict-dept-plan-2024.txt",
    "hac-thanh-ward-plan-2025.txt",
    "krong-bong-district-plan-2023.md",
    "dong-tien-commune-plan-2024.txt",
]
TABLE_PLAN = "krong-bong-district-plan-2023.md"


def expected_for(name):
    return json.loads((PLANS / f"{name.rsplit('.', 1)[0]}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=NAMES)
def plan(request):
    name = request.param
    return import_document((PLANS / name).read_bytes(), name), expected_for(name)


def assert_scores(draft, expected):
    result = score(draft, expected)
    assert result["missing"] == [] and result["found_rate"] == 1.0
    assert result["invented"] == []
    assert result["lead_accuracy"] >= 0.95, result["lead_mismatches"]
    assert result["timing_accuracy"] >= 0.95, result["timing_mismatches"]
    assert result["support_accuracy"] >= 0.9, result["support_mismatches"]


def test_held_out_plan_matches_its_reading(plan):
    assert_scores(*plan)


def test_held_out_plan_header(plan):
    draft, expected = plan
    want = expected["plan"]
    assert draft.plan.number == want["number"]
    assert draft.plan.issued_on == want["issued_on"]
    assert agency_key(draft.plan.issuer) == agency_key(want["issuer"])


def _pipe_cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table_plan_as_docx() -> bytes:
    """The district plan as Word: paragraphs, and the task table as a real Word table."""
    document = docx.Document()
    table = None
    for raw in (PLANS / TABLE_PLAN).read_text(encoding="utf-8").splitlines():
        if raw.startswith("|"):
            if set(raw) <= set("|- "):
                continue
            cells = _pipe_cells(raw)
            if table is None:
                table = document.add_table(rows=0, cols=len(cells))
            row = table.add_row()
            for cell, text in zip(row.cells, cells):
                cell.text = re.sub(r"<br\s*/?>", "\n", text)
            continue
        table = None
        if raw.strip():
            document.add_paragraph(raw.replace("**", "").replace("*", "").lstrip("# "))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _table_plan_as_xlsx() -> bytes:
    """The district plan's task table as a worksheet, with the title rows above it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["KẾ HOẠCH"])
    sheet.append(["Triển khai thực hiện Đề án 06 trên địa bàn huyện Krông Bông năm 2023"])
    for raw in (PLANS / TABLE_PLAN).read_text(encoding="utf-8").splitlines():
        if raw.startswith("|") and not set(raw) <= set("|- "):
            sheet.append([re.sub(r"<br\s*/?>", "\n", c) or None for c in _pipe_cells(raw)])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_table_plan_as_docx_with_a_word_table_matches_its_reading():
    draft = import_document(_table_plan_as_docx(), "ke-hoach.docx")
    assert_scores(draft, expected_for(TABLE_PLAN))
    assert draft.plan.number == "87/KH-UBND"


def test_table_plan_as_xlsx_matches_its_reading():
    draft = import_document(_table_plan_as_xlsx(), "ke-hoach.xlsx")
    expected = expected_for(TABLE_PLAN)
    assert_scores(draft, expected)
    assert len(draft.tasks) == 20
