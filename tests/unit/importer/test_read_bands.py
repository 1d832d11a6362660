"""Borderless PDF tables whose rows no number tells apart (read/pdf_bands.py), headers the column vocabulary does not
name (read/pdf_columns.py), and month/quarter mark columns handed to the body as cells."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from importer import import_document
from importer.read.pdf_bands import opens_row, right_edges
from importer.read.readers import read_document
from tests.fixtures.plans.corpus import documents

from .plan_cases import PLANS, assert_scores

needs_font = pytest.mark.skipif(not Path(documents.FONT).exists(), reason="the DejaVu font draws the test PDFs")
SPACE = 2.5


def piece(x0: float, x1: float, text: str):
    return SimpleNamespace(x0=x0, x1=x1, text=text)


def test_a_column_that_starts_again_under_an_empty_line_opens_a_row():
    above = {0: piece(30, 100, "điện tử mức độ 2")}
    line = {0: piece(30, 90, "Tổ chức cấp"), 2: piece(250, 340, "Đoàn Thanh niên phường")}
    edges = {0: 132.0, 2: 348.0}
    assert opens_row(above, line, edges, SPACE)


def test_a_line_wraps_only_where_the_line_above_had_no_room_for_its_first_word():
    edges = right_edges([{0: piece(30, 132, "hoạt tài khoản định danh")}])
    full, short = piece(30, 126, "Rà soát, thu thập thông"), piece(30, 80, "Báo cáo kết quả")
    wrapped = piece(30, 125, "tin công dân chưa được")
    assert not opens_row({0: full}, {0: wrapped}, edges, SPACE)  # "tin" did not fit after "thông"
    assert opens_row({0: short}, {0: wrapped}, edges, SPACE)  # there was room: a new row's text


def test_a_blank_higher_than_the_line_pitch_parts_two_rows():
    above, line = {0: piece(30, 126, "Rà soát, thu thập thông")}, {0: piece(30, 125, "tin công dân chưa được")}
    edges = {0: 132.0}
    assert not opens_row(above, line, edges, SPACE, gap=11.3, pitch=11.3)
    assert opens_row(above, line, edges, SPACE, gap=19.0, pitch=11.3)


CONTENTS = ["Rà soát, thu thập thông tin công dân chưa được cấp căn cước, chưa kích hoạt tài khoản định danh điện tử",
            "Niêm yết thủ tục", "Tổ chức cấp căn cước lưu động tại các khu phố vào ngày thứ Bảy hằng tuần cho người cao tuổi",
            "Tuyên truyền trên loa", "Làm sạch dữ liệu dân cư"]
LEADS = ["Công an phường", "Văn phòng HĐND và UBND phường", "Công an phường", "Phòng Văn hóa - Xã hội", "Công an phường"]
DUES = [("Tháng 3/2026", "2026-03-31"), ("Quý II/2026", "2026-06-30"), ("Tháng 9/2026", "2026-09-30"),
        ("Trước ngày 30/6/2026", "2026-06-30"), ("Quý IV/2026", "2026-12-31")]


def _unnumbered_plan() -> list:
    table = [["Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"]] + [[c, lead, due] for c, lead, (due, _) in zip(CONTENTS, LEADS, DUES)]
    return [("pair", ["ỦY BAN NHÂN DÂN", "PHƯỜNG HÒA BÌNH", "", "Số: 21/KH-UBND"],
             ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "", "Hòa Bình, ngày 10 tháng 2 năm 2026"]),
            ("c", "KẾ HOẠCH"), ("c", "Triển khai Đề án 06 năm 2026"), ("b", "I. NHIỆM VỤ"), ("t", table),
            ("b", "II. TỔ CHỨC THỰC HIỆN"), ("p", "Các đơn vị báo cáo kết quả về Công an phường trước ngày 20 hằng tháng.")]


@needs_font
def test_an_unnumbered_borderless_table_gives_one_row_per_task_long_and_one_line_rows_alike():
    lines, _ = read_document(documents.to_pdf(_unnumbered_plan(), borders=False), "plan.pdf")
    rows = [line.cells for line in lines if line.cells]
    assert rows[0] == ["Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"]
    assert rows[1:] == [[c, lead, due] for c, lead, (due, _) in zip(CONTENTS, LEADS, DUES)]
    draft = import_document(documents.to_pdf(_unnumbered_plan(), borders=False), "plan.pdf")
    assert [(t.lead, t.timing.due) for t in draft.tasks] == [([lead], due) for lead, (_, due) in zip(LEADS, DUES)]


def _corpus(slug: str):
    from tests.fixtures.plans.corpus import make_corpus

    every = {}
    for name in dir(make_corpus):
        if name.startswith("PLANS_"):
            every.update(getattr(make_corpus, name))
    build, _ = every[slug]
    _, blocks, _, _ = build()
    return documents.to_pdf(documents.deep(blocks), borders=False), \
        json.loads((PLANS / "corpus" / f"{slug}.expected.json").read_text(encoding="utf-8"))


@needs_font
@pytest.mark.parametrize("slug", ["phu-loi-ward-plan-2026", "thu-dau-mot-ward-plan-2026", "phu-lap-commune-plan-2025",
                                  "an-binh-commune-plan-2025", "tan-thanh-commune-workplan-2026"])
def test_corpus_tables_without_numbers_or_named_columns_printed_without_borders_read_whole(slug):
    """No number column and no blank between rows (phu-loi); a header name the vocabulary lacks and a table continued
    on a page with one row (thu-dau-mot); quarter and month mark columns (phu-lap, tan-thanh); plain-word column
    names under a number column (an-binh)."""
    data, expected = _corpus(slug)
    assert_scores(import_document(data, f"{slug}.pdf"), expected, all_found=True)


@needs_font
def test_month_marks_reach_the_body_as_cells_and_give_each_task_its_months():
    data, expected = _corpus("tan-thanh-commune-workplan-2026")
    lines, _ = read_document(data, "plan.pdf")
    header = next(line.cells for line in lines if line.cells and "Tháng 1" in line.cells)
    assert header[3:] == [f"Tháng {m}" for m in range(1, 7)]
    draft = import_document(data, "plan.pdf")
    assert [(t.timing.start, t.timing.due) for t in draft.tasks] == \
        [(t["timing"]["start"], t["timing"]["due"]) for t in expected["tasks"]]


@needs_font
def test_short_cells_without_a_row_numbered_1_under_them_are_not_a_header():
    blocks = [("p", "Họp giao ban"), ("p", "TT        Việc        Ai        Khi"), ("p", "Công an xã báo cáo hằng tháng.")]
    lines, _ = read_document(documents.to_pdf(blocks, borders=False), "plan.pdf")
    assert not any(line.cells for line in lines)
