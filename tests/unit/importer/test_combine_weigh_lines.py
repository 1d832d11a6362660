"""`weigh` on a rule task that read the line announcing a task, a field holding the task, a product cell, a lead that
ran on, a paragraph that ran past its task; the labeller's time for a rule task without one, a task only the labeller
reads (importer/labeller/weigh.py, combine.py, hollow.py).

Made-up examples. An amendment quoting its points under an announcing line:

    30  1. Sửa đổi điểm 4 Mục II Kế hoạch số 12 như sau:
    31  “4. Trạm Y tế xã chủ trì, phối hợp với Hội Nông dân xã lập danh sách người dân chưa có thẻ bảo hiểm y tế …;
        hoàn thành trước ngày 31/8/2026.”

The rules read lines 30-31 as one task: its text the announcing line, the quoted task's words in its partner field.
"""
from __future__ import annotations

import pytest

from importer.draft.model import DraftTask, Timing
from importer.labeller.combine import BLOCK_LINES, SURE, Labelled, combine
from importer.labeller.hollow import announces, product_column, work_in_field
from importer.labeller.segments import Segment

WORK = "lập danh sách người dân chưa có thẻ bảo hiểm y tế trên địa bàn các thôn"
HEALTH, FARMERS = ["Trạm Y tế xã"], ["Hội Nông dân xã"]
OTHER = "Tổ chức tập huấn sử dụng chữ ký số cho công chức một cửa"


def _task(content: str, lead=(), support=(), *, due: str | None = None) -> DraftTask:
    return DraftTask(code="1", content=content, lead=list(lead), support=list(support),
                     timing=Timing(raw=due, due=due))


def _read(pairs):
    return [(line, task.content, task.lead, task.support, task.timing.due) for line, task in pairs]


@pytest.mark.parametrize("text", [
    "Sửa đổi điểm 4 Mục II Kế hoạch số 12 như sau: “4.", "Sửa đổi điểm 4 Mục II Kế hoạch số 12 như sau:",
    "UBND xã đề nghị các ban, ngành thực hiện các nội dung sau:", "Giao các đơn vị triển khai một số việc cụ thể:",
    "Bổ sung các điểm 7, 8 vào Mục II như sau: \"7."])
def test_a_text_that_announces_work_below_it_announces(text):
    assert announces(text)


@pytest.mark.parametrize("text", [
    "Rà soát dữ liệu dân cư sau sắp xếp", "Triển khai các nội dung sau: (1) rà soát dữ liệu; (2) cấp căn cước",
    "Tổ chức tập huấn: Quý III/2026", OTHER])
def test_a_text_that_names_work_does_not_announce(text):
    assert not announces(text)


def test_a_field_that_runs_on_into_the_task_gives_the_name_and_the_task():
    assert work_in_field("Hội Nông dân xã " + WORK) == ("Hội Nông dân xã", WORK[:1].upper() + WORK[1:])


@pytest.mark.parametrize("name", [
    "Tổ công tác triển khai Đề án 06 và chuyển đổi số cấp xã",  # a body named for its purpose
    "Công an xã thực hiện",  # a verb, but no task after it
    "Hội Nông dân xã", ""])
def test_a_name_is_no_field_that_runs_on(name):
    assert work_in_field(name) is None


def test_a_product_column_is_named_by_its_header():
    assert product_column("Sản phẩm") and product_column("**Kết quả đầu ra**")
    assert not product_column("Nội dung công việc") and not product_column("Đơn vị chủ trì")


AMENDED = (30, _task("Sửa đổi điểm 4 Mục II Kế hoạch số 12 như sau: “4.", HEALTH, ["Hội Nông dân xã " + WORK],
                     due="2026-08-31"))


def test_an_announcing_task_with_the_work_in_its_partner_field_is_read_from_the_field():
    assert _read(combine([AMENDED], lambda: Labelled(), "weigh")) == [
        (30, WORK[:1].upper() + WORK[1:], HEALTH, FARMERS, "2026-08-31")]
    assert _read(combine([AMENDED], lambda: Labelled(), "prefer"))[0][1] == AMENDED[1].content  # prefer keeps it


