"""Round 33's forms, on made-up text: each rule by its cue, never a corpus plan's wording."""

from importer.vocabulary.office_codes import full_office_name


def test_a_division_code_alone_is_that_division():
    assert full_office_name("PC06") == "Phòng PC06"
    assert full_office_name("PV01") == "Phòng PV01"


def test_other_codes_stay_as_written():
    assert full_office_name("C06") == "C06"  # a ministry's department, not a province's division
    assert full_office_name("Phòng PC06") == "Phòng PC06"


def test_a_party_number_whose_kind_has_a_small_letter():
    from importer.header.preamble import _number

    assert _number([(0, "Số: 03-CTr/BCĐ"), (1, "Hà Nội, ngày 16 tháng 01 năm 2026")], []) == "03-CTr/BCĐ"
    assert _number([(0, "Số 27-KH/ĐU")], []) == "27-KH/ĐU"


def test_a_cell_of_dashed_tasks_each_closing_with_its_roles_and_time():
    from importer.body.bracket_items import bracket_items

    cell = ("- Lập danh sách hộ nghèo trên phần mềm (Tổ Hành chính chủ trì, Đội Thuế phối hợp; Quý III/2026)\n"
            "- Mở lớp tập huấn cho cán bộ (Phòng Tổ chức chủ trì; thường xuyên)")
    assert bracket_items(cell) == [
        ("Lập danh sách hộ nghèo trên phần mềm", ["Tổ Hành chính"], ["Đội Thuế"], "Quý III/2026"),
        ("Mở lớp tập huấn cho cán bộ", ["Phòng Tổ chức"], [], "thường xuyên")]
    joined = cell.replace("\n", " ")  # a page that joined the cell's lines
    assert [t for t, *_ in bracket_items(joined)] == ["Lập danh sách hộ nghèo trên phần mềm", "Mở lớp tập huấn cho cán bộ"]


def test_dashes_that_are_activities_name_no_roles():
    from importer.body.bracket_items import bracket_items

    assert bracket_items("- Rà soát danh sách (trọng tâm là hộ nghèo)\n- Lập báo cáo") is None


def test_a_task_column_whose_header_says_it_holds_the_roles():
    from importer.body.table_header import header_row

    cols = header_row(["TT", "Lĩnh vực", "Công việc cụ thể (đơn vị chủ trì, thời gian)"])
    assert cols is not None and cols.index["content"] == 2 and "lead" not in cols.index


def test_year_columns_holding_times():
    from importer.body.year_columns import ticked_years, year_columns

    years = year_columns(["", "", "Năm 2026", "Năm 2027", ""])
    assert years == [(2, 2026), (3, 2027)]
    one = ticked_years(["1", "Việc", "Quý III", "", "Báo cáo"], years)
    assert (one.due, one.start) == ("2026-09-30", None)
    both = ticked_years(["1", "Việc", "Triển khai", "Hoàn thành trước 31/3/2027", ""], years)
    assert (both.start, both.due) == ("2026-01-01", "2027-03-31")
    later = ticked_years(["1", "Việc", "", "Tháng 5/2027", ""], years)
    assert (later.due, later.start) == ("2027-05-31", None)
    assert ticked_years(["1", "Việc", "Thường xuyên", "", ""], years).recurring


def test_ticked_years_still_run_from_the_first_to_the_last():
    from importer.body.year_columns import ticked_years, year_columns

    years = year_columns(["STT", "Nhiệm vụ", "2026", "2027", "2028"])
    ticked = ticked_years(["1", "Việc", "x", "x", ""], years)
    assert (ticked.start, ticked.due) == ("2026-01-01", "2027-12-31")
