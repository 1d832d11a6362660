"""Forms rounds 28 and 29 (blind) showed the importer missing, each fixed by a rule that names no plan and tested
here on made-up text, not the rounds'. The drafts are read by the rules alone (`labeller_mode="off"`), so each test
fails when its rule breaks, whatever the labeller would have drafted."""

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nHUYỆN SÔNG MÃ\nSố: 71/KH-UBND\nSông Mã, ngày 12 tháng 01 năm 2027\n"
        "KẾ HOẠCH\nSố hóa hồ sơ hộ tịch năm 2027\n")
TAIL = "IV. CHẾ ĐỘ BÁO CÁO\nCác cơ quan báo cáo kết quả về Công an huyện trước ngày 18 hằng tháng.\n"


def _plan(body: str, tail: str = TAIL):
    return rules_draft(HEAD + body + tail)


def test_a_group_row_naming_one_agency_leads_the_rows_of_a_table_with_no_lead_column():
    draft = _plan(
        "III. NHIỆM VỤ\n"
        "TT\tNội dung công việc\tĐơn vị phối hợp\tThời gian hoàn thành\tKết quả\n"
        "A. PHÒNG TƯ PHÁP\t\t\t\t\n"
        "1\tSố hóa sổ đăng ký khai sinh lưu trữ từ năm 2000\tUBND các xã\tQuý II/2027\tDữ liệu số\n"
        "2\tĐối chiếu dữ liệu hộ tịch với dữ liệu dân cư\tCông an huyện\tTháng 9/2027\tBáo cáo\n"
        "B. TRUNG TÂM VĂN HÓA HUYỆN\t\t\t\t\n"
        "1\tPhát thanh hướng dẫn đăng ký khai sinh trực tuyến\tUBND các xã\tQuý III/2027\tTin bài\n")
    assert [(row[0], row[1], row[3]) for row in _rows(draft)] == [
        ("Số hóa sổ đăng ký khai s", ["Phòng Tư pháp"], "2027-06-30"),
        ("Đối chiếu dữ liệu hộ tịc", ["Phòng Tư pháp"], "2027-09-30"),
        ("Phát thanh hướng dẫn đăn", ["Trung tâm Văn hóa huyện"], "2027-09-30")]


def test_a_group_row_naming_work_is_no_lead():
    draft = _plan(
        "III. NHIỆM VỤ\n"
        "TT\tNội dung công việc\tĐơn vị chủ trì\tThời gian hoàn thành\n"
        "I. CÔNG TÁC TUYÊN TRUYỀN\t\t\t\n"
        "1\tPhát thanh hướng dẫn đăng ký khai sinh trực tuyến\tTrung tâm Văn hóa huyện\tQuý III/2027\n")
    assert [(row[0], row[1]) for row in _rows(draft)] == [("Phát thanh hướng dẫn đăn", ["Trung tâm Văn hóa huyện"])]


WEEKS_TABLE = ("STT\tNội dung\tĐơn vị thực hiện\tThời gian\n"
               "1\tRà soát hồ sơ khai sinh chưa có số định danh\tCông an xã\tTuần 2 tháng 5/2027\n")


def test_a_week_of_the_month_is_counted_by_the_plans_own_rule_for_its_weeks():
    stated = _plan("I. NỘI DUNG\nMỗi tuần tính từ thứ 2 đến chủ nhật; tuần thứ nhất là tuần bắt đầu từ thứ 2 đầu tiên "
                   "của tháng.\n" + WEEKS_TABLE)
    holding = _plan("I. NỘI DUNG\nTuần được tính từ thứ Hai đến Chủ nhật, tuần 1 là tuần có ngày 01 của tháng.\n"
                    + WEEKS_TABLE)
    unstated = _plan("I. NỘI DUNG\n" + WEEKS_TABLE)
    # 1 May 2027 is a Saturday: the first Monday is the 3rd, the week holding the 1st opened on 26 April
    assert [(row[3], row[4]) for row in _rows(stated)] == [("2027-05-16", "2027-05-10")]
    assert [(row[3], row[4]) for row in _rows(holding)] == [("2027-05-09", "2027-05-03")]
    assert [(row[3], row[4]) for row in _rows(unstated)] == [("2027-05-14", None)]  # the corpus's days 8-14


