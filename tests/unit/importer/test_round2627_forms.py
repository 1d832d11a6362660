"""Forms rounds 26 and 27 (blind) showed the importer missing, each fixed by a rule that names no plan and tested here
on made-up text, not the rounds'. The drafts are read by the rules alone (`labeller_mode="off"`), so each test fails
when its rule breaks, whatever the labeller would have drafted."""

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nPHƯỜNG HÒA BÌNH\nSố: 31/KH-UBND\nHòa Bình, ngày 09 tháng 03 năm 2027\n"
        "KẾ HOẠCH\nChuyển đổi số và ứng dụng dữ liệu dân cư năm 2027\n")
TAIL = "III. CHẾ ĐỘ BÁO CÁO\nCác bộ phận báo cáo kết quả về Công an phường trước ngày 18 hằng tháng.\n"


def _plan(body: str, tail: str = TAIL):
    return rules_draft(HEAD + body + tail)


def test_a_members_assignment_is_a_task_of_their_first_post_not_of_the_person():
    draft = _plan(
        "II. PHÂN CÔNG THÀNH VIÊN\n"
        "- Đồng chí Trần Văn Bình – Phó Chủ tịch UBND phường, Phó Trưởng ban: phụ trách rà soát hồ sơ đất đai chưa "
        "số hóa, phối hợp với Văn phòng đăng ký đất đai; hoàn thành: Trước ngày 30/6/2027.\n"
        "- Đồng chí Lò Thị Mai – Công chức Tư pháp - Hộ tịch, thành viên: phụ trách cấp bản sao trích lục hộ tịch "
        "điện tử; hoàn thành: Quý III/2027.\n")
    assert _rows(draft) == [
        ("Rà soát hồ sơ đất đai ch", ["Phó Chủ tịch UBND phường"], ["Văn phòng đăng ký đất đai"], "2027-06-30", None,
         False),
        ("Cấp bản sao trích lục hộ", ["Công chức Tư pháp - Hộ tịch"], [], "2027-09-30", None, False)]
