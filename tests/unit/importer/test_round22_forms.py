"""Forms round 22 (blind) showed the importer missing, each fixed by a rule that names no plan and tested here on
made-up text, not round 22's. The drafts are read by the rules alone (`labeller_mode="off"`), so each test fails
when its rule breaks, whatever the labeller would have drafted."""

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\nSố: 41/KH-UBND\nAn Phú, ngày 9 tháng 1 năm 2027\n"
        "KẾ HOẠCH\nThực hiện Đề án 06 năm 2027\n")
TAIL = "III. CHẾ ĐỘ BÁO CÁO\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 22 hằng tháng.\n"


def _plan(body: str):
    return rules_draft(HEAD + body + TAIL)


def test_a_group_column_merged_down_names_the_rows_section_and_a_blank_lead_cell_takes_the_lead_above():
    from importer.body.table_header import header_row

    cols = header_row(["STT", "Lĩnh vực", "Nội dung công việc", "Chủ trì", "Phối hợp", "Thời hạn"])
    assert cols is not None and (cols.index["group"], cols.index["content"]) == (1, 2)
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "| STT | Nhóm nhiệm vụ | Nội dung công việc | Chủ trì | Phối hợp | Thời hạn |\n"
        "|---|---|---|---|---|---|\n"
        "| 1 | Hạ tầng số | Nâng cấp đường truyền tại nhà văn hóa các thôn | Bộ phận Văn phòng | Viễn thông huyện | "
        "Tháng 4/2027 |\n"
        "| 2 | | Lắp camera giám sát tại bộ phận một cửa | | Công an xã | Tháng 7/2027 |\n"
        "| 3 | Công dân số | Mở lớp hướng dẫn cài đặt VNeID cho người cao tuổi | Đoàn Thanh niên xã | Hội Người cao "
        "tuổi | Quý II/2027 |\n")
    assert _rows(draft) == [
        ("Nâng cấp đường truyền tạ", ["Bộ phận Văn phòng"], ["Viễn thông huyện"], "2027-04-30", None, False),
        ("Lắp camera giám sát tại ", ["Bộ phận Văn phòng"], ["Công an xã"], "2027-07-31", None, False),
        ("Mở lớp hướng dẫn cài đặt", ["Đoàn Thanh niên xã"], ["Hội Người cao tuổi"], "2027-06-30", None, False)]
    assert [t.section for t in draft.tasks] == ["Hạ tầng số", "Hạ tầng số", "Công dân số"]


def _ticked(header: str, numbers: int, ticks: list[list[int]]):
    rows = "".join(f"| {n} | Việc thứ {n} cần làm trong năm | Công an xã | Bộ phận một cửa | "
                   + " | ".join("x" if m in tick else "" for m in range(1, numbers + 1)) + " |\n"
                   for n, tick in enumerate(ticks, 1))
    blanks = " | ".join("" for _ in range(numbers - 1))
    return _plan(
        "II. NHIỆM VỤ\n"
        f"| TT | Nội dung công việc | Đơn vị thực hiện | Phối hợp | {header} | {blanks} |\n"
        "|" + "---|" * (4 + numbers) + "\n"
        "| | | | | " + " | ".join(str(m) for m in range(1, numbers + 1)) + " |\n" + rows)


def test_numbered_month_columns_under_the_time_header_give_the_ticked_months_and_all_twelve_recur():
    draft = _ticked("Thời gian thực hiện năm 2027 (tháng)", 12, [[2, 3, 4], list(range(1, 13)), [11]])
    assert _rows(draft) == [
        ("Việc thứ 1 cần làm trong", ["Công an xã"], ["Bộ phận một cửa"], "2027-04-30", "2027-02-01", False),
        ("Việc thứ 2 cần làm trong", ["Công an xã"], ["Bộ phận một cửa"], None, None, True),
        ("Việc thứ 3 cần làm trong", ["Công an xã"], ["Bộ phận một cửa"], "2027-11-30", "2027-11-01", False)]
    assert not [w for w in draft.warnings if "not understood" in w.message]


def test_numbered_quarter_columns_are_quarters_and_all_four_keep_the_year_as_their_span():
    draft = _ticked("Thời gian (quý)", 4, [[3], [1, 2, 3, 4]])
    assert _rows(draft) == [
        ("Việc thứ 1 cần làm trong", ["Công an xã"], ["Bộ phận một cửa"], "2027-09-30", "2027-07-01", False),
        ("Việc thứ 2 cần làm trong", ["Công an xã"], ["Bộ phận một cửa"], "2027-12-31", "2027-01-01", False)]


