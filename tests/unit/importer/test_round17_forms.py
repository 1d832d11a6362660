"""Forms round 17 (blind) showed the importer missing, each fixed by a rule that names no plan: column headers in
other words ("Đầu mối thực hiện", "Đơn vị cùng tham gia"), a "Chủ trì / Phối hợp" cell, inline labels after the task
("phụ trách:", "p/h:", "hạn:", "Thực hiện: X (chủ trì), Y. Tiến độ: …"), "X được giao chủ trì" sentences after a
"Nhiệm vụ N:" line, short forms of a unit's bodies ("CA xã", "VP UBND") and a PDF line broken at a name's dash."""
from importer import import_document
from importer.read.wrapping import rejoin
from importer.vocabulary.agency_directory import agency_key, with_level

from .plan_cases import task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ HÒA VANG\nSố: 09/KH-UBND\nHòa Vang, ngày 08 tháng 01 năm 2026\n"
        "KẾ HOẠCH\nTriển khai Đề án 06 năm 2026\nI. MỤC ĐÍCH\nBảo đảm tiến độ.\n")
TAIL = "III. TỔ CHỨC THỰC HIỆN\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 25 hằng tháng.\n"


def _draft(body: str, name: str = "plan.txt"):
    return import_document((HEAD + body + TAIL).encode(), name)


def test_a_table_with_the_lead_first_under_other_header_words_is_read_by_its_columns():
    draft = _draft(
        "II. NHIỆM VỤ\n\n| TT | Đầu mối thực hiện | Nội dung triển khai | Mốc hoàn thành | Đơn vị cùng tham gia |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Sở Tư pháp | Tái cấu trúc quy trình đăng ký khai sinh trực tuyến | Quý II/2026 | Công an tỉnh, Bảo hiểm xã hội tỉnh |\n"
        "| 2 | Công an tỉnh | Tổng hợp kết quả triển khai Đề án 06 | Hằng tháng | các sở, ban, ngành |\n\n", "plan.md")
    assert _rows(draft) == [
        ("Tái cấu trúc quy trình đ", ["Sở Tư pháp"], ["Công an tỉnh", "Bảo hiểm xã hội tỉnh"], "2026-06-30", None, False),
        ("Tổng hợp kết quả triển k", ["Công an tỉnh"], ["các sở, ban, ngành"], None, None, True)]


def test_a_chu_tri_slash_phoi_hop_cell_holds_the_lead_before_the_slash_and_the_partners_after():
    draft = _draft(
        "II. NHIỆM VỤ\n\n| TT | Nhiệm vụ cụ thể | Thời gian thực hiện | Chủ trì / Phối hợp |\n|---|---|---|---|\n"
        "| 1 | Số hóa sổ hộ tịch đang lưu trữ | Quý II/2026 | Phòng Tư pháp / Công an xã, Văn phòng UBND xã |\n\n",
        "plan.md")
    assert _rows(draft) == [("Số hóa sổ hộ tịch đang l", ["Phòng Tư pháp"], ["Công an xã", "Văn phòng UBND xã"],
                             "2026-06-30", None, False)]


def test_short_labels_after_the_task_on_its_line_give_the_lead_partners_and_deadline():
    draft = _draft(
        "II. PHÂN CÔNG CÔNG VIỆC\n"
        "1. Niêm yết danh mục thủ tục hành chính được cắt giảm giấy tờ – phụ trách: Văn phòng UBND xã; p/h: Công an xã; "
        "hạn: 15/02/2026.\n"
        "2. Hỗ trợ hộ kinh doanh mở tài khoản thanh toán – phụ trách: Phòng Kinh tế; hạn: thường xuyên.\n")
    assert _rows(draft) == [
        ("Niêm yết danh mục thủ tụ", ["Văn phòng UBND xã"], ["Công an xã"], "2026-02-15", None, False),
        ("Hỗ trợ hộ kinh doanh mở ", ["Phòng Kinh tế"], [], None, None, True)]


