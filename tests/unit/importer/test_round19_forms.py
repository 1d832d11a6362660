"""Forms round 19 (blind) showed the importer missing, each fixed by a rule that names no plan: a lead-in line
ending in ":" above a flat table ("Công việc cụ thể:"), which is no column of it; role words opening an item under its
lead's heading ("- Chủ trì, phối hợp với Y <task>"), which are fields; an item supporting work its partner leads
elsewhere in the plan ("- Phối hợp với X <the same work>"), which is no task of its own; period columns that write
their days ("Tuần 1 (01/4-10/4)"); offices written by their field's initials ("Phòng GD&ĐT", "TTYT huyện"); deadlines
counted from the plan's own date; a year inside a waiting clause; targets under a lead-in naming aims and a year, a
year opening a target line and carried over a line left open with ";"; a flat table's period columns ticked "x"; a
lead-in line ending a table copied cell by cell between "|" lines; a decision's grounds, articles and recipients; a
table's group title written without its cells; a flat cell cut after a dash. The examples are made up, not round 19's
text."""
from importer import import_document
from importer.read.flat_tables import rebuild_tables

from .plan_cases import task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ ĐÔNG SƠN\nSố: 23/KH-UBND\nĐông Sơn, ngày 10 tháng 3 năm 2026\n"
        "KẾ HOẠCH\nTriển khai Đề án 06 năm 2026\nI. MỤC ĐÍCH\nBảo đảm tiến độ.\n")
TAIL = "III. TỔ CHỨC THỰC HIỆN\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 20 hằng tháng.\n"
WIDE = "Các nội dung dưới đây được phân công cụ thể cho từng bộ phận, có thời hạn hoàn thành rõ ràng."  # the text width


def _draft(body: str, name: str = "plan.txt"):
    return import_document((HEAD + body + TAIL).encode(), name)


def test_a_lead_in_line_ending_in_a_colon_is_not_a_column_of_the_flat_table_below_it():
    lines = [WIDE, "Công việc cụ thể:", "STT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "",
             "1", "Lắp màn hình tra cứu tại bộ phận một cửa", "Văn phòng UBND xã", "Quý II/2026", "",
             "2", "Cập nhật danh sách hộ nghèo", "Công chức Văn hóa - Xã hội", "Tháng 5/2026"]
    assert rebuild_tables(lines) == [
        WIDE, "Công việc cụ thể:", "STT\tNội dung\tĐơn vị chủ trì\tThời hạn",
        "1\tLắp màn hình tra cứu tại bộ phận một cửa\tVăn phòng UBND xã\tQuý II/2026",
        "2\tCập nhật danh sách hộ nghèo\tCông chức Văn hóa - Xã hội\tTháng 5/2026"]


def test_role_words_opening_an_item_under_its_leads_heading_are_fields_not_the_tasks_text():
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "1. Công chức Tư pháp - Hộ tịch:\n"
        "- Chủ trì, phối hợp với Trường Tiểu học Tân Lập Đông rà soát giấy khai sinh của học sinh lớp 1; hoàn thành "
        "trước ngày 15/5/2026.\n"
        "- Chủ trì, phối hợp với Bộ phận một cửa xã tiếp nhận hồ sơ đăng ký khai sinh trực tuyến; thường xuyên.\n"
        "2. Văn phòng UBND xã:\n"
        "- Chủ trì, phối hợp với Tổ công nghệ số cộng đồng thôn Bắc lắp đặt điểm tra cứu; trong quý II/2026.\n")
    assert _rows(draft) == [
        ("Rà soát giấy khai sinh c", ["Công chức Tư pháp - Hộ tịch"], ["Trường Tiểu học Tân Lập Đông"], "2026-05-15",
         None, False),
        ("Tiếp nhận hồ sơ đăng ký ", ["Công chức Tư pháp - Hộ tịch"], ["Bộ phận một cửa xã"], None, None, True),
        ("Lắp đặt điểm tra cứu; tr", ["Văn phòng UBND xã"], ["Tổ công nghệ số cộng đồng thôn Bắc"], "2026-06-30",
         None, False)]


def test_a_level_word_before_a_task_verb_ends_the_partners_name_over_a_verb_inside_it():
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "1. Công an xã:\n"
        "- Chủ trì, phối hợp với Bộ phận tiếp nhận và trả kết quả xã hướng dẫn người dân nộp hồ sơ trực tuyến; "
        "thường xuyên.\n"
        "- Chủ trì, phối hợp với Trưởng thôn rà soát nhân khẩu của 12 thôn xã Đông Sơn; quý III/2026.\n")
    assert [(r[0], r[2]) for r in _rows(draft)] == [
        ("Hướng dẫn người dân nộp ", ["Bộ phận tiếp nhận và trả kết quả xã"]),
        ("Rà soát nhân khẩu của 12", ["Trưởng thôn"])]


