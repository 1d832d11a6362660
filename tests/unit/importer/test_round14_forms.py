"""Forms round 14 (blind) showed the importer missing, each fixed by a rule that names no plan: a numbered period
heading over its items, a heading ending in "QUÝ" followed by a numbered item, a spaced glyph beside a real space."""
from importer import import_document
from importer.read.spacing import repair_spacing
from importer.read.wrapping import rejoin

QUARTERS = """UBND TỈNH HÀ TĨNH
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 86/KH-SKHCN
Hà Tĩnh, ngày 09 tháng 02 năm 2026
KẾ HOẠCH
Thực hiện nhiệm vụ Đề án 06 năm 2026
I. MỤC ĐÍCH, YÊU CẦU
Phân công nhiệm vụ theo từng quý.
II. NHIỆM VỤ THEO QUÝ
1. Quý I năm 2026
1.1. Phòng Chuyển đổi số chủ trì, phối hợp với Văn phòng Sở: Rà soát các hệ thống thông tin.
1.2. Văn phòng Sở chủ trì: Triển khai ký số trên ứng dụng VNeID.
2. Quý III năm 2026
2.1. Phòng Kế hoạch - Tài chính chủ trì: Tham mưu bố trí kinh phí năm 2027.
3. Tổng kết, khen thưởng: Văn phòng Sở chủ trì tổng kết năm, hoàn thành trước ngày 15/12/2026.
III. TỔ CHỨC THỰC HIỆN
Các phòng báo cáo về Văn phòng Sở trước ngày 12 hằng tháng.
"""


def test_a_numbered_period_heading_gives_its_time_to_the_items_below_it_and_no_further():
    draft = import_document(QUARTERS.encode(), "plan.txt")
    by_start = {t.content[:12]: t for t in draft.tasks}
    assert [t.timing.due for t in draft.tasks] == \
        ["2026-03-31", "2026-03-31", "2026-09-30", "2026-12-15"]
    assert not any(t.content.startswith("Quý") for t in draft.tasks)  # the headings are no tasks
    assert by_start["Rà soát các "].lead == ["Phòng Chuyển đổi số"]


def test_a_numbered_item_is_not_glued_to_a_heading_that_ends_like_a_date():
    assert rejoin(["II. NHIỆM VỤ THEO QUÝ", "1. Quý I năm 2026"], width=30) == ["II. NHIỆM VỤ THEO QUÝ", "1. Quý I năm 2026"]
    assert rejoin(["Hoàn thành trong quý", "II/2026 theo kế hoạch."], width=20) == ["Hoàn thành trong quý II/2026 theo kế hoạch."]


def test_a_spaced_glyph_next_to_a_real_space_ends_its_word():
    assert repair_spacing("Đ á nh gi á  an to à n th ô ng tin theo c ấ p đ ộ") == "Đánh giá an toàn thông tin theo cấp độ"
