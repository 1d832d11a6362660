"""Forms round 21 (blind) showed the importer missing, each fixed by a rule that names no plan and tested here on
made-up text, not round 21's. The drafts are read by the rules alone (`labeller_mode="off"`), so each test fails
when its rule breaks, whatever the labeller would have drafted."""

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\nSố: 17/TB-UBND\nAn Phú, ngày 9 tháng 6 năm 2027\n"
        "THÔNG BÁO\nKết luận của Chủ tịch UBND xã tại cuộc họp tháng 6\n")
TAIL = "III. CHẾ ĐỘ BÁO CÁO\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 22 hằng tháng.\n"


def _draft(body: str, name: str = "notice.txt"):
    return rules_draft(HEAD + body + TAIL, name)


def test_an_item_addressed_to_an_agency_with_its_time_last_is_a_task_that_agency_leads():
    draft = _draft(
        "II. NHIỆM VỤ THỜI GIAN TỚI\n"
        "1. Giao Công an xã chủ trì, phối hợp với Trưởng các thôn rà soát hộ chưa có mã số định danh; trước ngày "
        "30/7/2027.\n"
        "2. Giao Bộ phận một cửa xã phối hợp với Công an xã hướng dẫn người dân nộp hồ sơ trực tuyến; trong quý "
        "III/2027.\n"
        "3. Đề nghị Hội Nông dân xã chỉ đạo các chi hội vận động hội viên cài đặt VNeID; hằng quý.\n"
        "4. Yêu cầu các thôn trưởng theo dõi việc cấp căn cước tại thôn; thường xuyên.\n")
    assert _rows(draft) == [
        ("Rà soát hộ chưa có mã số", ["Công an xã"], ["Trưởng các thôn"], "2027-07-30", None, False),
        ("Hướng dẫn người dân nộp ", ["Bộ phận một cửa xã"], ["Công an xã"], "2027-09-30", None, False),
        ("Chỉ đạo các chi hội vận ", ["Hội Nông dân xã"], [], None, None, True),
        ("Theo dõi việc cấp căn cư", ["Các thôn trưởng"], [], None, None, True)]


def test_an_addressed_item_without_a_closing_time_or_addressed_to_no_agency_is_no_task():
    draft = _draft(
        "II. NHIỆM VỤ THỜI GIAN TỚI\n"
        "1. Đề nghị UBND huyện quan tâm bố trí kinh phí nâng cấp đường truyền trong năm 2027.\n"
        "2. Giao Công an xã chủ trì tham mưu; tổng hợp tình hình, hằng tháng báo cáo Chủ tịch UBND xã theo quy "
        "định.\n"
        "3. Yêu cầu 100% hồ sơ được số hóa; trong năm 2027.\n"
        "4. Giao Văn phòng UBND xã cập nhật danh mục thủ tục; trước ngày 15/8/2027.\n")
    assert _rows(draft) == [("Cập nhật danh mục thủ tụ", ["Văn phòng UBND xã"], [], "2027-08-15", None, False)]


PLAN_HEAD = ("CÔNG AN TỈNH HÒA BÌNH\nPHÒNG PC06\nSố: 88/KH-PC06\nHòa Bình, ngày 3 tháng 3 năm 2027\n"
             "KẾ HOẠCH\nThu nhận dữ liệu chuyên ngành năm 2027\nI. MỤC ĐÍCH\nBảo đảm tiến độ.\n")


def _plan(body: str):
    return rules_draft(PLAN_HEAD + body + TAIL)


def test_sub_items_take_the_lead_their_item_names_in_a_bracket_before_announcing_them():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "1. Đồng bộ dữ liệu chuyên ngành vào hệ thống (Phòng Quản lý cư trú chủ trì, phối hợp Sở Tài chính, Sở Nội "
        "vụ), gồm các nội dung:\n"
        "a) Đồng bộ dữ liệu đăng ký doanh nghiệp, hoàn thành trước ngày 31/5/2027 (phối hợp: Sở Tài chính);\n"
        "b) Đồng bộ dữ liệu cán bộ, công chức, trong quý III/2027;\n"
        "2. Kiểm tra việc thu nhận hồ sơ tại các xã, hoàn thành trước ngày 30/9/2027 (Thanh tra Công an tỉnh chủ "
        "trì).\n")
    assert _rows(draft) == [
        ("Đồng bộ dữ liệu đăng ký ", ["Phòng Quản lý cư trú"], ["Sở Tài chính"], "2027-05-31", None, False),
        ("Đồng bộ dữ liệu cán bộ, ", ["Phòng Quản lý cư trú"], ["Sở Tài chính", "Sở Nội vụ"], "2027-09-30", None,
         False),
        ("Kiểm tra việc thu nhận h", ["Thanh tra Công an tỉnh"], [], "2027-09-30", None, False)]