def test_an_item_supporting_work_its_partner_leads_elsewhere_in_the_plan_is_not_a_task_of_its_own():
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "1. Công an xã:\n"
        "- Chủ trì, phối hợp với Đoàn Thanh niên xã hướng dẫn người cao tuổi kích hoạt tài khoản định danh; "
        "thường xuyên.\n"
        "- Phối hợp với Công chức Văn hóa - Xã hội lập danh sách hộ nghèo chưa có tài khoản ngân hàng.\n"
        "2. Công chức Văn hóa - Xã hội:\n"
        "- Lập danh sách hộ nghèo chưa có tài khoản ngân hàng; trước ngày 30/6/2026.\n"
        "- Phối hợp với Công an xã hướng dẫn người cao tuổi kích hoạt tài khoản định danh.\n"
        "- Phối hợp với Bưu điện xã chi trả trợ cấp qua tài khoản; từ tháng 7/2026.\n")
    assert [(r[0], r[1]) for r in _rows(draft)] == [
        ("Hướng dẫn người cao tuổi", ["Công an xã"]),
        ("Lập danh sách hộ nghèo c", ["Công chức Văn hóa - Xã hội"]),
        ("Phối hợp với Bưu điện xã", ["Công chức Văn hóa - Xã hội"])]  # Bưu điện xã leads no such work here


def test_the_scorer_takes_a_tasks_text_with_or_without_its_opening_role_words_and_partners():
    from .scoring import score

    reading = {"tasks": [
        {"code": "1", "content_start": "Chủ trì, phối hợp với Trạm Y tế xã, Hội Nông dân xã vận động người dân",
         "lead": ["Công an xã"], "support": ["Trạm Y tế xã", "Hội Nông dân xã"], "timing": {}},
        {"code": "2", "content_start": "Rà soát dữ liệu tiêm chủng", "lead": ["Công an xã"],
         "support": ["Trạm Y tế xã"], "timing": {}}]}

    def drafted(first: str, second: str, support: list[str]) -> dict:
        return {"tasks": [
            {"code": "a", "content": first, "lead": ["Công an xã"], "support": support, "timing": {}},
            {"code": "b", "content": second, "lead": ["Công an xã"], "support": ["Trạm Y tế xã"], "timing": {}}]}

    both = ["Trạm Y tế xã", "Hội Nông dân xã"]
    assert score(drafted("Vận động người dân cài đặt VNeID", "Chủ trì, phối hợp với Trạm Y tế xã rà soát dữ liệu "
                         "tiêm chủng", both), reading)["found"] == 2
    assert score(drafted("Vận động người dân cài đặt VNeID", "Tổ chức tiêm chủng", both), reading)["found"] == 1
    assert score(drafted("Tuyên truyền về VNeID", "Rà soát dữ liệu tiêm chủng", both), reading)["found"] == 1


def test_period_columns_that_write_their_days_give_the_ticked_span():
    draft = _draft(
        "II. NỘI DUNG CÔNG VIỆC THÁNG 4/2026\n"
        "STT\tNội dung\tChủ trì\tTuần 1 (01/4-10/4)\tTuần 2 (11/4-20/4)\tTuần 3 (21/4-30/4)\n"
        "1\tRà soát hộ khẩu các thôn vùng cao\tCông an xã\tx\t\t\n"
        "2\tTập huấn sử dụng chữ ký số cho công chức\tVăn phòng UBND xã\t\tx\tx\n"
        "3\tTổng hợp kết quả thực hiện tháng 4\tCông an xã\t\t\t\n")
    assert [(r[0], r[3], r[4]) for r in _rows(draft)] == [
        ("Rà soát hộ khẩu các thôn", "2026-04-10", "2026-04-01"),
        ("Tập huấn sử dụng chữ ký ", "2026-04-30", "2026-04-11"),
        ("Tổng hợp kết quả thực hi", "2026-04-30", None)]  # no tick: the month of the heading above


def test_offices_written_by_the_initials_of_their_field_read_as_their_full_names():
    from importer.vocabulary.office_codes import full_office_name

    assert full_office_name("Phòng GD&ĐT") == "Phòng Giáo dục và Đào tạo"
    assert full_office_name("Phòng TN-MT huyện") == "Phòng Tài nguyên và Môi trường huyện"
    assert full_office_name("Sở NN&PTNT") == "Sở Nông nghiệp và Phát triển nông thôn"
    assert full_office_name("TTYT thị xã") == "Trung tâm Y tế thị xã"
    assert full_office_name("Sở NV") == "Sở NV"  # Nội vụ or Ngoại vụ: two fields fit, kept as written
    assert full_office_name("Phòng PC06") == "Phòng PC06"  # a division's code, not a field's initials
    assert full_office_name("Sở Y tế") == "Sở Y tế"
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "STT\tNội dung\tChủ trì\tPhối hợp\tThời hạn\n"
        "1\tRà soát học sinh lớp 9 chưa có căn cước\tPhòng GD&ĐT\tTTYT huyện\tQuý II/2026\n")
    assert [(r[1], r[2]) for r in _rows(draft)] == [(["Phòng Giáo dục và Đào tạo"], ["Trung tâm Y tế huyện"])]


