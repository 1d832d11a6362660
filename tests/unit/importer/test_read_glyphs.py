"""Letter-spaced PDF text parted into words by where the glyphs are drawn (read/pdf_glyphs.py, spacing.join_runs),
on PDFs the corpus generator draws as browsers print them, and on runs alone."""
from pathlib import Path

import pytest

from importer import import_document
from importer.read.pdf_reader import read_pdf
from importer.read.spacing import Run, join_runs
from tests.fixtures.plans.corpus import documents

needs_font = pytest.mark.skipif(not Path(documents.FONT).exists(), reason="the DejaVu font draws the test PDFs")

# Lines whose syllables the text alone cannot part: "tr ê n ứ ng" is "trên ứng" or "trê nứng".
BLOCKS = [
    ("c", "KẾ HOẠCH"),
    ("p", "Số: 12/KH-UBND        Hà Tĩnh, ngày 09 tháng 02 năm 2026"),
    ("b", "I. NHIỆM VỤ"),
    ("n", 0, "decimal", "Văn phòng Sở chủ trì: Triển khai ký số trên ứng dụng VNeID cho người dân; hoàn thành trong Quý I năm 2026."),
    ("n", 0, "decimal", "Công an tỉnh chủ trì, phối hợp với Sở Tư pháp: Đánh giá an toàn thông tin của Đề án 06 trước ngày 30/6/2026."),
]
PHRASES = ["trên ứng dụng VNeID cho người dân", "Đánh giá an toàn thông tin của Đề án 06", "Văn phòng Sở chủ trì",
           "ngày 09 tháng 02 năm 2026"]


def _text(data: bytes) -> str:
    lines, _ = read_pdf(data)
    return " ".join(line.text for line in lines)


@needs_font
def test_a_browser_print_that_draws_its_spaces_reads_as_words():
    text = _text(documents.to_pdf(BLOCKS, spaced=True))
    for phrase in PHRASES:
        assert phrase in text
    assert "trê nứng" not in text and "giáan" not in text


@needs_font
@pytest.mark.parametrize("letter_spacing", [0.3, 0.8])
def test_a_browser_print_that_leaves_spaces_undrawn_reads_as_words(letter_spacing):
    text = _text(documents.to_glyph_pdf(BLOCKS, letter_spacing=letter_spacing))
    for phrase in PHRASES:
        assert phrase in text


@needs_font
def test_a_letter_spaced_pdf_drafts_its_tasks_with_their_words():
    draft = import_document(documents.to_glyph_pdf(BLOCKS), "plan.pdf")
    assert [t.content for t in draft.tasks if "ký số trên ứng dụng VNeID" in t.content]
    assert [t.content for t in draft.tasks if "Đánh giá an toàn thông tin" in t.content]


def _runs(pieces: list[tuple[str, float]], space: float = 3.2, width: float = 5.0) -> list[Run]:
    """Runs left to right: each piece's text drawn `width` per character, then the gap given after it."""
    out, x = [], 0.0
    for text, gap in pieces:
        out.append(Run(x, x + width * len(text), 0.0, text, 10.0, space))
        x += width * len(text) + gap
    return out


def test_a_gap_clearly_wider_than_the_letter_gaps_parts_words():
    # letter spacing 0.6 pt, word gaps a space (3.2 pt) plus the spacing: nothing drawn between words
    runs = _runs([("t", .6), ("r", .6), ("ê", .6), ("n", 3.8), ("ứ", .6), ("n", .6), ("g", 3.8), ("d", .6), ("ụ", .6), ("n", .6), ("g", 0)])
    assert join_runs(runs) == "trên ứng dụng"


def test_words_placed_one_by_one_stay_apart_and_kerned_runs_join():
    assert join_runs(_runs([("Công", 3.3), ("an", 3.4), ("tỉnh", 0)])) == "Công an tỉnh"
    assert join_runs(_runs([("Ph", 0), ("ò", 0), ("ng", 3.3), ("Tư", 0)])) == "Phòng Tư"


def test_a_line_that_draws_its_spaces_joins_its_undrawn_gaps_and_keeps_columns():
    runs = _runs([("UBND T", 2.3), ("Ỉ", 2.3), ("NH", 30.0), ("CỘNG H", 2.3), ("Ò", 4.6), ("A", 0)])
    assert join_runs(runs) == "UBND TỈNH    CỘNG HÒA"


def test_a_column_gap_does_not_hide_the_word_gaps_of_its_line():
    runs = _runs([("S", .6), ("ố", .6), (":", 3.8), ("1", .6), ("2", 40.0), ("H", .6), ("à", 3.8), ("T", .6), ("ĩ", .6), ("n", .6), ("h", 0)])
    assert join_runs(runs) == "Số: 12    Hà Tĩnh"
