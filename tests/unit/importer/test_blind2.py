"""Second blind round: four plans in layouts none of the earlier ten use, written
without looking at the importer (tests/fixtures/plans, readings made by
make_blind2_expected.py). The city plan's table is also rendered as .docx (a real
Word table, 'Phối hợp:' on its own line in the cell) and the plan sheet as .xlsx
(real date cells, continuation rows)."""

import datetime as dt
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
    "tam-nong-district-plan-2024.txt",
    "bao-loc-city-plan-2023.md",
    "dinh-quan-district-report-2024.txt",
    "buon-ho-town-plan-sheet-2024.txt",
]
DOCX_PLAN = "bao-loc-city-plan-2023.md"
XLSX_PLAN = "buon-ho-town-plan-sheet-2024.txt"


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


def _is_table(raw):
    return raw.startswith("|")


def _is_rule(raw):
    return set(raw.strip()) <= set("|-: ")


def _cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def city_plan_as_docx() -> bytes:
    """Paragraphs, and the task table as a Word table whose agency cell has two lines."""
    document = docx.Document()
    table = None
    for raw in (PLANS / DOCX_PLAN).read_text(encoding="utf-8").splitlines():
        if _is_table(raw):
            if _is_rule(raw):
                continue
            cells = _cells(raw)
            if table is None:
                table = document.add_table(rows=0, cols=len(cells))
            for cell, text in zip(table.add_row().cells, cells):
                cell.text = re.sub(r"\.?;? ([Pp]hối hợp:)", r".\n\1", text)
            continue
        table = None
        if raw.strip():
            document.add_paragraph(raw.strip())
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _xlsx_value(text):
    """Full dd/mm/yyyy dates become real date cells, as Excel stores them."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        day, month, year = map(int, m.groups())
        try:
            return dt.datetime(year, month, day)
        except ValueError:
            return text  # an impossible date stays the text the clerk typed
    return text or None


def plan_sheet_as_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for raw in (PLANS / XLSX_PLAN).read_text(encoding="utf-8").splitlines():
        if _is_table(raw):
            if not _is_rule(raw):
                sheet.append([_xlsx_value(c) for c in _cells(raw)])
        elif raw.strip():
            sheet.append([raw.strip()])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_city_plan_as_docx_with_a_word_table_matches_its_reading():
    draft = import_document(city_plan_as_docx(), "ke-hoach.docx")
    assert_scores(draft, expected_for(DOCX_PLAN))
    assert draft.plan.number == "141/KH-UBND"


def test_plan_sheet_as_xlsx_with_date_cells_matches_its_reading():
    draft = import_document(plan_sheet_as_xlsx(), "ke-hoach.xlsx")
    assert_scores(draft, expected_for(XLSX_PLAN))
    assert len(draft.tasks) == 19
