"""Forms round 20 (blind) showed the importer missing, each fixed by a rule that names no plan and tested here on
made-up text, not round 20's: points quoted in their new wording under an amending line ("Sửa đổi điểm 3 … như
sau:" over "“3. X chủ trì …” (thay cho …)"); an item "X chủ trì, phối hợp với Y <task>; <time>" whose lead's name
holds a comma."""
from importer import import_document
from importer.body.table_header import header_row

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ TÂN AN\nSố: 31/KH-UBND\nTân An, ngày 6 tháng 5 năm 2026\n"
        "KẾ HOẠCH\nThực hiện Đề án 06 năm 2026\nI. MỤC ĐÍCH\nBảo đảm tiến độ.\n")
TAIL = "III. TỔ CHỨC THỰC HIỆN\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 25 hằng tháng.\n"


def _draft(body: str, name: str = "plan.txt"):
    return import_document((HEAD + body + TAIL).encode(), name)


def test_a_point_quoted_in_its_new_wording_is_the_task_and_the_amending_line_only_its_heading():
    draft = _draft(
        "II. NỘI DUNG SỬA ĐỔI\n"
        "1. Sửa đổi điểm 3 Mục II Kế hoạch số 12/KH-UBND như sau:\n"
        "“3. Công an xã chủ trì, phối hợp với Trưởng các thôn rà soát người chưa có căn cước; hoàn thành trước ngày "
        "15/7/2026.” (thay cho thời hạn “Tháng 5/2026”)\n"
        "2. Bổ sung điểm 8 vào Mục II Kế hoạch số 12/KH-UBND như sau:\n"
        "“8. Văn phòng HĐND và UBND xã chủ trì niêm yết danh mục thủ tục trực tuyến tại bộ phận một cửa; thường "
        "xuyên.”\n")
    assert _rows(draft) == [
        ("rà soát người chưa có că", ["Công an xã"], ["Trưởng các thôn"], "2026-07-15", None, False),
        ("niêm yết danh mục thủ tụ", ["Văn phòng HĐND và UBND xã"], [], None, None, True)]


def test_a_quoted_line_is_a_point_only_with_an_item_number_and_a_bracket_naming_what_it_replaces():
    from importer.read.quoted_points import quoted_point

    assert quoted_point("“4. Công an xã chủ trì cập nhật dữ liệu; quý III/2026.” (thay thế nội dung cũ)") \
        == "- Công an xã chủ trì cập nhật dữ liệu; quý III/2026."
    assert quoted_point("“Công an xã chủ trì cập nhật dữ liệu; quý III/2026.”") is None  # a quotation, no point
    assert quoted_point("“4. Công an xã chủ trì cập nhật dữ liệu.” (Công an tỉnh đề nghị)") is None


def test_the_role_word_ends_a_leads_name_that_holds_a_comma_over_the_first_task_verb():
    draft = _draft(
        "II. NỘI DUNG\n"
        "1. Phòng Kinh tế, Hạ tầng và Đô thị chủ trì, phối hợp với Hợp tác xã Tân Phú kết nối thanh toán số tại chợ; "
        "hoàn thành trong quý IV/2026.\n"
        "2. Công an xã chủ trì phối hợp với các ngành rà soát dữ liệu dân cư bảo đảm đúng, đủ.\n")
    assert _rows(draft)[:1] == [
        ("kết nối thanh toán số tạ", ["Phòng Kinh tế, Hạ tầng và Đô thị"], ["Hợp tác xã Tân Phú"], "2026-12-31", None,
         False)]
    assert all(not t.content.startswith("phối hợp") for t in draft.tasks)  # the role word never stays the text


