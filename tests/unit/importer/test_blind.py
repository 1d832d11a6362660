"""Blind-check plans (tests/fixtures/plans, written without looking at the
importer) against their hand-made readings; the provincial decision is also
rendered as .docx with its appendix as a real Word table."""


import pytest

from importer import import_document

from .plan_cases import assert_header, assert_scores, expected_for, import_case, pipe_plan_as_docx

NAMES = [
    "ha-tinh-province-decision-2024.txt",
    "yen-thanh-district-plan-2024.txt",
    "hoa-tien-commune-workplan-2024.txt",
]
TABLE_PLAN = "ha-tinh-province-decision-2024.txt"


@pytest.fixture(scope="module", params=NAMES)
def plan(request):
    return import_case(request.param)


def test_blind_plan_matches_its_reading(plan):
    assert_scores(*plan)


def test_blind_plan_header(plan):
    assert_header(*plan)


def decision_as_docx() -> bytes:
    """The decision as Word paragraphs, its appendix as a real Word table."""
    return pipe_plan_as_docx(TABLE_PLAN)


def test_decision_as_docx_with_a_word_table_matches_its_reading():
    draft = import_document(decision_as_docx(), "quyet-dinh.docx")
    assert_scores(draft, expected_for(TABLE_PLAN))
    assert draft.plan.number == "618/QĐ-UBND"


VARIANTS = """ỦY BAN NHÂN DÂN HUYỆN A
Số: 10/KH-UBND
A, ngày 05 tháng 2 năm 2025
KẾ HOẠCH
Triển khai Đề án 06 năm 2025
II. NHIỆM VỤ
1. Nhóm nhiệm vụ chung
a) Rà soát dữ liệu hộ tịch đã số hóa trên địa bàn huyện. Giao cho Phòng Tư pháp thực hiện, hoàn thành trong Quý II/2025.
b) Tập huấn kỹ năng số cho cán bộ cấp xã. Phòng Văn hóa và Thông tin chủ trì, phối hợp cùng Trung tâm Văn hóa - Thể thao huyện tổ chức thực hiện; thời hạn: trước 15/3.
c) Tuyên truyền lợi ích của ứng dụng VNeID trên hệ thống truyền thanh. Giao UBND các xã, thị trấn thực hiện thường xuyên.
2. Nhóm nhiệm vụ khác
1) [Tháng 3 - tháng 5/2025] Kiểm tra việc số hóa hồ sơ tại các xã.
Đơn vị phụ trách: Văn phòng HĐND và UBND huyện.
2) Tổng kết năm thực hiện Đề án 06 - Thời gian thực hiện: tháng 12/2025.
Phụ trách: Công an huyện (đồng chí Trưởng Công an huyện); Phối hợp: Phòng Nội vụ.
"""


def test_assignment_sentences_brackets_and_person_in_charge_lines_in_other_wordings():
    draft = import_document(VARIANTS.encode(), "plan.txt")
    got = [(t.content[:22], t.lead, t.support, t.timing.due, t.timing.start, t.timing.recurring) for t in draft.tasks]
    assert got == [
        ("Rà soát dữ liệu hộ tịc", ["Phòng Tư pháp"], [], "2025-06-30", None, False),
        ("Tập huấn kỹ năng số ch", ["Phòng Văn hóa và Thông tin"], ["Trung tâm Văn hóa - Thể thao huyện"], "2025-03-15", None, False),
        ("Tuyên truyền lợi ích c", ["UBND các xã, thị trấn"], [], None, None, True),
        ("Kiểm tra việc số hóa h", ["Văn phòng HĐND và UBND huyện"], [], "2025-05-31", "2025-03-01", False),
        ("Tổng kết năm thực hiện", ["Công an huyện"], ["Phòng Nội vụ"], "2025-12-31", None, False),
    ]
    assert draft.tasks[-1].content == "Tổng kết năm thực hiện Đề án 06"