def test_a_quoted_points_time_ends_at_its_closing_quotation_mark():
    """The rules read the amended point's time with the note after it, and kept the earliest date: the replaced one."""
    raw = "hoàn thành trước ngày 31/8/2026.” (thay cho thời gian “Quý II/2026”)"
    rule = (30, AMENDED[1].model_copy(update={"timing": Timing(raw=raw, due="2026-06-30")}))
    assert _read(combine([rule], lambda: Labelled(), "weigh"))[0][4] == "2026-08-31"


def test_a_labeller_task_the_fields_words_open_is_read_instead():
    labelled = [(31, _task(WORK[:1].upper() + WORK[1:] + ".", HEALTH, FARMERS, due="2026-08-30"))]
    assert _read(combine([AMENDED], lambda: labelled, "weigh")) == [
        (31, WORK[:1].upper() + WORK[1:] + ".", HEALTH, FARMERS, "2026-08-30")]


def test_an_announcing_paragraph_nothing_reads_is_no_task_and_the_labellers_item_below_takes_its_place():
    opening = (9, _task("Thực hiện Kế hoạch số 05 của UBND huyện, UBND xã đề nghị các đơn vị thực hiện các nội dung "
                        "sau:", HEALTH, due="2026-03-31"))
    rules = [opening, (11, _task(OTHER, HEALTH))]
    labelled = [(11, _task(OTHER, HEALTH)), (12, _task("Cập nhật dữ liệu tiêm chủng vào hệ thống", HEALTH))]
    assert [line for line, *_ in _read(combine(rules, lambda: labelled, "weigh"))] == [11, 12]
    assert [line for line, *_ in _read(combine(rules, lambda: labelled, "prefer"))] == [9, 11]


ROW = ["3", "Số hóa hồ sơ đăng ký kinh doanh hộ cá thể còn hiệu lực", "Chủ trì: Phòng Kinh tế",
       "Sau khi có hướng dẫn của tỉnh", "Hồ sơ được số hóa"]
HEADER = ["TT", "Nội dung", "Phân công", "Thời gian", "Sản phẩm"]
ROW_SEGMENTS = [Segment(40, text, cell=i, cells=5, header=HEADER[i]) for i, text in enumerate(ROW)]


def test_a_rule_task_read_from_the_product_column_gives_way_to_the_labellers_task_of_its_row():
    rules = [(40, _task("Hồ sơ được số hóa", ["Phòng Kinh tế"]))]
    labelled = Labelled([(40, _task(ROW[1], ["Phòng Kinh tế"], due="2026-12-31"))], ROW_SEGMENTS)
    assert _read(combine(rules, lambda: labelled, "weigh")) == [(40, ROW[1], ["Phòng Kinh tế"], [], "2026-12-31")]
    with_other_header = Labelled(list(labelled), [Segment(s.line, s.text, cell=s.cell, cells=5, header="Ghi chú")
                                                 for s in ROW_SEGMENTS])
    assert _read(combine(rules, lambda: with_other_header, "weigh"))[0][1] == "Hồ sơ được số hóa"


def _sure(pairs, marginal: float) -> Labelled:
    """The labeller's pairs with its segments and labels: each task's start at `marginal`."""
    segments = [Segment(line, task.content) for line, task in pairs]
    return Labelled(pairs, segments, [("TASK_START", marginal)] * len(segments))


def test_an_item_below_a_labeller_task_takes_no_lead_or_time_from_its_block():
    """The rules read an item (line 52, "Phối hợp …") below the task the labeller reads at line 50: another task,
    which may have no lead or time of its own (a seed plan's items read so lost their readings)."""
    rules = [(52, _task("Phối hợp với Trạm Y tế xã cập nhật danh sách hộ nghèo vào phần mềm quản lý"))]
    labelled = [(50, _task(OTHER, HEALTH, FARMERS, due="2026-09-30"))]
    read = {line: fields for line, *fields in _read(combine(rules, lambda: _sure(labelled, 1.0), "weigh"))}
    assert read[52][1:] == [[], [], None]