def test_a_paragraph_opening_with_a_units_name_and_a_colon_is_that_units_task():
    draft = _plan(
        "II. PHÂN CÔNG\n"
        "Phòng Cảnh sát giao thông: Rà soát, thu nhận hồ sơ cấp căn cước cho học sinh các trường trung học "
        "cơ sở; phối hợp với Trường Trung học cơ sở An Phú; hoàn thành trong tháng 5/2027.\n"
        "Bộ phận một cửa: Hướng dẫn người dân nộp hồ sơ trực tuyến tại nơi tiếp nhận; thực hiện thường xuyên.\n"
        "Kết quả: còn nhiều hồ sơ chưa được số hóa.\n")
    assert [(t.content[:24], t.lead, t.timing.due, t.timing.recurring) for t in draft.tasks] == [
        ("Rà soát, thu nhận hồ sơ ", ["Phòng Cảnh sát giao thông"], "2027-05-31", False),
        ("Hướng dẫn người dân nộp ", ["Bộ phận một cửa"], None, True)]


def test_a_flattened_table_with_numbered_period_columns_under_a_merged_time_header_is_rebuilt_cell_by_cell():
    from importer.read.flat_tables import rebuild_tables

    def row(n: str, cells: list[str], ticks: set[int]) -> list[str]:
        return [n, *cells, *("x" if q in ticks else "" for q in range(1, 5)), ""]

    lines = ["TT", "Nội dung công việc", "Đơn vị thực hiện", "Phối hợp", "Thời gian thực hiện năm 2027 (quý)",
             "", "", "", "", "", "", "", "", "1", "2", "3", "4", "",
             *row("1", ["Rà soát danh sách hộ nghèo, hộ cận nghèo của các thôn Bản Mế, Bản Phố, Bản",
                        "Giàng sau sáp nhập", "Công an xã", "Trưởng các thôn"], {2, 3}),
             *row("2", ["Mở lớp hướng dẫn cài đặt ứng dụng VNeID", "Đoàn Thanh niên xã", "Bưu điện xã"], {4}),
             "III. TỔ CHỨC THỰC HIỆN"]
    rows = [line.split("\t") for line in rebuild_tables(lines) if "\t" in line]
    assert rows[0][:5] == ["TT", "Nội dung công việc", "Đơn vị thực hiện", "Phối hợp",
                           "Thời gian thực hiện năm 2027 (quý)"] and len(rows[0]) == 8
    assert rows[1] == ["", "", "", "", "1", "2", "3", "4"]
    assert rows[2] == ["1", "Rà soát danh sách hộ nghèo, hộ cận nghèo của các thôn Bản Mế, Bản Phố, Bản Giàng sau "
                       "sáp nhập", "Công an xã", "Trưởng các thôn", "", "x", "x", ""]
    assert rows[3] == ["2", "Mở lớp hướng dẫn cài đặt ứng dụng VNeID", "Đoàn Thanh niên xã", "Bưu điện xã", "", "", "",
                       "x"]


def test_targets_under_a_paragraph_whose_last_sentence_leads_them_in_take_its_year():
    from importer.read.lines import Line
    from importer.vocabulary.targets import find_targets

    texts = ["I. MỤC ĐÍCH, YÊU CẦU",
             "Công việc năm 2026 đã hoàn thành. Các bộ phận phối hợp như sau:",
             "- 60% hồ sơ được số hóa.",
             "Bảo đảm các bộ phận phối hợp chặt chẽ, đúng tiến độ. Phấn đấu trong năm 2027:",
             "- 80% người dân trong độ tuổi lao động có tài khoản định danh điện tử;",
             "Bảo đảm kinh phí theo quy định. Phấn đấu đến ngày 30/6/2028:",
             "- 100% trường học thu học phí không dùng tiền mặt."]
    found = find_targets([Line(n, text) for n, text in enumerate(texts, 1)], set())
    assert [(t.value, t.by) for t in found] == [(60, None), (80, "2027"), (100, "2028")]


def test_a_weekday_cut_after_thứ_goes_on_the_line_above_and_a_numbered_line_does_not():
    from importer.read.wrapping import rejoin

    assert rejoin(["Các tổ báo cáo Ban Chỉ đạo xã trước 10 giờ sáng thứ", "Sáu hằng tuần để tổng hợp."], width=200) == [
        "Các tổ báo cáo Ban Chỉ đạo xã trước 10 giờ sáng thứ Sáu hằng tuần để tổng hợp."]
    assert rejoin(["Các nhiệm vụ được giao cho các thành viên theo thứ", "Ba. Nội dung tiếp theo."], width=200) == [
        "Các nhiệm vụ được giao cho các thành viên theo thứ", "Ba. Nội dung tiếp theo."]


def test_a_plural_kind_of_office_with_a_colon_names_one_office_per_field_listed():
    from importer.vocabulary.agencies import split_agencies

    assert split_agencies("Các phòng: Nội vụ, Tư pháp, Kinh tế, Hạ tầng và Đô thị") == [
        "Phòng Nội vụ", "Phòng Tư pháp", "Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert split_agencies("Các sở: Y tế, Giáo dục và Đào tạo") == ["Sở Y tế", "Sở Giáo dục và Đào tạo"]
    assert split_agencies("Các sở: Nội vụ và Tư pháp") == ["Sở Nội vụ", "Sở Tư pháp"]
    assert split_agencies("Các sở, ban, ngành tỉnh") == ["Các sở, ban, ngành tỉnh"]