def test_a_closing_clause_following_another_bodys_progress_is_the_tasks_condition():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "1. Kết nối dữ liệu hộ tịch với hệ thống của tỉnh, theo tiến độ của Sở Tư pháp (Phòng Quản lý cư trú chủ "
        "trì).\n"
        "2. Cập nhật dữ liệu theo tiến độ đề ra, hoàn thành trước ngày 30/6/2027 (Phòng Quản lý cư trú chủ trì).\n")
    assert [(t.timing.condition, t.timing.due) for t in draft.tasks] == [
        ("theo tiến độ của Sở Tư pháp", None), (None, "2027-06-30")]


def test_a_year_and_the_years_after_it_is_a_recurring_time_with_no_deadline():
    from importer.vocabulary.timing import parse_timing

    def read(text):
        timing, _ = parse_timing(text, 2027)
        return timing.due, timing.start, timing.recurring

    assert read("Năm 2027 và các năm tiếp theo") == (None, None, True)
    assert read("từ năm 2028 và những năm sau") == (None, None, True)
    assert read("Năm 2027") == ("2027-12-31", None, False)  # the year alone is its deadline
    assert read("Quý III/2027 và các năm sau") == ("2027-09-30", None, False)  # only a whole year runs on


def test_a_column_naming_the_force_that_does_the_work_is_the_lead_column_whatever_columns_stand_beside_it():
    from importer.body.table_header import header_row

    cols = header_row(["Ngày", "Nơi tổ chức", "Nội dung", "Lực lượng thực hiện", "Lực lượng phối hợp"])
    assert cols is not None and (cols.index["lead"], cols.index["support"], cols.index["content"]) == (3, 4, 2)
    assert header_row(["Ngày", "Nơi tổ chức", "Nội dung", "Lực lượng"]).index["lead"] == 3
    draft = _plan(
        "II. LỊCH THỰC HIỆN\n"
        "| Thời gian | Nơi tổ chức | Nội dung | Lực lượng thực hiện | Lực lượng phối hợp |\n"
        "|---|---|---|---|---|\n"
        "| Thứ Sáu, 05/3 | Nhà văn hóa thôn Bản Mế | Thu nhận hồ sơ cấp căn cước cho người cao tuổi | Công an xã | "
        "Trưởng thôn Bản Mế |\n"
        "| Thứ Hai hằng tuần | Trụ sở UBND xã | Rà soát danh sách công dân chưa kích hoạt định danh | Công an xã | |\n")
    assert _rows(draft) == [
        ("Thu nhận hồ sơ cấp căn c", ["Công an xã"], ["Trưởng thôn Bản Mế"], "2027-03-05", None, False),
        ("Rà soát danh sách công d", ["Công an xã"], [], None, None, True)]


def test_a_day_of_the_periods_last_month_is_the_due_day_of_every_cycle_the_sentence_lists():
    from importer.read.lines import Line
    from importer.vocabulary.schedules import find_reporting

    def read(text):
        return [(r.cycle, r.due_day, r.due) for r in find_reporting([Line(1, text)])]

    assert read("Các phòng báo cáo kết quả định kỳ hằng quý, 6 tháng, năm về Văn phòng Sở chậm nhất ngày 10 "
                "của tháng cuối kỳ báo cáo.") == [
        ("quarterly", 10, "hằng quý, trước ngày 10"), ("semiannual", 10, "6 tháng, trước ngày 10/6"),
        ("annual", 10, "năm, trước ngày 10/12")]
    assert [c for c, _, _ in read("Báo cáo kết quả 6 tháng, năm 2027 về Sở Nội vụ.")] == ["semiannual"]  # a year


def test_targets_under_a_targets_heading_a_date_opening_the_line_a_bound_in_its_opening_words_a_count_per_clause():
    from importer.read.lines import Line
    from importer.vocabulary.targets import find_targets

    def read(*texts):
        lines = [Line(n, text) for n, text in enumerate(texts, 1)]
        return [(t.value, t.unit, t.by) for t in find_targets(lines, set())]

    assert read("II. CHỈ TIÊU",
                "Đến ngày 30/11/2027, 95% hộ gia đình được xác thực thông tin; cấp mới 12.000 thẻ căn cước cho trẻ "
                "em.",
                "- Giảm tối thiểu 20% số giấy tờ công dân phải nộp trong năm 2027.") == [
        (95, "percent", "2027"), (12000, "thẻ căn", "2027"), (20, "percent", "2027")]
    assert read("II. NHIỆM VỤ", "- Giảm tối thiểu 20% số giấy tờ công dân phải nộp trong năm 2027.") == []


