"""PDF tables whose borders are hidden, rebuilt from where their text stands (read/pdf_columns.py), and the
synthetic 60-task plan of bench/importer.py drafting all 60 tasks in every format."""
import io
from pathlib import Path

import pytest

from importer import import_document
from importer.read.pdf_columns import column_lines
from importer.read.pdf_scan import scan_page
from tests.fixtures.plans.corpus import documents

needs_font = pytest.mark.skipif(not Path(documents.FONT).exists(), reason="the DejaVu font draws the test PDFs")

LEADS = ["Công an xã", "Văn phòng HĐND và UBND xã", "Công chức Tư pháp - Hộ tịch", "Đoàn Thanh niên xã"]
TIMES = [("Quý I năm 2025", "2025-03-31"), ("Trước ngày 30/6/2025", "2025-06-30"), ("Tháng 9/2025", "2025-09-30")]


def _plan(rows: int) -> list:
    table = [["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
             ["I. NHÓM NHIỆM VỤ VỀ DỮ LIỆU DÂN CƯ"]]
    for n in range(1, rows + 1):
        if n == rows // 2:
            table.append(["II. NHÓM NHIỆM VỤ VỀ DỊCH VỤ CÔNG TRỰC TUYẾN"])
        table.append([str(n), f"Rà soát, cập nhật dữ liệu dân cư của thôn số {n} trên địa bàn xã, đối chiếu với sổ hộ tịch",
                      LEADS[n % 4], "UBND các thôn" if n % 2 else "", TIMES[n % 3][0]])
    return [("pair", ["ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH", "", "Số: 15/KH-UBND"],
             ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "", "Hòa Bình, ngày 10 tháng 1 năm 2025"]),
            ("c", "KẾ HOẠCH"), ("c", "Triển khai Đề án 06 năm 2025"),
            ("b", "I. NHIỆM VỤ"), ("t", table),
            ("b", "II. TỔ CHỨC THỰC HIỆN"),
            ("p", "Các đơn vị báo cáo kết quả về Công an xã trước ngày 20 hằng tháng để tổng hợp, báo cáo UBND huyện.")]


@needs_font
def test_a_table_with_hidden_borders_over_two_pages_drafts_every_row():
    rows = 36
    data = documents.to_pdf(_plan(rows), borders=False)
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    draft = import_document(data, "plan.pdf")
    assert len(draft.tasks) == rows
    for n, task in enumerate(draft.tasks, 1):
        assert task.content.startswith(f"Rà soát, cập nhật dữ liệu dân cư của thôn số {n} trên địa bàn xã")
        assert task.lead == [LEADS[n % 4]] and task.timing.due == TIMES[n % 3][1]
        assert task.support == (["UBND các thôn"] if n % 2 else [])
    assert not any("báo cáo kết quả" in t.content for t in draft.tasks)  # the paragraph after the table stays out


@needs_font
def test_a_page_without_a_column_header_is_left_to_plain_extraction():
    from pypdf import PdfReader

    blocks = [b for b in _plan(3) if b[0] != "t"]
    page = PdfReader(io.BytesIO(documents.to_pdf(blocks, borders=False))).pages[0]
    assert column_lines(scan_page(page)) == (None, None)


@needs_font
def test_the_synthetic_60_task_plan_drafts_60_in_every_format():
    from bench.importer import renditions, synthetic_plan

    drafted = {name: len(import_document(data, name).tasks) for name, data in renditions(synthetic_plan(60))}
    assert set(drafted) >= {"plan.txt", "plan.docx", "plan.pdf", "plan.tables.pdf", "plan.web.md", "plan.wrapped.txt"}
    assert drafted == dict.fromkeys(drafted, 60)


@needs_font
@pytest.mark.parametrize("slug", ["lao-cai-province-decision-2025", "hai-duong-province-decision-2025",
                                  "quang-ninh-province-plan-2025", "binh-dinh-province-decision-2025",
                                  "quang-tri-province-decision-2026"])
def test_corpus_tables_printed_without_borders_read_like_their_drawn_pdf(slug):
    """A header cell wrapped in its column ("Thời hạn hoàn / thành"), group rows wrapped across the table's width
    ("I. NHÓM TIỆN ÍCH …"), numbered group rows over numbered sub-rows ("1" over "1.1"), a table whose first column
    is the lead agency (no number column; a header cell of two words a little over a word gap from the next), a
    table over two pages with its header repeated and Roman-numbered two-cell group rows."""
    import json

    from tests.fixtures.plans.corpus.make_corpus import PLANS_A, PLANS_C, PLANS_D, PLANS_F, PLANS_L
    from tests.unit.importer.plan_cases import PLANS, assert_scores

    build, _ = {**PLANS_A, **PLANS_C, **PLANS_D, **PLANS_F, **PLANS_L}[slug]
    _, blocks, _, _ = build()
    draft = import_document(documents.to_pdf(documents.deep(blocks), borders=False), f"{slug}.pdf")
    assert_scores(draft, json.loads((PLANS / "corpus" / f"{slug}.expected.json").read_text(encoding="utf-8")), all_found=True)