def test_thuc_hien_with_a_marked_lead_and_tien_do_after_the_task_sentence():
    draft = _draft(
        "II. NHIỆM VỤ CỤ THỂ\n"
        "• Rà soát, làm sạch dữ liệu dân cư của các thôn. Thực hiện: Công an xã (chủ trì), Trưởng các thôn. "
        "Tiến độ: 6 tháng đầu năm 2026.\n"
        "• Số hóa hồ sơ hộ tịch còn hiệu lực. Thực hiện: Văn phòng UBND xã (chủ trì). Tiến độ: trước 30/6.\n")
    assert _rows(draft) == [
        ("Rà soát, làm sạch dữ liệ", ["Công an xã"], ["Trưởng các thôn"], "2026-06-30", None, False),
        ("Số hóa hồ sơ hộ tịch còn", ["Văn phòng UBND xã"], [], "2026-06-30", None, False)]


def test_sentences_after_a_numbered_task_line_name_its_lead_partners_and_time():
    draft = _draft(
        "II. CÁC NHIỆM VỤ\n"
        "Nhiệm vụ 1: Triển khai học bạ số đối với học sinh tiểu học.\n"
        "Phòng Giáo dục phổ thông được giao chủ trì, phối hợp với Phòng Kế hoạch - Tài chính và UBND các xã. Việc này "
        "được thực hiện trong năm học, hoàn thành trước ngày 31/5/2026.\n"
        "Nhiệm vụ 2: Sơ kết, đánh giá kết quả thực hiện Đề án 06 của ngành.\n"
        "Văn phòng Sở được giao chủ trì thực hiện. Thời hạn hoàn thành chậm nhất là ngày 15/12/2026.\n")
    assert _rows(draft) == [
        ("Triển khai học bạ số đối", ["Phòng Giáo dục phổ thông"], ["Phòng Kế hoạch - Tài chính", "UBND các xã"],
         "2026-05-31", None, False),
        ("Sơ kết, đánh giá kết quả", ["Văn phòng Sở"], [], "2026-12-15", None, False)]


def test_short_forms_of_a_units_bodies_share_the_full_names_key_and_take_the_issuers_level():
    for short, full in [("CA xã", "Công an xã"), ("Phòng VH-XH", "Phòng Văn hóa - Xã hội"), ("Phòng KT", "Phòng Kinh tế"),
                        ("Đoàn TN xã", "Đoàn Thanh niên xã"), ("Hội LHPN xã", "Hội Liên hiệp Phụ nữ xã"),
                        ("Sở TT&TT", "Sở Thông tin và Truyền thông"), ("CA tỉnh", "Công an tỉnh")]:
        assert agency_key(short) == agency_key(full)
    assert agency_key("Cà Mau") != agency_key("Công an Mau")
    assert with_level("VP UBND", "UBND xã Hòa Vang") == "VP UBND xã"
    assert with_level("Công an xã", "UBND xã Hòa Vang") == "Công an xã"
    assert with_level("Phòng Kinh tế", "UBND xã Hòa Vang") == "Phòng Kinh tế"


def test_a_line_broken_at_a_dashed_names_dash_is_rejoined_and_a_real_bullet_is_not():
    width = 60
    lines = ["- Chi trả trợ cấp xã hội qua tài khoản ngân hàng. Thực hiện: Phòng Văn hóa",
             "- Xã hội (chủ trì), Bưu điện xã. Tiến độ: Quý II/2026.",
             "- Thành lập Tổ công nghệ số cộng đồng tại các thôn."]
    assert rejoin(lines, width) == [lines[0] + " " + lines[1], lines[2]]
    assert rejoin(["II. NHIỆM VỤ VỀ LAO ĐỘNG", "- Xã hội hóa nguồn lực."], width) == [
        "II. NHIỆM VỤ VỀ LAO ĐỘNG", "- Xã hội hóa nguồn lực."]
