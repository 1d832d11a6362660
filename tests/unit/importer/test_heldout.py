"""Held-out plans (tests/fixtures/plans) in layouts beyond the seeds, against
their hand-made readings; plus .docx (real Word table) and .xlsx renderings."""

import io
import re

import openpyxl
import pytest

from importer import import_document

from .plan_cases import PLANS, assert_header, expected_for, import_case, pipe_cells, pipe_plan_as_docx
from .plan_cases import assert_scores as _assert_scores


def assert_scores(draft, expected):
    _assert_scores(draft, expected, all_found=True)  # held-out plans: every task, not 95%

NAMES = [
    "quang-tri-ict-dept-plan-2024.txt",
    "hac-thanh-ward-plan-2025.txt",
    "krong-bong-district-plan-2023.md",
    "dong-tien-commune-plan-2024.txt",
]
TABLE_PLAN = "krong-bong-district-plan-2023.md"


@pytest.fixture(scope="module", params=NAMES)
def plan(request):
    return import_case(request.param)


def test_held_out_plan_matches_its_reading(plan):
    assert_scores(*plan)


def test_held_out_plan_header(plan):
    assert_header(*plan)


def _table_plan_as_docx() -> bytes:
    """The district plan as Word: paragraphs, and the task table as a real Word table."""
    return pipe_plan_as_docx(TABLE_PLAN, cell=lambda text: re.sub(r"<br\s*/?>", "\n", text),
                             paragraph=lambda raw: raw.replace("**", "").replace("*", "").lstrip("# "))


def _table_plan_as_xlsx() -> bytes:
    """The district plan's task table as a worksheet, with the title rows above it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["KẾ HOẠCH"])
    sheet.append(["Triển khai thực hiện Đề án 06 trên địa bàn huyện Krông Bông năm 2023"])
    for raw in (PLANS / TABLE_PLAN).read_text(encoding="utf-8").splitlines():
        if raw.startswith("|") and not set(raw) <= set("|- "):
            sheet.append([re.sub(r"<br\s*/?>", "\n", c) or None for c in pipe_cells(raw)])
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