COMMUNE = ("ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH\nSố: 09/KH-UBND\nHòa Bình, ngày 03 tháng 02 năm 2027\n"
           "KẾ HOẠCH\nThực hiện Đề án 06 trên địa bàn xã năm 2027\n")
ROWS = ("III. NHIỆM VỤ\nTT\tNội dung\tChủ trì\tPhối hợp\tThời gian\n"
        "1\tTuyên truyền sử dụng ứng dụng VNeID\tUBND xã\tCông an xã\tQuý I/2027\n"
        "2\tRà soát dữ liệu hộ tịch\tCông an xã\tỦy ban nhân dân xã\tQuý II/2027\n"
        "3\tHỗ trợ xã bạn kích hoạt tài khoản\tCông an xã\tUBND phường\tQuý III/2027\n")


def test_the_issuing_committee_named_by_its_level_alone_is_the_issuer():
    draft = rules_draft(COMMUNE + ROWS + TAIL)
    assert [(row[1], row[2]) for row in _rows(draft)] == [
        (["UBND xã Hòa Bình"], ["Công an xã"]),
        (["Công an xã"], ["UBND xã Hòa Bình"]),
        (["Công an xã"], ["UBND phường"])]  # another level: not the issuer
    group = rules_draft(COMMUNE.replace("ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH", "UBND XÃ HÒA BÌNH\nTỔ CÔNG TÁC ĐỀ ÁN 06")
                        .replace("09/KH-UBND", "09/KH-TCT") + ROWS + TAIL)
    assert _rows(group)[0][1] == ["UBND xã"]  # a working group's plan: the committee is not its issuer


def test_a_headers_second_row_arriving_as_a_row_of_its_own_names_the_columns_below_the_first():
    draft = _plan(
        "III. NHIỆM VỤ\n"
        "STT\tCông việc\tĐơn vị thực hiện\t\tThời gian\t\n"
        "\t\tChủ trì\tPhối hợp\tBắt đầu\tKết thúc\n"
        "1\tLắp đặt máy đọc căn cước tại bộ phận một cửa\tVăn phòng HĐND và UBND huyện\tCông an huyện\t01/4/2027\t"
        "30/6/2027\n")
    assert [(row[1], row[2], row[3], row[4]) for row in _rows(draft)] == [
        (["Văn phòng HĐND và UBND huyện"], ["Công an huyện"], "2027-06-30", "2027-04-01")]


def test_a_deadline_then_kept_up_to_the_years_end_is_due_and_recurring():
    draft = _plan("III. NHIỆM VỤ\n1. Phòng Văn hóa và Thông tin cập nhật bản đồ điểm thanh toán không dùng tiền mặt; "
                  "thời gian: xong trước 31/5/2027, duy trì tới cuối năm.\n")
    assert [(row[3], row[5]) for row in _rows(draft)] == [("2027-05-31", True)]


AGENCY_ITEMS = "III. NHIỆM VỤ CỦA CÁC CƠ QUAN\n1. Phòng Tư pháp\n"


def test_a_closing_hoan_thanh_field_gives_its_value_as_the_time_when_the_sentence_gives_none():
    draft = _plan(AGENCY_ITEMS +
                  "a) Đối chiếu dữ liệu hộ tịch, phối hợp với Công an huyện. Hoàn thành: Quý IV/2027.\n"
                  "b) Liên thông đăng ký khai tử, phối hợp với Trung tâm Y tế huyện. Hoàn thành: Theo lộ trình của "
                  "Bộ Tư pháp.\n")
    assert [(row[0], row[3], row[5]) for row in _rows(draft)] == [
        ("Đối chiếu dữ liệu hộ tịc", "2027-12-31", False), ("Liên thông đăng ký khai ", None, False)]
    assert draft.tasks[1].timing.condition == "Theo lộ trình của Bộ Tư pháp"