def test_a_task_row_whose_cells_hold_a_columns_words_is_no_header_when_it_holds_a_labelled_value_or_a_date():
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "| STT | Nội dung công việc | Phân công | Thời hạn | Kết quả |\n|---|---|---|---|---|\n"
        "| 1 | Lập danh sách nhiệm vụ chuyển đổi số năm 2027 | Chủ trì: Văn phòng UBND xã; Phối hợp: Công an xã | "
        "Trước ngày 20/8/2026 | Danh sách nhiệm vụ được duyệt |\n"
        "| 2 | Cập nhật dữ liệu hộ tịch vào cơ sở dữ liệu | Chủ trì: Công chức Tư pháp - Hộ tịch | Sau khi tỉnh "
        "cấp tài khoản | Dữ liệu được cập nhật |\n", "plan.md")
    assert _rows(draft) == [
        ("Lập danh sách nhiệm vụ c", ["Văn phòng UBND xã"], ["Công an xã"], "2026-08-20", None, False),
        ("Cập nhật dữ liệu hộ tịch", ["Công chức Tư pháp - Hộ tịch"], [], None, None, False)]
    assert draft.tasks[1].timing.condition == "Sau khi tỉnh cấp tài khoản"
    assert header_row(["1", "Lập danh sách", "Chủ trì: Văn phòng UBND xã", "Quý III/2026", "Danh sách nhiệm vụ"]) is None
    assert header_row(["2", "Lập danh sách", "Văn phòng UBND xã", "Trước ngày 20/8/2026", "Danh sách nhiệm vụ"]) is None
    assert header_row(["STT", "Nhiệm vụ", "Chủ trì", "Tuần 1 (03/8-07/8)", "Tuần 2 (10/8-14/8)"]) is not None


def test_a_day_of_the_quarters_last_month_is_a_quarterly_report_on_that_day():
    from importer.read.lines import Line
    from importer.vocabulary.schedules import find_reporting

    found = find_reporting([Line(1, "Các tổ báo cáo kết quả về Văn phòng UBND xã trước ngày 18 của tháng cuối quý và "
                                    "báo cáo năm trước ngày 05/12/2026.")])
    assert [(r.cycle, r.due_day, r.to) for r in found] == [("quarterly", 18, "Văn phòng UBND xã"),
                                                          ("annual", 5, "Văn phòng UBND xã")]
    monthly = find_reporting([Line(1, "Công an xã báo cáo Chủ tịch UBND xã trước ngày 25 của tháng.")])
    assert [(r.cycle, r.due_day) for r in monthly] == [("monthly", 25)]


LETTER = ("CÔNG AN TỈNH AN PHÚ\nSố: 77/CAT-PC06\nAn Phú, ngày 12 tháng 3 năm 2026\n"
          "V/v đẩy mạnh cấp căn cước\nKính gửi:\n- Các sở, ngành tỉnh;\n- Công an các xã.\n"
          "Thực hiện Kế hoạch số 15/KH-UBND của UBND tỉnh, Công an tỉnh đề nghị các đơn vị thực hiện một số nội dung "
          "sau:\n")


def _letter(body: str):
    return import_document((LETTER + body).encode(), "letter.txt")


def test_a_letters_addressees_after_kinh_gui_are_no_agency_headings_and_numbered_requests_name_the_lead():
    draft = _letter(
        "1. Đề nghị Sở Tài chính:\n"
        "- Hướng dẫn các xã lập dự toán mua máy đọc căn cước (hoàn thành trước ngày 30/4/2026).\n"
        "2. Yêu cầu Công an các xã:\n"
        "- Thu nhận hồ sơ cấp căn cước tại nhà cho người già yếu (thực hiện thường xuyên).\n"
        "3. Giao Phòng Cảnh sát QLHC:\n"
        "- Đôn đốc, tổng hợp kết quả (định kỳ hằng tháng).\n"
        "Kết quả thực hiện, đề nghị các đơn vị gửi về Công an tỉnh trước ngày 22 hằng tháng để tổng hợp, báo cáo "
        "UBND tỉnh.\nTrân trọng./.\n")
    assert _rows(draft) == [
        ("Hướng dẫn các xã lập dự ", ["Sở Tài chính"], [], "2026-04-30", None, False),
        ("Thu nhận hồ sơ cấp căn c", ["Công an các xã"], [], None, None, True),
        ("Đôn đốc, tổng hợp kết qu", ["Phòng Cảnh sát QLHC"], [], None, None, True)]
    assert [(r.cycle, r.due_day) for r in draft.reporting] == [("monthly", 22)]  # the results sent, not a task