def test_a_task_only_the_labeller_reads_is_added_when_it_is_sure_of_it_whatever_the_counts():
    """The rules read two tasks, one of which the labeller misses; the labeller reads two, one of which the rules
    miss (line 82): as many tasks each, so fill keeps the rules' reading; weigh adds the labeller's when sure."""
    rules = [(80, _task(OTHER, HEALTH)), (84, _task("Rà soát hộ chưa có tài khoản ngân hàng nhận trợ cấp", FARMERS))]
    labelled = [(80, _task(OTHER, HEALTH)), (82, _task("Cập nhật dữ liệu tiêm chủng vào hệ thống", HEALTH))]
    assert [line for line, *_ in _read(combine(rules, lambda: _sure(labelled, SURE), "weigh"))] == [80, 82, 84]
    assert [line for line, *_ in _read(combine(rules, lambda: _sure(labelled, SURE - 0.1), "weigh"))] == [80, 84]
    assert [line for line, *_ in _read(combine(rules, lambda: _sure(labelled, SURE), "prefer"))] == [80, 84]


def test_a_rule_task_without_a_time_takes_the_time_of_the_labellers_reading_of_it_when_sure():
    """The rules read the task at its heading's line (60), the labeller at its own line (61), with the time."""
    rules = [(60, _task(OTHER, HEALTH))]
    labelled = [(61, _task(OTHER + ".", HEALTH, due="2026-10-31"))]
    assert _read(combine(rules, lambda: _sure(labelled, SURE), "weigh"))[0][4] == "2026-10-31"
    assert _read(combine(rules, lambda: _sure(labelled, 0.7), "weigh"))[0][4] is None
    assert _read(combine(rules, lambda: _sure(labelled, SURE), "prefer"))[0][4] is None
    far = [(60 + BLOCK_LINES + 1, labelled[0][1])]  # another item opening with the same words, far below
    assert _read(combine(rules, lambda: _sure(far, 1.0), "weigh"))[0][4] is None


def test_a_lead_that_ran_on_past_the_name_takes_the_labellers_lead_and_partner():
    for ran_on in ("Trạm Y tế xã / Hội Nông dân xã", "Trạm Y tế xã được giao"):
        rules = [(70, _task(OTHER, [ran_on], due="2026-05-31"))]
        labelled = [(70, _task(OTHER, HEALTH, FARMERS, due="2026-05-31"))]
        assert _read(combine(rules, lambda: _sure(labelled, 0.7), "weigh")) == [
            (70, OTHER, HEALTH, FARMERS, "2026-05-31")]  # the same line and words: one task, sure or not
        assert _read(combine(rules, lambda: labelled, "prefer"))[0][2] == [ran_on]


def test_two_leads_the_rules_read_stay_when_the_labeller_reads_one():
    rules = [(70, _task(OTHER, HEALTH + FARMERS, due="2026-05-31"))]
    labelled = [(70, _task(OTHER, HEALTH, due="2026-05-31"))]
    assert _read(combine(rules, lambda: _sure(labelled, 1.0), "weigh"))[0][2] == HEALTH + FARMERS


def test_a_sentences_tail_read_with_the_labellers_text_drops_a_lead_that_ran_on():
    rules = [(91, _task("triển khai bắt đầu sau khi có hướng dẫn của huyện.", ["Trạm Y tế xã được giao"]))]
    labelled = [(90, _task(OTHER, HEALTH))]
    assert _read(combine(rules, lambda: labelled, "weigh"))[0][1:3] == (OTHER, HEALTH)
    assert _read(combine(rules, lambda: labelled, "prefer"))[0][1:3] == (OTHER, ["Trạm Y tế xã được giao"])


def test_a_rule_task_that_runs_past_a_sentences_end_into_a_sure_labeller_task_is_cut_there():
    """Items without numbers, one a line, read by the rules as one paragraph (line 100); the labeller starts a task
    at line 102."""
    head = "Tổ chức rà soát dữ liệu dân cư sau sắp xếp đơn vị hành chính. Hoàn thành trước ngày 31/3/2026."
    item = "Hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2."
    rules = [(100, _task(head + " " + item + " Thời gian: quý II/2026.", due="2026-06-30"))]
    labelled = [(102, _task(item, HEALTH, due="2026-06-30"))]
    assert [(line, text) for line, text, *_ in _read(combine(rules, lambda: _sure(labelled, SURE), "weigh"))] == [
        (100, head), (102, item)]
    assert len(combine(rules, lambda: _sure(labelled, SURE - 0.1), "weigh")) == 1
    assert len(combine(rules, lambda: _sure(labelled, SURE), "prefer")) == 1