def test_a_bodys_kind_alone_before_a_verb_word_is_part_of_the_partners_name():
    draft = _plan(AGENCY_ITEMS + "a) Số hóa hồ sơ di tích, phối hợp với Công an huyện, Ban quản lý dự án huyện. "
                                 "Hoàn thành: Trước 30/9/2027.\n")
    assert _rows(draft)[0][2] == ["Công an huyện", "Ban quản lý dự án huyện"]


MONTH_ITEMS = ("I. CÔNG VIỆC\n"
               "+ Công an xã: Thu nhận hồ sơ căn cước tại thôn Bản Lầu, hoàn thành trước 20/7/2027 (phối hợp: "
               "Trưởng thôn Bản Lầu).\n"
               "THÁNG 8/2027\n"
               "+ Công chức Tư pháp: Đối chiếu sổ hộ tịch với dữ liệu dân cư (phối hợp: Công an xã).\n")


def test_a_period_line_in_capitals_after_an_open_item_heads_the_items_below_it():
    draft = _plan(MONTH_ITEMS)
    assert [(row[0], row[3]) for row in _rows(draft)] == [
        ("Thu nhận hồ sơ căn cước ", "2027-07-20"), ("Đối chiếu sổ hộ tịch với", "2027-08-31")]
    assert "THÁNG 8" not in " ".join(draft.tasks[0].support + [draft.tasks[0].content])


def test_a_label_opened_inside_a_bracket_ends_where_the_bracket_closes():
    draft = _plan(MONTH_ITEMS)
    assert [row[2] for row in _rows(draft)] == [["Trưởng thôn Bản Lầu"], ["Công an xã"]]


PARTY = ("ĐẢNG BỘ HUYỆN SÔNG MÃ\tĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY XÃ CHIỀNG KHOONG\n*\nSố 14-KH/ĐU\t"
         "Chiềng Khoong, ngày 09 tháng 02 năm 2027\nKẾ HOẠCH\nLãnh đạo chuyển đổi số năm 2027\n")


def test_a_party_bodys_number_joins_its_count_to_the_kind_with_a_dash():
    draft = rules_draft(PARTY + "III. NHIỆM VỤ\n1. UBND xã rà soát dữ liệu dân cư, hoàn thành trước 30/6/2027.\n")
    assert draft.plan.number == "14-KH/ĐU"


def test_a_bare_nam_with_its_own_bracketed_due_after_va_is_the_annual_report():
    draft = _plan("III. NHIỆM VỤ\n1. Phòng Tư pháp rà soát dữ liệu hộ tịch, hoàn thành trước 30/6/2027.\n",
                  "IV. TỔ CHỨC THỰC HIỆN\nCác cơ quan báo cáo Thường trực Đảng ủy kết quả định kỳ 6 tháng (chậm nhất "
                  "ngày 10/6/2027) và năm (chậm nhất ngày 20/11/2027).\n")
    assert [(r.cycle, r.due_day) for r in draft.reporting] == [("semiannual", 10), ("annual", 20)]


def test_a_name_ending_in_a_collective_goes_on_with_the_next_kind_in_lower_case():
    draft = _plan("III. NHIỆM VỤ\nTT\tNội dung\tChủ trì\tPhối hợp\tThời gian\n"
                  "1\tLàm sạch dữ liệu cư trú\tCông an huyện\tTrưởng các xóm, bản, Tổ công tác\tQuý II/2027\n")
    assert _rows(draft)[0][2] == ["Trưởng các xóm, bản", "Tổ công tác"]


