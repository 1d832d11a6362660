"""Agency names: normalization, splitting, collectives, directory matching."""

from importer import import_document
from importer.vocabulary.agencies import partners_in, split_agencies
from importer.vocabulary.agency_directory import Directory, agency_key
from importer.read.text import compare_key, normalize_tones


def test_tone_mark_placement_is_normalized():
    assert normalize_tones("Thành uỷ") == normalize_tones("Thành ủy") == "Thành ủy"
    assert normalize_tones("Uỷ ban") == "Ủy ban"
    assert normalize_tones("số hoá") == "số hóa"
    assert normalize_tones("Quý I") == "Quý I"  # qu- keeps the mark on y


def test_combining_marks_compare_equal_to_precomposed_letters():
    assert compare_key("Ho\u0300a Bi\u0300nh") == compare_key("Hòa Bình")


def test_dash_variants_are_the_same_in_agency_names():
    assert agency_key("Phòng Tài chính – Kế hoạch") == agency_key("Phòng Tài chính-Kế hoạch")
    assert agency_key("Phòng Tài chính — Kế hoạch") == agency_key("phòng tài chính - kế hoạch")


def test_ubnd_and_uy_ban_nhan_dan_match():
    assert agency_key("UBND huyện Hà Quảng") == agency_key("Ủy ban nhân dân huyện Hà Quảng")
    assert agency_key("Văn phòng UBND huyện") == agency_key("Văn phòng Uỷ ban nhân dân huyện")


def test_office_of_council_and_committee_is_its_own_agency():
    assert agency_key("Văn phòng HĐND&UBND huyện") != agency_key("Văn phòng UBND huyện")
    assert split_agencies("Văn phòng HĐND&UBND huyện, Công an huyện") == ["Văn phòng HĐND&UBND huyện", "Công an huyện"]


def test_a_collective_phrase_stays_whole():
    assert split_agencies("Các phòng, ban, ngành, UBND các xã, thị trấn") == [
        "Các phòng, ban, ngành", "UBND các xã, thị trấn"]


def test_a_named_agency_after_a_collective_starts_a_new_name():
    assert split_agencies("Công an huyện và các phòng, ban, ngành có liên quan, UBND xã, thị trấn.") == [
        "Công an huyện", "các phòng, ban, ngành có liên quan", "UBND xã, thị trấn"]


def test_commas_and_conjunctions_inside_a_name_do_not_split_it():
    assert split_agencies("công chức Lao động, Thương binh và Xã hội") == ["công chức Lao động, Thương binh và Xã hội"]
    assert split_agencies("Phòng Tài nguyên và Môi trường") == ["Phòng Tài nguyên và Môi trường"]
    assert split_agencies("Bộ phận tiếp nhận và trả kết quả xã") == ["Bộ phận tiếp nhận và trả kết quả xã"]
    assert split_agencies("Phòng Tư pháp cấp huyện, cấp xã") == ["Phòng Tư pháp cấp huyện, cấp xã"]


def test_semicolons_always_separate_agencies():
    assert split_agencies("Văn Phòng UBND huyện; Công an huyện; Phòng Văn hóa - Thông tin.") == [
        "Văn Phòng UBND huyện", "Công an huyện", "Phòng Văn hóa - Thông tin"]


def test_a_unit_named_ban_is_not_swallowed_by_a_collective():
    assert split_agencies("Phòng Tư pháp, Ban Chỉ huy quân sự huyện") == ["Phòng Tư pháp", "Ban Chỉ huy quân sự huyện"]


def test_partners_are_read_from_phoi_hop_voi_up_to_the_verb():
    assert partners_in("Chủ trì, phối hợp với Văn phòng UBND xã tham mưu cho Chủ tịch UBND xã") == ["Văn phòng UBND xã"]
    assert partners_in("Phối hợp với Văn phòng UBND xã, các ngành tại địa phương tiến hành sơ kết") == [
        "Văn phòng UBND xã", "các ngành tại địa phương"]
    assert partners_in("Phối hợp cấp thẻ Căn cước công dân gắn chip") == []


def test_directory_matches_names_written_differently():
    directory = Directory([("ca", "Công an huyện Hà Quảng"), ("vp", "Văn phòng Ủy ban nhân dân huyện"),
                           ("tc", "Phòng Tài chính - Kế hoạch")])
    assert directory.resolve("Văn phòng UBND huyện") == ("vp", False)
    assert directory.resolve("Phòng Tài chính – Kế hoạch") == ("tc", False)
    assert directory.resolve("Công an huyện") == ("ca", True)  # unique prefix: approximate
    assert directory.resolve("Các phòng, ban, ngành") == (None, False)


def test_ambiguous_prefixes_are_not_resolved():
    directory = Directory([("a", "Công an xã Tế Lợi"), ("b", "Công an xã Tế Thắng")])
    assert directory.resolve("Công an xã") == (None, False)


PLAN = """KẾ HOẠCH
Triển khai Đề án 06
I. NHIỆM VỤ
a) Rà soát dữ liệu dân cư.
Cơ quan chủ trì: Công an huyện
Cơ quan phối hợp: Phòng Tư pháp, các phòng, ban, ngành
Thời gian: Quý I/2023
"""


def test_import_fills_ids_beside_names_and_flags_unresolved_names():
    draft = import_document(PLAN.encode(), "plan.txt", directory=[("ca-1", "Công an huyện"), ("tp-1", "Phòng Tư pháp")])
    task = draft.tasks[0]
    assert task.lead_ids == ["ca-1"] and task.support_ids == ["tp-1"]
    assert any("các phòng, ban, ngành" in w.message for w in draft.warnings)


def test_without_a_directory_no_agency_warnings_are_raised():
    draft = import_document(PLAN.encode(), "plan.txt")
    assert draft.tasks[0].lead_ids == []
    assert not any("directory" in w.message for w in draft.warnings)


def test_abbreviated_police_a_newspaper_and_a_capitalised_name_word_are_read_as_agencies():
    from importer.vocabulary.agencies import is_head, partners_in, split_agencies

    assert split_agencies("CA tỉnh, Báo Đắk Nông, Đài PT-TH tỉnh") == ["CA tỉnh", "Báo Đắk Nông", "Đài PT-TH tỉnh"]
    assert split_agencies("UBND các huyện, thành phố Đà Lạt, Bảo Lộc") == ["UBND các huyện, thành phố Đà Lạt, Bảo Lộc"]
    assert [is_head(t) for t in ("Cả tỉnh phấn đấu", "Báo cáo kết quả", "Bảo đảm an ninh", "Bảo hiểm xã hội tỉnh")] == [
        False, False, False, True]
    assert partners_in("Xây dựng bản đồ hạ tầng, phối hợp với Sở Xây dựng; thời gian: Quý IV/2023.") == ["Sở Xây dựng"]