def test_a_closing_bracket_waiting_for_an_event_is_the_items_condition_and_one_saying_when_a_fact_holds_is_not():
    draft = _letter(
        "1. Đề nghị UBND các xã:\n"
        "- Mua sắm máy đọc căn cước cho bộ phận một cửa (sau khi được tỉnh cấp bổ sung kinh phí).\n"
        "- Niêm yết hướng dẫn dùng căn cước thay thẻ bảo hiểm y tế (khi được Bộ Y tế công bố).\n")
    assert [(t.content[:24], t.timing.condition) for t in draft.tasks] == [
        ("Mua sắm máy đọc căn cước", "sau khi được tỉnh cấp bổ sung kinh phí")]


def test_a_line_cut_at_the_width_after_a_semicolon_goes_on_when_the_next_opens_in_lower_case():
    from importer.read.wrapping import rejoin

    lines = ["- Kiểm tra, đôn đốc các đơn vị thực hiện kế hoạch cấp căn cước cho;",
             "tổng hợp kết quả báo cáo Chủ tịch UBND xã.",
             "- Cập nhật dữ liệu dân cư trên phần mềm quản lý cư trú của xã;",
             "- Niêm yết công khai thủ tục hành chính trực tuyến tại trụ sở xã."]
    assert rejoin(lines, width=70) == [
        "- Kiểm tra, đôn đốc các đơn vị thực hiện kế hoạch cấp căn cước cho; tổng hợp kết quả báo cáo Chủ tịch UBND "
        "xã.", lines[2], lines[3]]


def test_a_numbered_item_after_a_dashed_list_is_not_one_of_its_dashes():
    body = (
        "II. NHIỆM VỤ\nCăn cứ nhiệm vụ được giao:\n- Kế hoạch số 15/KH-UBND của UBND huyện;\n- Công văn số 9 của "
        "Công an huyện.\n"
        "1. Công an xã:\n- Rà soát người chưa có căn cước; hoàn thành trong tháng 6/2026.\n"
        "- Cấp tài khoản định danh mức 2; thường xuyên.\n")
    draft = rules_draft(HEAD + body + TAIL)  # the rules' reading
    assert [(t.content[:24], t.lead) for t in draft.tasks] == [
        ("Rà soát người chưa có că", ["Công an xã"]), ("Cấp tài khoản định danh ", ["Công an xã"])]


def test_a_value_that_is_only_a_month_and_year_is_that_month_and_inside_a_sentence_it_is_not():
    from importer.vocabulary.timing import parse_timing

    assert parse_timing("03/2026", 2026, "start")[0].start == "2026-03-01"
    assert parse_timing("09/2026", 2026)[0].due == "2026-09-30"
    assert parse_timing("Trước 11/2026", 2026)[0].due == "2026-11-30"
    assert parse_timing("theo Quyết định số 09/2026/QĐ-UBND", 2026)[0].due != "2026-09-30"


def test_a_range_of_days_written_without_the_year_keeps_its_start():
    from importer.vocabulary.timing import parse_timing

    timing = parse_timing("12/3 - 20/4", 2026)[0]
    assert (timing.start, timing.due) == ("2026-03-12", "2026-04-20")
    assert parse_timing("Trước 15/10", 2026)[0].due == "2026-10-15"