def test_a_year_opening_a_led_in_target_without_a_colon_is_its_year_not_its_value():
    draft = _plan("II. CHỈ TIÊU\nChỉ tiêu: trong năm 2027 cấp mới 2.400 thẻ căn cước cho trẻ em.\n"
                  "III. NHIỆM VỤ\n1. Phòng Tư pháp rà soát dữ liệu hộ tịch, hoàn thành trước 30/6/2027.\n")
    assert [(t.value, t.unit, t.by) for t in draft.targets] == [(2400, "thẻ căn", "2027")]


def test_a_flattened_tables_numbering_column_opens_its_header_and_a_heading_above_stays_a_heading():
    draft = _plan("Mục 1\nYÊU CẦU\nBảo đảm số hóa đúng tiến độ, dữ liệu hộ tịch được đối chiếu, làm sạch trước khi "
                  "kết nối với Cơ sở dữ liệu quốc gia về dân cư.\n"
                  "Mục 2\nCÔNG VIỆC CỤ THỂ\nSTT\nCông việc\nĐơn vị chủ trì\nĐơn vị phối hợp\nThời hạn\n\n"
                  "1\nSố hóa sổ đăng ký khai sinh lưu trữ\nPhòng Tư pháp\nUBND các xã\nQuý II/2027\n\n"
                  "2\nĐối chiếu dữ liệu hộ tịch với dữ liệu dân cư\nPhòng Tư pháp\nCông an huyện\nQuý III/2027\n\n"
                  "Mục 3\nTỔ CHỨC THỰC HIỆN\nPhòng Tư pháp theo dõi, đôn đốc việc thực hiện.\n", tail="")
    assert [(row[0], row[1], row[2], row[3]) for row in _rows(draft)] == [
        ("Số hóa sổ đăng ký khai s", ["Phòng Tư pháp"], ["UBND các xã"], "2027-06-30"),
        ("Đối chiếu dữ liệu hộ tịc", ["Phòng Tư pháp"], ["Công an huyện"], "2027-09-30")]


SCANNED = ("ỦY BAN NHÂN DÂN\nHUYỆN SÔNG MÃ\nSố: 71/KH-UBND\nSông Mã, ngày 12 tháng 01 năm 2027\nKẾ HOẠCH\n"
           "Số hóa hồ sơ hộ tịch năm 2027\n"
           "I. MỤC ĐÍCH, YÊU CẦU\n"
           "Bảo đảm hồ sơ hộ tịch lưu trữ tại các xã được số hóa, đối\n"
           "chiếu với dữ liệu dân cư, phục vụ giải quyết thủ tục hành\n"
           "chính trên môi trường điện tử cho người dân trong huyện.\n"
           "II. NHIỆM VỤ CỤ THỂ\n"
           "1. Số hóa sổ đăng ký khai sinh, khai tử lưu trữ tại các xã\n"
           "từ năm 2000 đến nay, cập nhật vào phần mềm hộ tịch điện tử.\n"
           "- Chủ trì: Phòng Tư pháp.\n"
           "\n3\n\n"
           "- Phối hợp: Công-\n"
           "an huyện, UBND các xã.\n"
           "- Thời gian: Quý III/2027.\n"
           "2. Hướng dẫn người dân nộp hồ sơ đăng ký khai sinh trực tuyến\n"
           "trên Cổng dịch vụ-\n"
           "công quốc gia tại bộ phận một cửa của các xã trong huyện.\n"
           "- Chủ trì: Văn phòng HĐND và UBND huyện.\n"
           "- Phối hợp: Công an huyện.\n"
           "- Thời gian: Thường xuyên.\n")


def test_a_scans_line_end_hyphen_inside_a_term_and_a_lone_page_number_are_no_part_of_the_text():
    draft = rules_draft(SCANNED + TAIL)
    assert [(row[1], row[2]) for row in _rows(draft)] == [
        (["Phòng Tư pháp"], ["Công an huyện", "UBND các xã"]), (["Văn phòng HĐND và UBND huyện"], ["Công an huyện"])]
    assert "dịch vụ công quốc gia" in draft.tasks[1].content
