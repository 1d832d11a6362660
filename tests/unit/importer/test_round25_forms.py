"""Forms round 25 (blind) showed the importer missing, each fixed by a rule that names no plan and tested here on
made-up text, not round 25's. The drafts are read by the rules alone (`labeller_mode="off"`), so each test fails
when its rule breaks, whatever the labeller would have drafted."""
from importer import import_document

from .plan_cases import task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ TÂN PHÚ\nSố: 44/KH-UBND\nTân Phú, ngày 05 tháng 02 năm 2027\n"
        "KẾ HOẠCH\nỨng dụng dữ liệu dân cư năm 2027\n")
TAIL = "IV. CHẾ ĐỘ BÁO CÁO\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 20 hằng tháng.\n"


def _plan(body: str, tail: str = TAIL):
    return import_document((HEAD + body + tail).encode(), "plan.txt", labeller_mode="off")


def test_a_tasks_own_closing_time_stands_when_the_assignment_sentence_after_it_names_none():
    draft = _plan(
        "III. NHIỆM VỤ\n"
        "1. Rà soát hộ kinh doanh chưa thanh toán không dùng tiền mặt tại chợ xã, xong trước ngày 15/5/2027.\n"
        "Giao Bộ phận Tài chính chủ trì, phối hợp với Ban quản lý chợ thực hiện.\n"
        "2. Chi trả phụ cấp hằng tháng cho cộng tác viên dân số qua tài khoản, hoàn thành trước ngày 31/8/2027.\n"
        "Giao Bộ phận Văn hóa - Xã hội chủ trì, phối hợp với Bưu điện xã thực hiện.\n"
        "3. Niêm yết danh mục thủ tục trực tuyến tại bộ phận một cửa của xã.\n"
        "Giao Văn phòng HĐND và UBND xã chủ trì, phối hợp với Công an xã thực hiện; thời gian: Quý III/2027.\n")
    assert [(row[0], row[1][:1], row[3], row[5]) for row in _rows(draft)] == [
        ("Rà soát hộ kinh doanh ch", ["Bộ phận Tài chính"], "2027-05-15", False),
        ("Chi trả phụ cấp hằng thá", ["Bộ phận Văn hóa - Xã hội"], "2027-08-31", False),  # "hằng tháng" is what is paid
        ("Niêm yết danh mục thủ tụ", ["Văn phòng HĐND và UBND xã"], "2027-09-30", False)]  # the sentence's own time
