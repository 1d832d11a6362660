"""Letter-spaced text inside drawn PDF table cells (a browser's print of a table plan) read from the glyphs drawn
inside each cell's box (read/pdf_tables.py, by spacing.join_runs' gap rule), on small PDFs drawn here with fpdf2
as browsers print them: every glyph on its own with undrawn spaces, or runs of plain letters beside the
Vietnamese letters of a fallback font."""
from pathlib import Path

import pytest

from importer import import_document
from importer.read.pdf_reader import read_pdf
from tests.fixtures.plans.corpus import documents

needs_font = pytest.mark.skipif(not Path(documents.FONT).exists(), reason="the DejaVu font draws the test PDFs")

ROWS = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
        ["1", "Hướng dẫn cài đặt ứng dụng VNeID cho người dân", "Công an tỉnh", "Quý I năm 2026"],
        ["2", "Đánh giá an toàn thông tin trên ứng dụng", "Sở Khoa học và Công nghệ", "trước ngày 30/6/2026"]]
WIDTHS = [12, 80, 50, 40]
ROW_HEIGHT = 20


def _glyph_by_glyph(pdf, x, y, line, spacing=0.5):
    for ch in line:
        if not ch.isspace():
            pdf.text(x, y, ch)
        x += pdf.get_string_width(ch) + spacing


def _table_pdf(draw, heading=True) -> bytes:
    """A plan page: its title and a bordered task table whose cells' lines are drawn by `draw`."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    documents._start(pdf)
    if heading:
        for text in ("KẾ HOẠCH", "Triển khai Đề án 06 năm 2026", "I. NHIỆM VỤ CỤ THỂ"):
            pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dv", size=9)
    y = pdf.get_y() + 4
    for row in ROWS:
        x = pdf.l_margin
        for text, width in zip(row, WIDTHS):
            pdf.rect(x, y, width, ROW_HEIGHT)
            # wrapped narrower than the cell: the letter spacing widens every line
            for n, line in enumerate(pdf.multi_cell((width - 2) * 0.6, 5, text, dry_run=True, output="LINES")):
                draw(pdf, x + 1, y + 4 + 5 * n, line)
            x += width
        y += ROW_HEIGHT
    return bytes(pdf.output())


def _rows(data: bytes) -> list[list[str]]:
    lines, _ = read_pdf(data)
    return [line.text.split("\t") for line in lines if "\t" in line.text]


@needs_font
@pytest.mark.parametrize("draw", [_glyph_by_glyph, documents.fallback_glyph_line], ids=["glyph-by-glyph", "fallback-font"])
def test_letter_spaced_cells_read_as_their_words(draw):
    rows = _rows(_table_pdf(draw))
    assert rows == ROWS


@needs_font
def test_a_letter_spaced_table_plan_drafts_its_tasks_with_their_words():
    draft = import_document(_table_pdf(_glyph_by_glyph), "plan.pdf")
    contents = [t.content for t in draft.tasks]
    assert any("Hướng dẫn cài đặt ứng dụng VNeID cho người dân" in c for c in contents), contents
    assert any("Đánh giá an toàn thông tin trên ứng dụng" in c for c in contents), contents


@needs_font
def test_a_table_drawn_in_plain_runs_keeps_its_cells_as_extracted():
    def plain(pdf, x, y, line):
        pdf.text(x, y, line)

    assert _rows(_table_pdf(plain)) == ROWS
