"""Which reading to trust, block by block: the "weigh" mode (importer/labeller/combine.py, labeller/hollow.py).

Round 18's two blind failures in small. A ward plan whose tasks carry lettered field items:

    12  1. Rà soát, cập nhật thông tin cư trú của người dân các khu phố sau sắp xếp.
    13     a) Đơn vị chủ trì: Công an phường
    14     b) Thời gian hoàn thành: trước ngày 31 tháng 3 năm 2026
    17  2. Bố trí công chức hướng dẫn người dân nộp hồ sơ trực tuyến.
    18     a) Đơn vị chủ trì: Văn phòng HĐND và UBND phường

The rules took each "a) Đơn vị chủ trì: …" for the task (its text the lead's name); the labeller read the numbered
lines. Both find two tasks, so prefer keeps the rules' reading; weigh sees the rules' texts name no work.

A commune table citing the province's task in a column before its own content:

    20  | 1 | Nhiệm vụ số 1 | Niêm yết công khai danh mục thủ tục hành chính | Trung tâm PVHCC xã | Trước 15/4/2026 |
    21  | 2 | Nhiệm vụ số 2 | Tiếp nhận hồ sơ liên thông đăng ký khai sinh  | Trung tâm PVHCC xã | Quý II/2026     |
"""
from __future__ import annotations

import pytest

from importer.draft.build import LABELLER_MODE
from importer.draft.model import DraftTask, Timing
from importer.labeller.combine import BLOCK_LINES, MODES, Labelled, combine
from importer.labeller.hollow import names_no_work
from importer.labeller.segments import Segment

FIRST = "Rà soát, cập nhật thông tin cư trú của người dân các khu phố sau sắp xếp."
SECOND = "Bố trí công chức hướng dẫn người dân nộp hồ sơ trực tuyến."
POLICE, OFFICE = ["Công an phường"], ["Văn phòng HĐND và UBND phường"]


def _task(content: str, lead=(), *, due: str | None = None, recurring: bool = False) -> DraftTask:
    return DraftTask(code="1", content=content, lead=list(lead), timing=Timing(raw=due, due=due, recurring=recurring))


def _read(pairs):
    return [(line, task.content, task.lead, task.timing.due) for line, task in pairs]


WARD_RULES = [(13, _task("Công an phường", ["Đơn vị"])), (18, _task("Văn phòng HĐND và UBND phường", ["Đơn vị"]))]
WARD_LABELLED = [(12, _task(FIRST, POLICE, due="2026-03-31")), (17, _task(SECOND, OFFICE, recurring=True))]


@pytest.mark.parametrize("text", [
    "Công an phường", "a) Đơn vị chủ trì: Công an phường", "Văn phòng HĐND và UBND phường", "Quý II/2026",
    "Trước ngày 15/4/2026", "Nhiệm vụ số 3", "Bổ sung", "Thực hiện: Quý III/2026.", "- Sản phẩm: Báo cáo",
    "thực hiện thường xuyên.", "Công an tỉnh (PC06)", ""])
def test_a_field_value_or_a_label_names_no_work(text):
    assert names_no_work(text)


@pytest.mark.parametrize("text", [
    FIRST, SECOND, "Công an xã rà soát dữ liệu dân cư trên địa bàn", "Tổ chức tập huấn",
    "Nhiệm vụ 1: Rà soát dữ liệu dân cư", "Giao Công an tỉnh chủ trì, phối hợp các sở triển khai",
    "Môi trường và tuyên truyền số"])
def test_a_task_that_says_what_to_do_names_work(text):
    assert not names_no_work(text)


def test_weigh_is_the_shipped_mode():
    assert "weigh" in MODES and LABELLER_MODE == "weigh"


def test_a_rule_task_that_is_a_field_line_is_read_as_the_labellers_task_of_its_block():
    right = [(12, FIRST, POLICE, "2026-03-31"), (17, SECOND, OFFICE, None)]
    assert _read(combine(WARD_RULES, lambda: WARD_LABELLED, "weigh")) == right
    assert _read(combine(WARD_RULES, lambda: WARD_LABELLED, "prefer")) != right  # prefer keeps the field lines


def test_more_field_lines_in_one_block_are_its_fields_not_tasks():
    rules = WARD_RULES[:1] + [(14, _task("trước ngày 31 tháng 3 năm 2026", ["Đơn vị"]))] + WARD_RULES[1:]
    assert [content for _, content, _, _ in _read(combine(rules, lambda: WARD_LABELLED, "weigh"))] == [FIRST, SECOND]


def test_agreement_wins_a_field_line_in_a_block_the_rules_read_is_dropped_not_swapped():
    """The rules read the task at line 12 themselves: the time line below it is its field, not a second task."""
    rules = [(12, _task(FIRST, POLICE, due="2026-03-31")), (14, _task("Quý II năm 2026", POLICE))] + WARD_RULES[1:]
    assert _read(combine(rules, lambda: WARD_LABELLED, "weigh")) == [
        (12, FIRST, POLICE, "2026-03-31"), (17, SECOND, OFFICE, None)]


