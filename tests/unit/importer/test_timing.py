"""Timing normalization, one test per written form."""

from importer.vocabulary.timing import inline_timing, parse_timing


def timing(raw, year=2023, role="auto"):
    return parse_timing(raw, year, role)


def test_month_in_words_is_due_on_the_last_day_of_that_month():
    t, notes = timing("Trong tháng 3 năm 2022.")
    assert (t.due, t.start, t.recurring, t.condition) == ("2022-03-31", None, False, None)
    assert notes == []


def test_month_with_slash_is_due_on_the_last_day_of_that_month():
    assert timing("Tháng 5/2022")[0].due == "2022-05-31"


def test_february_month_ends_on_the_28th_in_a_common_year():
    assert timing("Trong tháng 02 năm 2022")[0].due == "2022-02-28"


def test_quarter_in_roman_numerals_is_due_on_the_last_day_of_the_quarter():
    assert timing("Quý I năm 2022")[0].due == "2022-03-31"
    assert timing("Quý II năm 2023")[0].due == "2023-06-30"
    assert timing("quý IV/2023")[0].due == "2023-12-31"


def test_quarter_in_arabic_numerals_is_due_on_the_last_day_of_the_quarter():
    assert timing("quý 2/2023")[0].due == "2023-06-30"
    assert timing("Quý 02/2023")[0].due == "2023-06-30"
    assert timing("Trong Quý 1 năm 2023")[0].due == "2023-03-31"
    assert timing("Quý III - 2023")[0].due == "2023-09-30"


def test_first_six_months_are_due_on_the_30th_of_june():
    assert timing("6 tháng đầu năm 2023")[0].due == "2023-06-30"
    assert timing("06 tháng cuối năm 2023")[0].due == "2023-12-31"


def test_within_a_year_is_due_on_the_31st_of_december():
    assert timing("Trong năm 2022")[0].due == "2022-12-31"
    assert timing("Năm 2023")[0].due == "2023-12-31"


def test_before_a_day_is_due_on_that_day():
    assert timing("Trước ngày 31/5/2023")[0].due == "2023-05-31"
    assert timing("trước 31/3/2023")[0].due == "2023-03-31"
    assert timing("Hoàn thành trước ngày 15 tháng 8 năm 2023")[0].due == "2023-08-15"


def test_a_date_that_does_not_exist_is_due_on_the_last_day_of_its_month_with_a_warning():
    t, notes = timing("Trước ngày 31/11/2023")
    assert t.due == "2023-11-30"
    assert any("31/11/2023" in n for n in notes)


def test_the_29th_of_february_in_a_common_year_becomes_the_28th():
    t, notes = timing("Trước ngày 29/02/2023")
    assert t.due == "2023-02-28" and notes


def test_from_a_month_is_a_start_on_its_first_day():
    t, _ = timing("Từ tháng 3 năm 2022")
    assert (t.start, t.due) == ("2022-03-01", None)


def test_from_a_day_is_a_start_on_that_day():
    t, _ = timing("Thực hiện từ ngày 25/5/2023")
    assert (t.start, t.due) == ("2023-05-25", None)


def test_from_to_gives_both_start_and_due():
    t, _ = timing("Từ tháng 3/2023 đến tháng 6/2023")
    assert (t.start, t.due) == ("2023-03-01", "2023-06-30")


def test_a_period_of_years_gives_both_start_and_due():
    t, _ = timing("Giai đoạn 2023 - 2025")
    assert (t.start, t.due) == ("2023-01-01", "2025-12-31")


def test_regularly_is_recurring_without_a_date():
    for raw in ("Thường xuyên", "Thực hiện thường xuyên", "Hằng tháng", "Định kỳ hàng quý"):
        t, notes = timing(raw)
        assert t.recurring and t.due is None and t.start is None, raw
        assert notes == []


def test_quarter_and_regularly_is_due_and_recurring():
    t, _ = timing("Quý I năm 2023 và thường xuyên")
    assert (t.due, t.recurring) == ("2023-03-31", True)


def test_year_and_regularly_is_due_and_recurring():
    t, _ = timing("Năm 2023 và thường xuyên")
    assert (t.due, t.recurring) == ("2023-12-31", True)


def test_from_a_month_and_regularly_is_a_start_and_recurring():
    t, _ = timing("Từ tháng 01 năm 2023 và thực hiện thường xuyên")
    assert (t.start, t.due, t.recurring) == ("2023-01-01", None, True)


def test_before_a_day_and_regularly_is_due_and_recurring():
    t, _ = timing("Trước 31/3/2023 và thực hiện thường xuyên")
    assert (t.due, t.recurring) == ("2023-03-31", True)