def test_a_deadline_counted_from_the_plans_own_date_is_that_date_plus_the_days():
    draft = _draft(  # the plan is dated 10/3/2026
        "II. NHIỆM VỤ\n"
        "STT\tNội dung\tChủ trì\tThời hạn\n"
        "1\tThành lập Tổ công nghệ số cộng đồng\tVăn phòng UBND xã\tTrong vòng 20 ngày kể từ ngày ký Kế hoạch\n"
        "2\tLập danh sách hộ chưa có tài khoản\tCông an xã\tTrong 2 tuần kể từ ngày Kế hoạch được ban hành\n"
        "3\tCập nhật thông tin người được cấp thẻ\tCông an xã\tTrong 5 ngày làm việc kể từ ngày nhận được thẻ\n")
    timings = [(t.timing.due, t.timing.condition) for t in draft.tasks]
    assert timings == [("2026-03-30", None), ("2026-03-24", None),
                       (None, "Trong 5 ngày làm việc kể từ ngày nhận được thẻ")]  # another event: a condition


def test_a_year_inside_a_waiting_clause_names_the_event_not_a_deadline():
    from importer.vocabulary.timing import parse_timing

    waiting, _ = parse_timing("Sau khi Bộ Tài chính giao dự toán năm 2026", 2026)
    assert (waiting.due, waiting.condition) == (None, "Sau khi Bộ Tài chính giao dự toán năm 2026")
    own, _ = parse_timing("Sau khi có hướng dẫn của tỉnh, hoàn thành trước ngày 30/9/2026", 2026)
    assert (own.due, own.condition) == ("2026-09-30", "Sau khi có hướng dẫn của tỉnh")


def _targets(text: str) -> list[tuple]:
    return [(t.value, t.unit, t.by) for t in _draft(text).targets]


def test_a_lead_in_naming_aims_and_a_year_gives_its_year_and_counts_to_the_items_below():
    found = _targets(
        "1. Mục tiêu cụ thể trong năm 2027:\n"
        "- 100% hồ sơ hộ tịch được số hóa;\n"
        "- Trên 60% hộ kinh doanh dùng thanh toán không tiền mặt;\n"
        "- Cấp mới 1.500 tài khoản định danh điện tử cho người cao tuổi.\n"
        "II. NHIỆM VỤ\n"
        "1. Rà soát hộ kinh doanh chưa có tài khoản, hoàn thành trong Quý II/2026; Công an xã chủ trì.\n")
    assert found == [(100, "percent", "2027"), (60, "percent", "2027"), (1500, "tài khoản", "2027")]


def test_a_year_opening_a_target_line_is_its_year_and_an_open_line_carries_it_to_the_next():
    found = _targets(
        "II. CHỈ TIÊU\n"
        "Đến hết năm 2026, trên 65% hộ gia đình có người dùng ví điện tử;\n"
        "100% trường học thu học phí không dùng tiền mặt.\n"
        "III. NHIỆM VỤ\n"
        "1. Rà soát hộ kinh doanh chưa có tài khoản, hoàn thành trong Quý II/2026; Công an xã chủ trì.\n")
    assert found == [(65, "percent", "2026"), (100, "percent", "2026")]


def test_a_headings_number_under_a_targets_heading_is_no_target():
    found = _targets(
        "II. CHỈ TIÊU\n"
        "CÁC CHỈ TIÊU THỰC HIỆN ĐỀ ÁN 06 NĂM 2026\n"
        "- 90% hồ sơ được tiếp nhận trực tuyến.\n"
        "III. NHIỆM VỤ\n"
        "1. Rà soát hộ kinh doanh chưa có tài khoản, hoàn thành trong Quý II/2026; Công an xã chủ trì.\n")
    assert found == [(90, "percent", "2026")]  # the heading counts nothing; its year is the target's (round 20)


def test_a_flat_tables_period_columns_ticked_x_are_columns_of_its_header():
    lines = [WIDE, "STT", "Nội dung", "Đơn vị chủ trì", "Quý I", "Quý II", "Quý III", "Quý IV", "",
             "1", "Lắp màn hình tra cứu tại bộ phận một cửa", "Văn phòng UBND xã", "", "x", "x", "", "",
             "2", "Cập nhật danh sách hộ nghèo", "Công chức Văn hóa - Xã hội", "", "", "", "x"]
    assert rebuild_tables(lines) == [
        WIDE, "STT\tNội dung\tĐơn vị chủ trì\tQuý I\tQuý II\tQuý III\tQuý IV",
        "1\tLắp màn hình tra cứu tại bộ phận một cửa\tVăn phòng UBND xã\t\tx\tx\t",
        "2\tCập nhật danh sách hộ nghèo\tCông chức Văn hóa - Xã hội\t\t\t\tx"]


