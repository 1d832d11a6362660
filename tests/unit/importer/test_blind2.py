"""Second blind round: four plans in layouts none of the earlier ten use, written
without looking at the importer (tests/fixtures/plans, readings made by
make_blind2_expected.py). The city plan's table is also rendered as .docx (a real
Word table, 'Phối hợp:' on its own line in the cell) and the plan sheet as .xlsx
(real date cells, continuation rows)."""

import datetime as dt
import io
import re

import openpyxl
import pytest

from importer import import_document

from .plan_cases import PLANS, assert_header, assert_scores, expected_for, import_case, pipe_cells, pipe_plan_as_docx

NAMES = [
    "tam-nong-district-plan-2024.txt",
    "bao-loc-city-plan-2023.md",
    "dinh-quan-district-report-2024.txt",
    "buon-ho-town-plan-sheet-2024.txt",
]
DOCX_PLAN = "bao-loc-city-plan-2023.md"
XLSX_PLAN = "buon-ho-town-plan-sheet-2024.txt"


@pytest.fixture(scope="module", params=NAMES)
def plan(request):
    return import_case(request.param)


def test_blind_plan_matches_its_reading(plan):
    assert_scores(*plan)


def test_blind_plan_header(plan):
    assert_header(*plan)


def _is_table(raw):
    return raw.startswith("|")


def _is_rule(raw):
    return set(raw.strip()) <= set("|-: ")


def city_plan_as_docx() -> bytes:
    """Paragraphs, and the task table as a Word table whose agency cell has two lines."""
    return pipe_plan_as_docx(DOCX_PLAN, cell=lambda text: re.sub(r"\.?;? ([Pp]hối hợp:)", r".\n\1", text))


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
                sheet.append([_xlsx_value(c) for c in pipe_cells(raw)])
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


VARIANTS = """ỦY BAN NHÂN DÂN XÃ B
Số: 21/BC-UBND
B, ngày 10 tháng 7 năm 2025
BÁO CÁO
Sơ kết 6 tháng đầu năm 2025 thực hiện Đề án 06 và nhiệm vụ 6 tháng cuối năm
I. TÌNH HÌNH, KẾT QUẢ TRIỂN KHAI
1. Công an xã: đã thu nhận 1.204 hồ sơ cấp căn cước, hoàn thành trước 30/4/2025.
2. Văn phòng - Thống kê: đã số hóa 96% hồ sơ; trong tháng 5/2025.
II. NHIỆM VỤ 6 THÁNG CUỐI NĂM
Nhóm II – Phục vụ phát triển kinh tế - xã hội
- Rà soát đối tượng hưởng chính sách an sinh xã hội chưa có tài khoản ngân hàng.
(Cơ quan chủ trì: Công chức Lao động - Thương binh và Xã hội;
cơ quan phối hợp: Bưu điện văn hóa xã; Thời hạn: Quý III/2025)
Nhóm III – Phục vụ phát triển công dân số
1. Công an xã chủ trì, phối hợp với Đoàn Thanh niên xã: vận động người dân kích hoạt tài khoản định danh điện tử; hằng tháng.
2. Ban Chỉ đạo thực hiện Đề án 06 xã: kiểm tra việc cập nhật dữ liệu tại các thôn; sau khi có kết quả rà soát của Công an huyện.
3. Công chức Văn hóa - Xã hội: tuyên truyền trên loa truyền thanh về ứng dụng VNeID; 6 tháng cuối năm 2025.
"""


def test_the_new_rules_in_other_wordings():
    draft = import_document(VARIANTS.encode(), "bao-cao.txt")
    got = [(t.content[:20], t.lead, t.support, t.timing.due, t.timing.recurring, t.timing.condition) for t in draft.tasks]
    assert got == [
        ("Rà soát đối tượng hư", ["Công chức Lao động - Thương binh và Xã hội"], ["Bưu điện văn hóa xã"], "2025-09-30", False, None),
        ("vận động người dân k", ["Công an xã"], ["Đoàn Thanh niên xã"], None, True, None),
        ("kiểm tra việc cập nh", ["Ban Chỉ đạo thực hiện Đề án 06 xã"], [], None, False,
         "sau khi có kết quả rà soát của Công an huyện"),
        ("tuyên truyền trên lo", ["Công chức Văn hóa - Xã hội"], [], "2025-12-31", False, None),
    ]


def test_one_cell_with_both_roles_in_other_wordings():
    rows = [
        "| STT | Nội dung | Đơn vị thực hiện | Thời hạn |",
        "|---|---|---|---|",
        "| 1 | Số hóa sổ hộ tịch | Cơ quan chủ trì: Phòng Tư pháp; cơ quan phối hợp: UBND các xã | Tháng 9/2024 |",
        "| 2 | Cập nhật dữ liệu đất đai | Phòng Tài nguyên và Môi trường chủ trì, phối hợp với Công an huyện | Năm 2024 |",
        "| | | Chi cục Thuế | |",
    ]
    text = "KẾ HOẠCH\nSố: 3/KH-UBND\nC, ngày 02 tháng 1 năm 2024\n" + "\n".join(rows) + "\n"
    draft = import_document(text.encode(), "plan.md")
    assert [(t.lead, t.support, t.timing.due) for t in draft.tasks] == [
        (["Phòng Tư pháp"], ["UBND các xã"], "2024-09-30"),
        (["Phòng Tài nguyên và Môi trường", "Chi cục Thuế"], ["Công an huyện"], "2024-12-31"),
    ]
