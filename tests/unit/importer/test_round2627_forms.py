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


def test_a_numbered_phase_heading_gives_its_period_to_the_dashed_items_below_and_is_no_task():
    draft = _plan(
        "II. NHIỆM VỤ THEO GIAI ĐOẠN\n"
        "1. Giai đoạn 1: Từ ngày 05/4/2027 đến ngày 30/5/2027\n"
        "- Công an phường chủ trì, phối hợp với Tổ dân phố số 3 rà soát người chưa có căn cước.\n"
        "- Công an phường chủ trì, phối hợp với Hội Cựu chiến binh tuyên truyền ứng dụng VNeID, hoàn thành trong "
        "tháng 4/2027.\n"
        "2. Đợt 2: Quý III/2027\n"
        "- Văn phòng UBND phường chủ trì, phối hợp với Bưu điện phường số hóa sổ hộ tịch cũ.\n")
    assert [(row[0][:12], row[3], row[4]) for row in _rows(draft)] == [
        ("rà soát ngườ", "2027-05-30", "2027-04-05"),
        ("tuyên truyền", "2027-04-30", None),  # the item's own time wins over its phase's
        ("số hóa sổ hộ", "2027-09-30", None)]


def test_cap_before_a_level_word_names_the_level_and_does_not_end_the_partners():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "1. Công an phường chủ trì, phối hợp với Văn phòng UBND phường chuẩn hóa địa chỉ theo đơn vị hành chính cấp "
        "xã mới, hoàn thành trước ngày 30/4/2027.\n"
        "2. Phòng Văn hóa - Xã hội chủ trì, phối hợp với Trạm Y tế phường giám sát việc dùng căn cước khi khám bệnh, "
        "hoàn thành trong quý II/2027.\n")
    assert [(row[0][:16], row[1], row[2]) for row in _rows(draft)] == [
        ("chuẩn hóa địa ch", ["Công an phường"], ["Văn phòng UBND phường"]),
        ("giám sát việc dù", ["Phòng Văn hóa - Xã hội"], ["Trạm Y tế phường"])]


def test_a_terms_years_name_the_term_and_xuyen_suot_is_recurring():
    from importer.vocabulary.timing import parse_timing

    term, _ = parse_timing("Từ ngày 01/3/2027 đến ngày bầu cử Hội đồng nhân dân nhiệm kỳ 2027 - 2032 (20/5/2027)", 2027)
    assert (term.start, term.due) == ("2027-03-01", "2027-05-20")
    throughout, _ = parse_timing("Thực hiện xuyên suốt", 2027)
    assert throughout.recurring


def test_truoc_tet_nguyen_dan_is_due_the_last_day_before_the_lunar_new_year():
    from importer.vocabulary.timing import parse_timing

    assert parse_timing("Trước Tết Nguyên đán Đinh Mùi 2027", 2027)[0].due == "2027-02-05"  # Tết: 06/02/2027
    assert parse_timing("xong trước Tết 2028", 2028)[0].due == "2028-01-25"  # Tết: 26/01/2028
    draft = _plan("II. NHIỆM VỤ\n1. Công an phường chủ trì, phối hợp với Đoàn Thanh niên phường thu nhận hồ sơ "
                  "căn cước cho học sinh, xong trước Tết Nguyên đán 2027.\n")
    assert [(row[0][:9], row[3]) for row in _rows(draft)] == [("thu nhận ", "2027-02-05")]


def test_a_week_of_a_month_written_in_words_is_due_on_its_last_day():
    from importer.vocabulary.timing import parse_timing

    assert parse_timing("Tuần thứ hai tháng 8", 2027)[0].due == "2027-08-14"
    assert parse_timing("Tuần thứ ba tháng 8/2027", 2027)[0].due == "2027-08-21"


def test_a_sentence_closing_hoan_thanh_cuoi_and_a_period_has_that_time():
    draft = _plan("II. NHIỆM VỤ\n1. Công an phường chủ trì, phối hợp với Tổ dân phố số 2 rà soát hộ tạm trú dài "
                  "ngày, hoàn thành cuối quý III/2027.\n")
    assert [(row[0][:7], row[3]) for row in _rows(draft)] == [("rà soát", "2027-09-30")]


def test_footnotes_below_a_list_are_no_text_of_its_last_item_and_their_marks_leave_the_items():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "1. Văn phòng UBND phường chủ trì, phối hợp với Công an phường số hóa sổ hộ tịch¹, hoàn thành trong tháng "
        "5/2027.\n"
        "2. Công chức Tư pháp - Hộ tịch chủ trì, phối hợp với Công an phường đăng ký thường trú trực tuyến cho "
        "công dân, hoàn thành trong quý III/2027.\n"
        "¹ Theo Công văn số 88/UBND-VP ngày 03/3/2027 của UBND quận.\n")
    assert [(row[0], row[2], row[3]) for row in _rows(draft)] == [
        ("số hóa sổ hộ tịch, hoàn ", ["Công an phường"], "2027-05-31"),
        ("đăng ký thường trú trực ", ["Công an phường"], "2027-09-30")]  # "đăng ký" ends the partners
    assert "Công văn" not in draft.tasks[-1].content


def test_an_amended_tasks_old_time_in_brackets_is_not_its_time():
    draft = _plan("II. NHIỆM VỤ ĐIỀU CHỈNH THỜI GIAN\n1. Số hóa sổ hộ khẩu giấy lưu trữ tại phường. Cơ quan chủ trì: "
                  "Công an phường; cơ quan phối hợp: Văn phòng UBND phường; thời gian hoàn thành: Trước ngày "
                  "31/7/2027 (trước đây: Trước ngày 30/4/2027).\n")
    assert [(row[1], row[3]) for row in _rows(draft)] == [(["Công an phường"], "2027-07-31")]