def test_a_lead_in_line_ends_a_table_copied_cell_by_cell_between_bar_lines():
    from importer.read.piped_cells import unpipe

    lines = ["TT", "|", "Nội dung", "|", "Đơn vị chủ trì", "|", "Thời hạn", "|",
             "1", "|", "Lắp màn hình tra cứu", "|", "Văn phòng UBND xã", "|", "Quý II/2026", "|",
             "2. Nhóm nhiệm vụ về dữ liệu", "Công việc cụ thể:", "TT", "|", "Nội dung", "|", "Đơn vị chủ trì", "|",
             "Thời hạn", "|", "1", "|", "Cập nhật danh sách hộ nghèo", "|", "Công an xã", "|", "Tháng 5/2026", "|"]
    assert unpipe(lines) == [
        "TT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "1", "Lắp màn hình tra cứu", "Văn phòng UBND xã", "Quý II/2026",
        "2. Nhóm nhiệm vụ về dữ liệu", "Công việc cụ thể:",
        "TT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "1", "Cập nhật danh sách hộ nghèo", "Công an xã", "Tháng 5/2026"]


DECISION = (
    "ỦY BAN NHÂN DÂN        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN ĐÔNG SƠN        Độc lập - Tự do - Hạnh phúc\n"
    "Số: 77/QĐ-UBND        Đông Sơn, ngày 02 tháng 02 năm 2026\n**QUYẾT ĐỊNH**\n"
    "**Ban hành Kế hoạch chuyển đổi số năm 2026**\n**ỦY BAN NHÂN DÂN HUYỆN ĐÔNG SƠN**\n"
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
    "Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2026 của UBND tỉnh;\n"
    "Theo đề nghị của Trưởng phòng Văn hóa và Thông tin tại Tờ trình số 5/TTr ngày 20/01/2026.\n"
    "**QUYẾT ĐỊNH:**\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "Nơi nhận: - Như Điều 2; - Lưu: VT.\n"
    "**KẾ HOẠCH**\n**Chuyển đổi số năm 2026**\n**I. NHIỆM VỤ**\n"
    "STT\tNội dung\tChủ trì\tThời hạn\n"
    "1\tSố hóa hồ sơ địa chính\tPhòng Tài nguyên và Môi trường\tQuý III/2026\n")


def test_a_decisions_grounds_articles_and_recipients_are_never_tasks():
    draft = import_document(DECISION.encode(), "decision.web.md")
    assert [t.content for t in draft.tasks] == ["Số hóa hồ sơ địa chính"]


def test_a_group_title_written_without_its_cells_does_not_end_the_table():
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "STT\tNội dung\tChủ trì\tQuý I\tQuý II\tQuý III\tQuý IV\n"
        "A. NHÓM NHIỆM VỤ VỀ DỮ LIỆU\n"
        "1\tCập nhật dữ liệu hộ tịch\tCông chức Tư pháp - Hộ tịch\tx\t\t\t\n"
        "B. NHÓM NHIỆM VỤ VỀ DỊCH VỤ CÔNG\n"
        "2\tHướng dẫn nộp hồ sơ trực tuyến\tVăn phòng UBND xã\t\t\tx\tx\n")
    assert [(r[0], r[3], r[4]) for r in _rows(draft)] == [
        ("Cập nhật dữ liệu hộ tịch", "2026-03-31", "2026-01-01"),
        ("Hướng dẫn nộp hồ sơ trực", "2026-12-31", "2026-07-01")]
    assert [t.section for t in draft.tasks] == ["A. NHÓM NHIỆM VỤ VỀ DỮ LIỆU", "B. NHÓM NHIỆM VỤ VỀ DỊCH VỤ CÔNG"]


def test_a_flat_cell_cut_after_a_dash_goes_on_over_the_next_line():
    lines = [WIDE, "STT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "",
             "1", "Phát sóng chuyên mục Đề án 06 trên sóng Đài Phát thanh và Truyền hình, Trung tâm Văn hóa -",
             "Thể thao huyện", "Phòng Văn hóa và Thông tin", "Quý II/2026"]
    assert rebuild_tables(lines)[2] == (
        "1\tPhát sóng chuyên mục Đề án 06 trên sóng Đài Phát thanh và Truyền hình, Trung tâm Văn hóa - Thể thao huyện"
        "\tPhòng Văn hóa và Thông tin\tQuý II/2026")
