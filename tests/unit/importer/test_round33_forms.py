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
