"""One test per timing / label / layout form added for the held-out plans."""

from importer import import_document
from importer.vocabulary.agencies import is_head, partners_in, split_agencies
from importer.read.lines import text_to_lines
from importer.body.structure import agency_heading, parse_label, parse_labels, parse_marker
from importer.vocabulary.timing import inline_timing, parse_timing


def timing(raw, year=2024):
    return parse_timing(raw, year)[0]


def test_a_relative_deadline_is_a_condition_without_a_date():
    t = timing("Trong vòng 15 ngày kể từ ngày Kế hoạch được ban hành")
    assert (t.due, t.start, t.condition) == (None, None, "Trong vòng 15 ngày kể từ ngày Kế hoạch được ban hành")
    assert timing("sau 30 ngày kể từ khi có hướng dẫn của Bộ").condition == "sau 30 ngày kể từ khi có hướng dẫn của Bộ"
    assert timing("Trong vòng 10 ngày làm việc kể từ ngày nhận được danh sách").condition.startswith("Trong vòng 10 ngày")


def test_week_based_deadlines_end_on_the_last_day_of_that_week():
    assert timing("tuần đầu tháng 7/2024").due == "2024-07-07"
    assert timing("02 tuần đầu tháng 6/2024").due == "2024-06-14"
    assert timing("trong tuần thứ 3 của tháng 5/2024").due == "2024-05-21"
    assert timing("tuần cuối tháng 2/2024").due == "2024-02-29"


def test_a_list_of_quarters_keeps_the_earliest_with_a_warning():
    t, notes = parse_timing("Quý II và Quý III năm 2024", 2024)
    assert t.due == "2024-06-30" and any("several deadlines" in n for n in notes)
    t, notes = parse_timing("Quý I, II/2024", 2024)
    assert t.due == "2024-03-31" and notes


def test_a_span_of_months_is_a_start_and_a_deadline():
    assert (timing("Tháng 9 - tháng 12/2023").start, timing("Tháng 9 - tháng 12/2023").due) == ("2023-09-01", "2023-12-31")
    t = timing("Từ tháng 4 đến tháng 10/2024")
    assert (t.start, t.due) == ("2024-04-01", "2024-10-31")


def test_done_according_to_someones_schedule_is_an_inline_condition():
    t, _ = inline_timing("Phối hợp thông báo lịch cấp căn cước, thực hiện theo lịch của Công an phường.", 2025)
    assert (t.due, t.condition) == (None, "theo lịch của Công an phường")


def test_numbered_task_marker_nhiem_vu_n():
    marker = parse_marker("Nhiệm vụ 12: Vận động tiểu thương sử dụng thanh toán không dùng tiền mặt.")
    assert (marker.kind, marker.token) == ("task", "12")
    assert marker.body.startswith("Vận động")


def test_a_label_whose_value_follows_the_colon_without_a_space():
    label = parse_label("Đơn vị chủ trì:Phòng Bưu chính, Viễn thông")
    assert (label.kind, label.value) == ("lead", "Phòng Bưu chính, Viễn thông")
    assert parse_label("thời hạn:Quý III/2024").value == "Quý III/2024"


def test_a_timing_label_written_as_a_sentence():
    label = parse_label("Thời gian hoàn thành trước ngày 31/12/2024.")
    assert (label.kind, label.value) == ("time", "trước ngày 31/12/2024.")


def test_lead_and_support_labels_on_one_line():
    labels = parse_labels("Chủ trì thực hiện: Công chức Tài chính - Kế toán; phối hợp: Hội Liên hiệp Phụ nữ xã, Đoàn Thanh niên xã")
    assert [(l.kind, l.value) for l in labels] == [
        ("lead", "Công chức Tài chính - Kế toán"), ("support", "Hội Liên hiệp Phụ nữ xã, Đoàn Thanh niên xã")]


def test_a_request_heading_names_the_agency():
    assert agency_heading("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam phường") == (
        ["Ủy ban Mặt trận Tổ quốc Việt Nam phường"], "")


def test_words_that_fold_like_bo_are_not_a_ministry():
    assert not is_head("Bố trí máy tính cho Bộ phận một cửa")
    assert is_head("Bộ Công an")


def test_the_council_and_committee_office_is_one_agency():
    assert split_agencies("Văn phòng HĐND và UBND phường") == ["Văn phòng HĐND và UBND phường"]
    assert split_agencies("Công an phường và UBND phường") == ["Công an phường", "UBND phường"]


def test_xa_hoi_does_not_end_an_agency_name():
    assert partners_in("Phối hợp với Bảo hiểm xã hội tỉnh Thanh Hóa rà soát đối tượng") == ["Bảo hiểm xã hội tỉnh Thanh Hóa"]


def test_a_br_inside_a_pipe_table_cell_is_a_line_break():
    line = text_to_lines("| 5 | Nội dung | Công an huyện;<br>UBND các xã | Thường xuyên |")[0]
    assert line.cells[2] == "Công an huyện;\nUBND các xã"


LETTERHEAD_AND_WRAPPED_ROW = """**ỦY BAN NHÂN DÂN**
**HUYỆN THỬ NGHIỆM**
Số: 12/KH-UBND
# KẾ HOẠCH
Triển khai Đề án 06 năm 2023
| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Kiểm tra tiến độ tại các xã, | Công an huyện | Phòng Nội vụ | Quý III/2023 |
| | thị trấn trên địa bàn huyện | | | |
| 2 | Sơ kết việc thực hiện | Công an huyện | | Tháng 12/2023 |
"""


def test_letterhead_is_not_a_task_and_a_wrapped_table_row_continues():
    draft = import_document(LETTERHEAD_AND_WRAPPED_ROW.encode(), "plan.md")
    assert [t.content for t in draft.tasks] == [
        "Kiểm tra tiến độ tại các xã, thị trấn trên địa bàn huyện", "Sơ kết việc thực hiện"]


def test_parent_committee_above_the_issuer_in_the_letterhead():
    text = ("UBND HUYỆN TRIỆU SƠN\nỦY BAN NHÂN DÂN XÃ ĐỒNG TIẾN\nSố: 4/KH-UBND\nKẾ HOẠCH\nThực hiện Đề án 06\n"
            "I. NHIỆM VỤ\n1. Rà soát dữ liệu dân cư.\n- Cơ quan chủ trì: Công an xã\n")
    assert import_document(text.encode(), "plan.txt").plan.issuer == "UBND xã Đồng Tiến"


def test_partners_in_the_sentence_when_the_labels_name_none():
    text = """KẾ HOẠCH
Thực hiện Đề án 06 năm 2024
III. NHIỆM VỤ CỤ THỂ
Nhiệm vụ 1: Phối hợp với Bảo hiểm xã hội huyện hướng dẫn người dân dùng căn cước khi khám bệnh.
Đơn vị thực hiện: Trạm Y tế xã
Thời hạn: Tháng 7/2024
"""
    task = import_document(text.encode(), "plan.txt").tasks[0]
    assert (task.lead, task.support, task.timing.due) == (["Trạm Y tế xã"], ["Bảo hiểm xã hội huyện"], "2024-07-31")