def test_a_labeller_task_that_names_no_work_or_no_lead_replaces_nothing():
    for labelled in ([(12, _task("Thực hiện: Quý III/2026.", POLICE))] + WARD_LABELLED[1:],
                     [(12, _task(FIRST))] + WARD_LABELLED[1:]):
        assert _read(combine(WARD_RULES, lambda labelled=labelled: labelled, "weigh"))[0][1] == "Công an phường"


def test_a_field_line_far_below_the_labellers_task_is_not_in_its_block():
    far = [(12 + BLOCK_LINES + 1, _task("Công an phường", ["Đơn vị"]))]
    assert _read(combine(far, lambda: WARD_LABELLED[:1], "weigh"))[0][1] == "Công an phường"


def test_where_both_readings_name_work_weigh_reads_as_prefer():
    rules = [(12, _task(FIRST, POLICE, due="2026-03-31")), (17, _task(SECOND, OFFICE))]
    weighed, preferred = (_read(combine(rules, lambda: WARD_LABELLED, mode)) for mode in ("weigh", "prefer"))
    assert weighed == preferred


ROW_CELLS = {20: ["1", "Nhiệm vụ số 1", "Niêm yết công khai danh mục thủ tục hành chính", "Trung tâm PVHCC xã",
                  "Trước ngày 15/4/2026"],
             21: ["2", "Nhiệm vụ số 2", "Tiếp nhận hồ sơ liên thông đăng ký khai sinh", "Trung tâm PVHCC xã",
                  "Quý II/2026"]}
SEGMENTS = [Segment(line, text, cell=i, cells=5) for line, cells in ROW_CELLS.items() for i, text in enumerate(cells)]
TABLE_RULES = [(20, _task("Nhiệm vụ số 1", ["Trung tâm PVHCC xã"], due="2026-04-15")),
               (21, _task("Nhiệm vụ số 2", ["Trung tâm PVHCC xã"], due="2026-06-30"))]


def test_a_rule_task_read_from_a_citing_cell_takes_the_labellers_task_of_its_row():
    labelled = Labelled([(21, _task("Tiếp nhận hồ sơ liên thông đăng ký khai sinh", ["Trung tâm PVHCC xã"],
                                    due="2026-06-30"))], SEGMENTS)
    read = _read(combine(TABLE_RULES, lambda: labelled, "weigh"))
    assert read[1] == (21, "Tiếp nhận hồ sơ liên thông đăng ký khai sinh", ["Trung tâm PVHCC xã"], "2026-06-30")


def test_with_no_labeller_task_on_its_row_a_citing_cell_gives_way_to_the_rows_text_of_work():
    """Row 20 has no labeller task (the labeller's task of row 21 is another row's: not its block)."""
    labelled = Labelled([(21, _task("Tiếp nhận hồ sơ liên thông đăng ký khai sinh", ["Trung tâm PVHCC xã"]))], SEGMENTS)
    assert _read(combine(TABLE_RULES, lambda: labelled, "weigh"))[0] == (
        20, "Niêm yết công khai danh mục thủ tục hành chính", ["Trung tâm PVHCC xã"], "2026-04-15")
    assert _read(combine(TABLE_RULES, lambda: Labelled([], SEGMENTS), "weigh"))[0][1] == (
        "Niêm yết công khai danh mục thủ tục hành chính")


def test_a_hollow_rule_task_that_is_no_cell_of_its_row_keeps_its_text():
    rules = [(20, _task("Bổ sung", ["Trung tâm PVHCC xã"]))]
    assert _read(combine(rules, lambda: Labelled([], SEGMENTS), "weigh"))[0][1] == "Bổ sung"


def test_a_line_the_labeller_reads_as_several_tasks_is_read_so_whatever_the_counts():
    """Nesting: two dashed tasks in one cell the rules read as one, beside two rule tasks the labeller did not read:
    the labeller proposes fewer tasks (2) than the rules (3), so prefer drops the rules' paragraph and puts nothing in
    its place; weigh takes the labeller's two."""
    one = "Tích hợp giấy phép lái xe vào ứng dụng VNeID; - Triển khai dịch vụ công trực tuyến đăng ký xe"
    others = ["Chỉ đạo làm sạch dữ liệu dân cư trên địa bàn", "Theo dõi, tổng hợp kết quả thực hiện Đề án 06"]
    rules = [(11, _task(others[0], POLICE)), (12, _task(others[1], POLICE)), (13, _task(one, POLICE))]
    labelled = [(13, _task("Tích hợp giấy phép lái xe vào ứng dụng VNeID", POLICE)),
                (13, _task("Triển khai dịch vụ công trực tuyến đăng ký xe", POLICE))]
    assert [c for _, c, _, _ in _read(combine(rules, lambda: labelled, "weigh"))] == others + [
        "Tích hợp giấy phép lái xe vào ứng dụng VNeID", "Triển khai dịch vụ công trực tuyến đăng ký xe"]
    assert [c for _, c, _, _ in _read(combine(rules, lambda: labelled, "prefer"))] == others  # the loss it mends
