"""Forms round 25 (blind) showed the importer missing, each fixed by a rule that names no plan and tested here on
made-up text, not round 25's. The drafts are read by the rules alone (`labeller_mode="off"`), so each test fails
when its rule breaks, whatever the labeller would have drafted."""

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ TÂN PHÚ\nSố: 44/KH-UBND\nTân Phú, ngày 05 tháng 02 năm 2027\n"
        "KẾ HOẠCH\nỨng dụng dữ liệu dân cư năm 2027\n")
TAIL = "IV. CHẾ ĐỘ BÁO CÁO\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 20 hằng tháng.\n"


def _plan(body: str, tail: str = TAIL):
    return rules_draft(HEAD + body + tail)


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


def _targets(draft):
    return [(t.value, t.unit, t.by) for t in draft.targets]


TASK = "III. NHIỆM VỤ\n1. Bộ phận Văn phòng rà soát hồ sơ một cửa, hoàn thành trong tháng 4/2027.\n"


def test_a_year_opening_a_line_then_a_colon_leads_in_its_values():
    draft = _plan("II. CHỈ TIÊU\nĐến hết năm 2027: 95% hồ sơ đăng ký kết hôn được tiếp nhận trực tuyến; 70% hộ kinh "
                  "doanh thanh toán không dùng tiền mặt.\n" + TASK)
    assert _targets(draft) == [(95, "percent", "2027"), (70, "percent", "2027")]


def test_a_dated_bound_written_with_dashes_and_no_ngay_gives_its_year():
    draft = _plan("II. CHỈ TIÊU\nPhấn đấu đến 30-11-2027: cấp mới 1.800 căn cước cho trẻ em dưới 14 tuổi; 85% người dân "
                  "dùng ứng dụng VNeID.\n" + TASK)
    assert _targets(draft) == [(1800, "căn cước", "2027"), (85, "percent", "2027")]


def test_a_sentence_inside_a_paragraph_opening_chi_tieu_and_its_year_leads_in_a_count_after_a_verb():
    draft = _plan("I. MỤC ĐÍCH\nĐiều 1. Ban hành Kế hoạch chuyển đổi số của xã năm 2027. Chỉ tiêu năm 2027: cấp mới "
                  "4.500 tài khoản định danh điện tử; 100% thôn có tổ công nghệ số cộng đồng.\n" + TASK)
    assert _targets(draft) == [(4500, "tài khoản", "2027"), (100, "percent", "2027")]


def test_a_clause_inside_a_paragraph_of_aims_opening_phan_dau_with_a_percentage_is_a_target():
    draft = _plan("I. MỤC ĐÍCH, YÊU CẦU\nGiao việc cụ thể cho từng bộ phận, công chức; phấn đấu cấp thẻ cho 100% "
                  "học sinh đủ điều kiện trong năm 2027.\n" + TASK)
    assert _targets(draft) == [(100, "percent", "2027")]
    work = _plan("I. MỤC ĐÍCH, YÊU CẦU\nGiao việc cụ thể cho từng bộ phận, công chức; phấn đấu tổ chức 2 đợt "
                 "tuyên truyền trong năm 2027.\n" + TASK)  # a count of work, no percentage: no target
    assert _targets(work) == []


def _issuer(header: str, number: str) -> str | None:
    text = (f"{header}\nSố: {number}\nBắc Kạn, ngày 12 tháng 3 năm 2027\nKẾ HOẠCH\nBảo đảm an ninh dữ liệu năm 2027\n"
            "I. NHIỆM VỤ\n1. Đội Tham mưu rà soát tài khoản quản trị hệ thống, hoàn thành trong tháng 5/2027.\n")
    return rules_draft(text).plan.issuer


def test_a_header_whose_last_line_is_the_drafting_unit_the_number_names_last_gives_the_body_above_it():
    assert _issuer("CÔNG AN TỈNH BẮC KẠN\nPHÒNG PV01", "27/KH-CAT-PV01") == "Công an tỉnh Bắc Kạn"
    # the unit's own plan, its code the only one after the kind of document: the last line issues, as before
    assert _issuer("CÔNG AN TỈNH BẮC KẠN\nPHÒNG PV01", "27/KH-PV01") == "Phòng Pv01 tỉnh Bắc Kạn"
    # a department under its province, the number naming the department alone: the last line issues
    assert _issuer("UBND TỈNH BẮC KẠN\nSỞ TƯ PHÁP", "27/KH-STP") == "Sở Tư pháp tỉnh Bắc Kạn"


def test_a_body_the_letterhead_names_short_is_named_as_the_title_names_it_in_full():
    title = "KẾ HOẠCH\nHoạt động tháng 9 năm 2027 của Ban chỉ đạo chuyển đổi số phường Đông Xuyên\n"
    text = ("UBND PHƯỜNG ĐÔNG XUYÊN\nBAN CHỈ ĐẠO SỐ\nSố: 09/KH-BCĐ\nĐông Xuyên, ngày 01 tháng 9 năm 2027\n" + title
            + "I. NHIỆM VỤ\n1. Tổ công nghệ số hướng dẫn người dân cài đặt ứng dụng, hoàn thành trong tháng 9/2027.\n")
    draft = rules_draft(text)
    assert draft.plan.issuer == "Ban chỉ đạo chuyển đổi số phường Đông Xuyên"
    # a title naming the letterhead's body with no words of its own changes nothing
    same = text.replace("Ban chỉ đạo chuyển đổi số phường", "Ban chỉ đạo số phường")
    assert rules_draft(same).plan.issuer == \
        "Ban Chỉ đạo số phường Đông Xuyên"  # the letterhead as read before


def test_a_column_per_responsible_level_gives_the_higher_level_the_lead_and_the_lower_the_partners():
    table = ("| TT | Công việc | Cấp huyện | Cấp xã | Thời hạn |\n|---|---|---|---|---|\n"
             "| 1 | Rà soát điểm truy cập Internet công cộng | Phòng Văn hóa và Thông tin | UBND các xã | Tháng 5/2027 |\n"
             "| 2 | Cập nhật bản đồ số trụ sở cơ quan | Phòng Kinh tế và Hạ tầng | Công an các xã | Tháng 7/2027 |\n")
    draft = _plan("III. NHIỆM VỤ\n" + table)
    assert [(row[1], row[2], row[3]) for row in _rows(draft)] == [
        (["Phòng Văn hóa và Thông tin"], ["UBND các xã"], "2027-05-31"),
        (["Phòng Kinh tế và Hạ tầng"], ["Công an các xã"], "2027-07-31")]