def test_a_flattened_schedule_whose_rows_open_with_a_weekday_and_a_place_column_is_rebuilt():
    draft = _plan(
        "II. LỊCH THỰC HIỆN\n"
        "Thời gian\nĐịa điểm\nNội dung công việc\nLực lượng thực hiện\nPhối hợp\n\n"
        "Thứ Sáu, 05/3\nNhà văn hóa thôn Bản Mế\nThu nhận hồ sơ cấp căn cước cho người cao\ntuổi\nCông an xã\n"
        "Trưởng thôn Bản Mế\n\n"
        "Thứ Hai hằng tuần\nTrụ sở UBND xã\nRà soát danh sách công dân chưa kích hoạt\nCông an xã\n\n\n")
    assert _rows(draft) == [
        ("Thu nhận hồ sơ cấp căn c", ["Công an xã"], ["Trưởng thôn Bản Mế"], "2027-03-05", None, False),
        ("Rà soát danh sách công d", ["Công an xã"], [], None, None, True)]


def test_a_flattened_table_keeps_reading_past_a_numbered_group_row_in_sentence_case_cut_over_two_lines():
    from importer.read.flat_tables import rebuild_tables

    lines = ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian", "",
             "1. Nhóm nhiệm vụ phục vụ giải quyết thủ tục hành chính và cung", "cấp dịch vụ công", "",
             "1", "Rà soát thủ tục hành chính", "Công an xã", "Quý II/2027", "",
             "2. Nhóm nhiệm vụ phát triển công dân số", "",
             "2", "Kích hoạt tài khoản định danh", "Công an xã", "Thường xuyên", "",
             "3. Tổ chức thực hiện", "Các bộ phận báo cáo kết quả hằng tháng."]
    assert rebuild_tables(lines) == [
        "STT\tNhiệm vụ\tChủ trì\tThời gian",
        "1. Nhóm nhiệm vụ phục vụ giải quyết thủ tục hành chính và cung cấp dịch vụ công\t\t\t",
        "1\tRà soát thủ tục hành chính\tCông an xã\tQuý II/2027",
        "2. Nhóm nhiệm vụ phát triển công dân số\t\t\t",
        "2\tKích hoạt tài khoản định danh\tCông an xã\tThường xuyên",
        "3. Tổ chức thực hiện", "Các bộ phận báo cáo kết quả hằng tháng."]  # no row after it: the table ended


def test_a_numbered_line_between_two_rows_of_a_table_is_a_group_row_and_a_numbered_line_after_it_ends_the_table():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "STT\tNhiệm vụ\tChủ trì\tThời gian\n"
        "1. Nhóm nhiệm vụ phục vụ giải quyết thủ tục hành chính\n"
        "1\tRà soát thủ tục hành chính\tCông an xã\tQuý II/2027\n"
        "2. Nhóm nhiệm vụ phát triển công dân số\n"
        "2\tKích hoạt tài khoản định danh\tCông an xã\tThường xuyên\n"
        "3. Ủy ban nhân dân xã giao các bộ phận thực hiện nghiêm túc.\n")
    assert _rows(draft) == [("Rà soát thủ tục hành chí", ["Công an xã"], [], "2027-06-30", None, False),
                            ("Kích hoạt tài khoản định", ["Công an xã"], [], None, None, True)]
    assert [t.section for t in draft.tasks] == ["1. Nhóm nhiệm vụ phục vụ giải quyết thủ tục hành chính",
                                                "2. Nhóm nhiệm vụ phát triển công dân số"]


def test_requests_under_a_section_of_proposals_go_to_the_level_above_and_are_no_tasks():
    draft = _draft(
        "II. NHIỆM VỤ THỜI GIAN TỚI\n"
        "1. Giao Công an xã rà soát hộ chưa có mã số định danh; trước ngày 30/7/2027.\n"
        "III. ĐỀ XUẤT, KIẾN NGHỊ\n"
        "1. Đề nghị Sở Khoa học và Công nghệ hướng dẫn kết nối hệ thống truyền thanh; trong quý III/2027.\n")
    assert _rows(draft) == [("Rà soát hộ chưa có mã số", ["Công an xã"], [], "2027-07-30", None, False)]


def test_the_recipients_after_nơi_nhận_and_the_signature_below_them_are_no_task_of_the_item_above():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "1. Kiểm tra việc thu nhận hồ sơ tại các xã, hoàn thành trước ngày 30/9/2027 (Phòng Quản lý cư trú chủ "
        "trì).\n"
        "2. Các đội báo cáo kết quả về Phòng PC06 trước ngày 20 hằng tháng\n"
        "Nơi nhận: - Công an tỉnh (PV01); - Các đội nghiệp vụ;\n"
        "- Công an các xã, phường; - Lưu: VT, PC06.\n"
        "TRƯỞNG PHÒNG\nNguyễn Văn Bình\n", )
    assert _rows(draft) == [("Kiểm tra việc thu nhận h", ["Phòng Quản lý cư trú"], [], "2027-09-30", None, False)]