def test_a_header_repeated_over_a_page_keeps_the_sub_header_read_under_it():
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "| TT | Nội dung | Đơn vị chủ trì | Thời gian | |\n|---|---|---|---|---|\n"
        "| | | | Bắt đầu | Hoàn thành |\n"
        "| TT | Nội dung | Đơn vị chủ trì | Thời gian | |\n"
        "| 1 | Lắp đặt điểm truy cập Internet công cộng | Văn phòng UBND xã | 02/2026 | 05/2026 |\n"
        "| 2 | Cập nhật bản đồ số các thôn | Công chức Địa chính | Quý II/2026 | 30/9/2026 |\n", "plan.md")
    assert _rows(draft) == [
        ("Lắp đặt điểm truy cập In", ["Văn phòng UBND xã"], [], "2026-05-31", "2026-02-01", False),
        ("Cập nhật bản đồ số các t", ["Công chức Địa chính"], [], "2026-09-30", "2026-04-01", False)]


def test_a_whole_bracketed_line_under_an_appendix_title_is_not_joined_to_the_heading_below_it():
    from importer.read.wrapping import rejoin

    lines = ["PHỤ LỤC", "(Kèm theo Kế hoạch số 14/KH-UBND ngày 20/02/2026 của Ủy ban nhân dân xã An",
             "Bình)", "Phòng Kinh tế:", "- Kết nối thanh toán số tại chợ; thời gian: quý II/2026."]
    assert rejoin(lines, width=80) == [
        "PHỤ LỤC", "(Kèm theo Kế hoạch số 14/KH-UBND ngày 20/02/2026 của Ủy ban nhân dân xã An Bình)",
        "Phòng Kinh tế:", "- Kết nối thanh toán số tại chợ; thời gian: quý II/2026."]


def test_a_target_headings_year_is_the_year_of_the_targets_under_it_and_its_first_item_stays_apart():
    from importer.read.readers import read_document
    from importer.vocabulary.targets import find_targets

    wrapped = ("II. MỤC TIÊU, CHỈ TIÊU ĐẾN HẾT NĂM 2027\n- 95% hộ gia đình có người dùng ứng dụng VNeID mức độ 2.\n"
               "- Trên 4.500 tài khoản thanh toán số được mở mới.\nIII. NHIỆM VỤ\n")
    lines, _ = read_document(wrapped.encode(), "plan.txt")
    assert lines[0].text == "II. MỤC TIÊU, CHỈ TIÊU ĐẾN HẾT NĂM 2027"
    assert [(t.value, t.by) for t in find_targets(lines, set())] == [(95, "2027"), (4500, "2027")]
    from importer.read.wrapping import rejoin
    assert rejoin(["II. MỤC TIÊU, CHỈ TIÊU ĐẾN HẾT NĂM 2027", "- 95% hộ gia đình có người dùng ứng dụng VNeID."],
                  width=40) == ["II. MỤC TIÊU, CHỈ TIÊU ĐẾN HẾT NĂM 2027", "- 95% hộ gia đình có người dùng ứng dụng VNeID."]
    assert rejoin(["Giai đoạn thực hiện từ năm 2026", "- 2030, theo lộ trình của tỉnh."], width=40) == [
        "Giai đoạn thực hiện từ năm 2026 - 2030, theo lộ trình của tỉnh."]  # a range broken at its dash


def test_a_target_changed_from_one_value_to_another_is_read_at_its_new_value():
    from importer.read.lines import Line
    from importer.vocabulary.targets import find_targets

    found = find_targets([Line(1, "3. Sửa chỉ tiêu tại điểm b Mục I: tỷ lệ người dân dùng căn cước thay thẻ bảo hiểm "
                                  "y tế từ “70%” thành “85%” trong năm 2026.")], set())
    assert [(t.value, t.unit, t.by) for t in found] == [(85, "percent", "2026")]


def test_an_unnumbered_lead_in_naming_aims_and_a_year_gives_the_year_to_the_targets_below_it():
    from importer.read.lines import Line
    from importer.vocabulary.targets import find_targets

    lines = [Line(1, "Phấn đấu đến hết năm 2027, toàn phường đạt các chỉ tiêu sau:"),
             Line(2, "- 98% người dân từ đủ 14 tuổi được cấp căn cước."),
             Line(3, "- Trên 3.000 hộ kinh doanh dùng thanh toán số.")]
    assert [(t.value, t.by) for t in find_targets(lines, set())] == [(98, "2027"), (3000, "2027")]
    told = [Line(1, "Căn cứ kết quả 6 tháng đầu năm 2025, UBND phường xây dựng kế hoạch như sau:"),
            Line(2, "- 98% người dân từ đủ 14 tuổi được cấp căn cước.")]
    assert [(t.value, t.by) for t in find_targets(told, set())] == [(98, None)]  # a year of results, not of aims


