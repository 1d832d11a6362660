"""Header robustness: a date split over lines, a title over several lines, a reference anywhere in the
preamble, a schedule of several dates a year, a target without a ≥ sign."""
from importer import import_document

PLAN = """ỦY BAN NHÂN DÂN
TỈNH CÀ MAU
Số: 77/KH-UBND
Cà Mau, ngày 05 tháng 3
năm 2025
KẾ HOẠCH
Triển khai Đề án 06 và chuyển đổi số
trên địa bàn tỉnh Cà Mau
năm 2025
Nhằm triển khai hiệu quả Kế hoạch số 12/KH-BCA ngày 10/01/2025 của Bộ Công an, UBND tỉnh ban hành Kế hoạch như sau:
I. MỤC TIÊU
- 100% hồ sơ thủ tục hành chính được số hóa, tái sử dụng đến năm 2026.
II. NHIỆM VỤ
1. Rà soát dữ liệu dân cư (Công an tỉnh chủ trì; Sở Tư pháp phối hợp); hoàn thành trong Quý II/2025.
III. TỔ CHỨC THỰC HIỆN
Các cơ quan báo cáo kết quả về Công an tỉnh (cơ quan thường trực) trước ngày 01/6 và 15/11 hằng năm.
"""


def draft():
    return import_document(PLAN.encode(), "ke-hoach.txt")


def test_an_issue_date_broken_over_two_lines():
    assert draft().plan.issued_on == "2025-03-05"


def test_a_title_over_three_lines():
    assert draft().plan.title == "Triển khai Đề án 06 và chuyển đổi số trên địa bàn tỉnh Cà Mau năm 2025"


def test_a_reference_inside_a_preamble_sentence():
    assert draft().plan.references == ["12/KH-BCA"]


def test_a_schedule_of_two_dates_a_year():
    (schedule,) = draft().reporting
    assert (schedule.cycle, schedule.due, schedule.to) == ("semiannual", "trước ngày 01/6 và 15/11 hằng năm", "Công an tỉnh")


def test_a_target_without_a_sign_keeps_its_year():
    (target,) = draft().targets
    assert (target.value, target.unit, target.by) == (100, "percent", "2026")


def test_a_time_after_the_closing_roles_bracket_is_the_tasks():
    (task,) = draft().tasks
    assert (task.content, task.lead, task.support, task.timing.due) == \
        ("Rà soát dữ liệu dân cư", ["Công an tỉnh"], ["Sở Tư pháp"], "2025-06-30")


def test_an_issuer_cut_after_its_first_word_as_a_law_library_page_copies_it():
    text = "\n".join(["ỦY", "BAN NHÂN DÂN", "TỈNH TIỀN GIANG", "-------", "|", "CỘNG", "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "Độc lập - Tự do - Hạnh phúc", "|", "Số: 56/KH-UBND", "|", "Tiền", "Giang, ngày 24 tháng 02 năm 2023",
                      "|", "KẾ HOẠCH", "Thực hiện Đề án 06 năm 2023", "II. NHIỆM VỤ",
                      "1. Rà soát dữ liệu dân cư (Công an tỉnh chủ trì; Sở Tư pháp phối hợp); hoàn thành trong Quý II/2023."])
    plan = import_document(text.encode(), "ke-hoach.txt").plan
    assert (plan.issuer, plan.number, plan.issued_on) == ("UBND tỉnh Tiền Giang", "56/KH-UBND", "2023-02-24")


def test_a_number_on_the_line_after_its_label_as_a_law_library_heading_cell_breaks():
    text = "\n".join(["ỦY", "BAN NHÂN DÂN", "TỈNH HẢI DƯƠNG", "-------", "|", "Số:", "1914/KH-UBND", "|", "Hải Dương, ngày",
                      "05 tháng 6 năm 2023", "|", "KẾ HOẠCH", "Chuyển đổi số năm 2023", "II. NHIỆM VỤ",
                      "1. Rà soát dữ liệu dân cư (Công an tỉnh chủ trì; Sở Tư pháp phối hợp); hoàn thành trong Quý II/2023."])
    plan = import_document(text.encode(), "ke-hoach.txt").plan
    assert (plan.issuer, plan.number, plan.issued_on) == ("UBND tỉnh Hải Dương", "1914/KH-UBND", "2023-06-05")


def test_a_target_due_by_a_day_takes_that_days_year():
    from importer.vocabulary.targets import find_targets
    from importer.read.lines import text_to_lines

    lines = text_to_lines("II. CHỈ TIÊU\n- 85% công dân đủ điều kiện được kích hoạt tài khoản định danh điện tử mức độ 2 "
                          "đến ngày 31/12/2024.")
    (target,) = find_targets(lines, set())
    assert (target.value, target.unit, target.by) == (85, "percent", "2024")


def test_a_midyear_and_a_closing_report_are_a_semiannual_and_an_annual_schedule():
    from importer.read.lines import text_to_lines
    from importer.vocabulary.schedules import find_reporting

    lines = text_to_lines("Các đơn vị báo cáo kết quả về Công an tỉnh trước ngày 20 hằng tháng; báo cáo sơ kết trước "
                          "ngày 10/6 và báo cáo tổng kết trước ngày 10/12/2024.")
    assert [(r.cycle, r.due_day) for r in find_reporting(lines)] == [("monthly", 20), ("semiannual", 10), ("annual", 10)]


def test_a_report_part_before_the_plan_part_is_no_body():
    from importer.header.preamble import body_start
    from importer.read.lines import text_to_lines

    text = ("KẾ HOẠCH\nChuyển đổi số năm 2023\nPHẦN I. KẾT QUẢ THỰC HIỆN NĂM 2022\n1. Sở Tư pháp chủ trì kết nối dữ liệu "
            "hộ tịch, hoàn thành ngày 26/3/2022.\nPHẦN II. KẾ HOẠCH NĂM 2023\n1. Rà soát dữ liệu dân cư.")
    assert body_start(text_to_lines(text)) == 5
    plan_first = "KẾ HOẠCH\nPHẦN THỨ NHẤT: MỤC TIÊU\n1. Rà soát.\nPHẦN THỨ HAI: NỘI DUNG CÔNG VIỆC\n1. Cấp căn cước."
    assert body_start(text_to_lines(plan_first)) == 1  # a first part that reports nothing: the body starts at the title