def test_a_date_in_brackets_closing_a_time_field_is_that_fields_date_and_gives_no_start():
    draft = _plan("II. NHIỆM VỤ\n1. Phòng Giáo dục chủ trì, phối hợp với các trường tiểu học:\na) Cấp tài khoản học "
                  "bạ số cho giáo viên. Thời gian: Trước ngày tựu trường năm học 2027 - 2028 (20/8/2027).\n")
    assert [(row[3], row[4]) for row in _rows(draft)] == [("2027-08-20", None)]


def test_ticked_year_columns_give_the_span_from_the_first_ticked_year_to_the_last():
    rows = ["STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\t2027\t2028\t2029",
            "1\tSố hóa hồ sơ địa chính của phường\tVăn phòng UBND phường\tCông an phường\tx\tx\t",
            "2\tNâng cấp mạng nội bộ của phường\tCông an phường\tVăn phòng UBND phường\t\tx\t"]
    draft = _plan("II. NHIỆM VỤ VÀ LỘ TRÌNH GIAI ĐOẠN 2027 - 2029\n" + "\n".join(rows) + "\n")
    assert [(row[0][:8], row[3], row[4]) for row in _rows(draft)] == [
        ("Số hóa h", "2028-12-31", "2027-01-01"), ("Nâng cấp", "2028-12-31", "2028-01-01")]


def test_a_note_spelling_out_a_short_form_names_the_lead_written_short():
    rows = ["STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian",
            "1\tKiểm định thiết bị đo đạc của phường\tPhòng QLCL\tVăn phòng UBND phường\tQuý II/2027"]
    draft = _plan("II. NHIỆM VỤ\n(Phòng QLCL: Phòng Quản lý chất lượng)\n" + "\n".join(rows) + "\n")
    assert [row[1] for row in _rows(draft)] == [["Phòng Quản lý chất lượng"]]
    other = _plan("II. NHIỆM VỤ\n(Phòng QLCL: Phòng Văn hóa - Xã hội)\n" + "\n".join(rows) + "\n")
    assert [row[1] for row in _rows(other)] == [["Phòng QLCL"]]  # the initials do not spell it: no definition


def test_a_special_zone_after_a_comma_is_a_partner_of_its_own():
    from importer.vocabulary.agencies import split_agencies

    assert split_agencies("Công an tỉnh, Đặc khu Côn Đảo") == ["Công an tỉnh", "Đặc khu Côn Đảo"]
    assert split_agencies("UBND các xã, phường, đặc khu") == ["UBND các xã, phường, đặc khu"]  # a collective's tail


def _targets(draft):
    return [(t.value, t.unit, t.by) for t in draft.targets]


TASK = "III. NHIỆM VỤ\n1. Công an phường rà soát hộ tạm trú, hoàn thành trong tháng 6/2027.\n"


def test_a_half_year_opening_a_target_line_gives_its_year_and_leads_in_a_count():
    draft = _plan("II. CHỈ TIÊU\nTrong 6 tháng cuối năm 2027: cấp mới 2.400 căn cước cho trẻ em; 90% hộ kinh doanh có "
                  "mã thanh toán.\n" + TASK)
    assert _targets(draft) == [(2400, "căn cước", "2027"), (90, "percent", "2027")]


def test_clauses_inside_a_paragraph_opening_with_their_year_and_a_percentage_are_targets_of_that_year():
    draft = _plan("I. MỤC ĐÍCH\nĐiều 1. Ban hành Chương trình số hóa của phường với các mục tiêu sau: đến năm 2028, 80% "
                  "hồ sơ hộ tịch được số hóa; đến năm 2029, 100% hồ sơ đất đai được số hóa.\n" + TASK)
    assert _targets(draft) == [(80, "percent", "2028"), (100, "percent", "2029")]


def test_inner_lead_ins_with_words_before_the_year_or_a_dated_aim_right_after_phan_dau():
    added = _plan("I. MỤC ĐÍCH\nĐiều 1. Sửa đổi Kế hoạch số 12/KH-UBND. Chỉ tiêu điều chỉnh năm 2027: 95% người cao "
                  "tuổi nhận trợ cấp qua tài khoản; cấp mới 1.300 tài khoản định danh.\n" + TASK)
    assert _targets(added) == [(95, "percent", "2027"), (1300, "tài khoản", "2027")]
    aimed = _plan("I. MỤC ĐÍCH, YÊU CẦU\nGiao việc rõ người, rõ thời gian; phấn đấu năm 2027 mở thêm 900 tài khoản dịch vụ "
                  "công trực tuyến trên địa bàn.\n" + TASK)
    assert _targets(aimed) == [(900, "tài khoản", "2027")]
    colon = _plan("I. MỤC ĐÍCH, YÊU CẦU\nBảo đảm tiến độ. Phấn đấu năm 2027: 100% trường học thu phí không dùng tiền "
                  "mặt; 85% phụ huynh dùng VNeID.\n" + TASK)
    assert _targets(colon) == [(100, "percent", "2027"), (85, "percent", "2027")]


def test_a_paragraph_closing_with_a_lead_in_names_the_year_of_the_line_below_whatever_dates_it_names_before():
    draft = _plan("I. MỤC ĐÍCH\nĐiều 1. Sửa đổi Kế hoạch số 12/KH-UBND ngày 05/01/2026. Chỉ tiêu điều chỉnh năm 2027:\n"
                  "95% người cao tuổi nhận trợ cấp qua tài khoản; cấp mới 1.300 tài khoản định danh.\n" + TASK)
    assert _targets(draft) == [(95, "percent", "2027"), (1300, "tài khoản", "2027")]