def test_a_quoted_point_opens_a_line_and_a_bracket_left_open_goes_on_over_the_next_in_wrapped_text():
    from importer.read.wrapping import rejoin

    lines = ["1. Sửa đổi điểm 4 Mục II Kế hoạch số 12 như sau:",
             "“4. Công an xã chủ trì cấp căn cước lưu động cho người cao tuổi; quý III/2026.” (thay thế",
             "thời hạn “Quý II/2026”)",
             "“5. Văn phòng UBND xã chủ trì niêm yết thủ tục; thường xuyên.”"]
    assert rejoin(lines, width=90) == [
        lines[0], "“4. Công an xã chủ trì cấp căn cước lưu động cho người cao tuổi; quý III/2026.” (thay thế thời hạn "
                  "“Quý II/2026”)", lines[3]]


def test_a_flat_cell_cut_after_a_labels_colon_goes_on_over_the_next_line():
    from importer.read.flat_tables import rebuild_tables

    lines = ["Các nội dung dưới đây được phân công cho từng bộ phận, có thời hạn rõ",
             "TT", "Nội dung nhiệm vụ", "Phân công thực hiện", "Thời hạn", "",
             "1", "Lắp đặt điểm truy cập Internet công cộng tại nhà văn hóa thôn",
             "Chủ trì: Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã; Phối hợp:",
             "Công an xã", "Quý III/2026"]
    assert rebuild_tables(lines)[-1] == ("1\tLắp đặt điểm truy cập Internet công cộng tại nhà văn hóa thôn\tChủ trì: "
                                         "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã; Phối hợp: Công an xã\t"
                                         "Quý III/2026")


def test_a_quoted_point_cut_over_lines_is_read_to_its_closing_mark():
    from importer.read.lines import Line
    from importer.read.quoted_points import unquote_points

    lines = [Line(1, "1. Sửa đổi điểm 4 Mục II như sau:"),
             Line(2, "“4. Công an xã chủ trì cấp căn cước lưu động cho người cao tuổi; hoàn thành trong quý"),
             Line(3, "III/2026.”"), Line(4, "(thay cho thời hạn “Quý II/2026”)"), Line(5, "2. Bãi bỏ điểm 6.")]
    assert [line.text for line in unquote_points(lines)] == [
        "1. Sửa đổi điểm 4 Mục II như sau:",
        "- Công an xã chủ trì cấp căn cước lưu động cho người cao tuổi; hoàn thành trong quý III/2026.", "", "",
        "2. Bãi bỏ điểm 6."]


def test_a_flat_tables_two_row_header_keeps_its_merged_cell_and_its_second_row():
    from importer.read.flat_tables import rebuild_tables

    wide = "Các nhiệm vụ dưới đây được phân công cụ thể, có thời gian bắt đầu và kết thúc."
    lines = [wide, "STT", "Nội dung", "Đơn vị chủ trì", "Thời gian thực hiện", "", "Ghi chú", "", "", "", "",
             "Bắt đầu", "Kết thúc", "", "", "1", "Lắp camera giám sát tại bộ phận tiếp nhận", "Văn phòng UBND xã",
             "03/2026", "08/2026", ""]
    assert rebuild_tables(lines) == [
        wide, "STT\tNội dung\tĐơn vị chủ trì\tThời gian thực hiện\t\tGhi chú", "\t\t\tBắt đầu\tKết thúc\t",
        "1\tLắp camera giám sát tại bộ phận tiếp nhận\tVăn phòng UBND xã\t03/2026\t08/2026\t"]