def test_waiting_for_a_directive_is_a_condition_without_a_date():
    t, _ = timing("Ngay sau khi có Chỉ thị của UBND huyện.")
    assert t.condition == "Ngay sau khi có Chỉ thị của UBND huyện"
    assert (t.due, t.start, t.recurring) == (None, None, False)


def test_according_to_a_ministry_plan_is_a_condition():
    assert timing("Theo Kế hoạch của Bộ Công an")[0].condition == "Theo Kế hoạch của Bộ Công an"


def test_on_request_is_a_condition():
    t, _ = timing("Khi có yêu cầu của các Phòng, ban, ngành liên quan.")
    assert t.condition == "Khi có yêu cầu của các Phòng, ban, ngành liên quan"


def test_at_the_lead_agencys_proposal_is_a_condition():
    assert timing("Theo đề nghị của cơ quan chủ trì")[0].condition == "Theo đề nghị của cơ quan chủ trì"


def test_a_deadline_with_a_condition_keeps_both():
    t, _ = timing("Quý 2 năm 2023 khi có hướng dẫn của Bộ Giáo dục và Đào tạo.")
    assert (t.due, t.condition) == ("2023-06-30", "khi có hướng dẫn của Bộ Giáo dục và Đào tạo")


def test_several_starts_for_different_levels_keep_the_earliest_with_a_warning():
    t, notes = timing("Tại Bộ phận một cửa cấp huyện từ ngày 01 tháng 12 năm 2022; cấp xã từ ngày 01 tháng 6 năm 2023.")
    assert (t.start, t.due) == ("2022-12-01", None)
    assert any("earliest" in n for n in notes)


def test_several_deadlines_keep_the_earliest_with_a_warning():
    t, notes = timing("Trong tháng 02/2023 và đẩy mạnh triển khai trong quý I/2023")
    assert t.due == "2023-02-28"
    assert any("earliest" in n for n in notes)


def test_a_missing_year_takes_the_plans_year_with_a_warning():
    t, notes = timing("Trước ngày 30/6", year=2024)
    assert t.due == "2024-06-30"
    assert any("no year" in n for n in notes)
    t, notes = timing("Quý III", year=2024)
    assert t.due == "2024-09-30" and notes


def test_a_year_written_later_in_the_text_completes_a_month_without_year():
    t, notes = timing("Tháng 3 và tháng 6 năm 2023")
    assert t.due == "2023-03-31"
    assert not any("no year" in n for n in notes)


def test_a_missing_year_without_a_plan_year_is_ignored_with_a_warning():
    t, notes = timing("Tháng 5", year=None)
    assert t.due is None and notes


def test_in_a_start_column_a_plain_month_is_a_start():
    t, _ = timing("Tháng 6 năm 2022", role="start")
    assert (t.start, t.due) == ("2022-06-01", None)


def test_unknown_text_is_kept_raw_with_a_warning():
    t, notes = timing("Sớm nhất có thể")
    assert t.raw == "Sớm nhất có thể" and t.due is None
    assert notes


def test_empty_timing_is_all_null():
    t, notes = timing("  ")
    assert t.raw is None and notes == []


def test_a_deadline_inside_a_sentence_is_found():
    t, _ = inline_timing("Rà soát dữ liệu dân cư, hoàn thành trước ngày 31/5/2023.", 2023)
    assert (t.raw, t.due) == ("trước ngày 31/5/2023", "2023-05-31")


def test_a_sentence_without_timing_has_no_inline_timing():
    assert inline_timing("Tuyên truyền về lợi ích của ứng dụng VNeID.", 2023) is None


def test_a_range_of_months_is_due_at_the_end_of_the_last_month():
    t, _ = timing("Tháng 3-4/2023")
    assert t.due == "2023-04-30"


def test_two_periods_joined_by_a_dash_are_a_start_and_a_deadline():
    t, _ = timing("Quý IV/2023 - Quý I/2024")
    assert (t.start, t.due) == ("2023-10-01", "2024-03-31")


def test_days_of_a_yearly_cycle_are_no_deadline():
    from importer.vocabulary.timing import parse_timing

    several, _ = parse_timing("Trước ngày 15/6 và 15/12 hằng năm", 2022)
    assert (several.recurring, several.due, several.start) == (True, None, None)
    dated, _ = parse_timing("Định kỳ hằng năm, hoàn thành trước 31/12/2025", 2022)
    assert (dated.recurring, dated.due) == (True, "2025-12-31")  # a day with its year stays a deadline


def test_a_school_year_beside_a_deadline_only_names_its_period():
    t, _ = timing("học kỳ II năm học 2023 - 2024, hoàn thành trước 31/5/2024")
    assert (t.start, t.due) == (None, "2024-05-31")
    alone, _ = timing("Trong năm học 2023 - 2024")
    assert (alone.start, alone.due) == ("2023-01-01", "2024-12-31")  # alone, the school year is the span
