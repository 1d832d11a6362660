"""A plan's closing reporting paragraph is its reporting schedule, not a task nor the last task's text."""
import pytest

from importer import import_document
from importer.body.closing import implementation_heading, reporting_duty, without_reporting_duties
from importer.draft.model import DraftTask
from importer.read.lines import Line


@pytest.mark.parametrize("text", [
    "8. Các sở, ban, ngành, địa phương báo cáo kết quả thực hiện về Công an tỉnh trước ngày 15 hằng tháng.",
    "Định kỳ trước ngày 15/12 hằng năm, các cơ quan, đơn vị báo cáo kết quả về Sở Thông tin và Truyền thông.",
    "- Các phòng, ban định kỳ hằng quý báo cáo tình hình thực hiện về UBND huyện (qua Công an huyện).",
    "Các bộ phận báo cáo kết quả thực hiện về Công an xã trước ngày 25 hằng tháng để tổng hợp.",
])
def test_a_paragraph_whose_own_action_is_reporting_on_a_cycle_is_a_reporting_duty(text):
    assert reporting_duty(text)


@pytest.mark.parametrize("text", [
    # reporting is one step of a task, after an assignment and another action
    "7. Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh tổ chức kiểm tra việc thực hiện Đề án 06; "
    "tổng hợp, báo cáo Chủ tịch UBND tỉnh, định kỳ 6 tháng.",
    "6. Sơ kết quý I công tác chuyển đổi số, Đề án 06; báo cáo UBND tỉnh.",  # no cycle: a one-off report task
    "Các bộ phận báo cáo kết quả thực hiện về Công an xã.",  # no cycle
    "Công an xã chủ trì rà soát dân cư hằng tháng.",  # no report verb
])
def test_a_task_that_reports_as_one_step_or_without_a_cycle_is_not(text):
    assert not reporting_duty(text)


def test_implementation_headings():
    assert implementation_heading("III. TỔ CHỨC THỰC HIỆN")
    assert implementation_heading("Chế độ báo cáo")
    assert not implementation_heading("II. NHIỆM VỤ, GIẢI PHÁP")


def _task(code: str, content: str) -> DraftTask:
    return DraftTask(code=code, content=content, lead=["Công an xã"])


def test_only_a_duty_after_the_last_task_or_under_the_implementation_heading_is_dropped():
    duty = "Các bộ phận báo cáo kết quả về Công an xã trước ngày 25 hằng tháng."
    lines = [Line(1, "II. NHIỆM VỤ"), Line(2, f"1. {duty}"), Line(3, "2. Rà soát dân cư (Công an xã chủ trì)."),
             Line(4, f"3. {duty}")]
    pairs = [(2, _task("1", duty)), (3, _task("2", "Rà soát dân cư")), (4, _task("3", duty))]
    assert [t.code for _, t in without_reporting_duties(pairs, lines)] == ["1", "2"]  # the first is no closing
    moved = [(2, _task("1", "Rà soát dân cư")), (6, _task("2", duty)), (7, _task("3", "Cấp căn cước"))]
    lines = [Line(1, "II. NHIỆM VỤ"), Line(2, "1. Rà soát dân cư (Công an xã chủ trì)."),
             Line(5, "III. TỔ CHỨC THỰC HIỆN"), Line(6, f"2. {duty}"), Line(7, "3. Cấp căn cước (Công an xã chủ trì).")]
    assert [t.code for _, t in without_reporting_duties(moved, lines)] == ["1", "3"]


PLAN = ["ỦY BAN NHÂN DÂN XÃ AN PHÚ", "Số: 12/KH-UBND", "KẾ HOẠCH", "Triển khai Đề án 06 năm 2026", "II. NHIỆM VỤ",
        "1. Công an xã chủ trì rà soát danh sách công dân chưa kích hoạt tài khoản định danh điện tử; thời gian "
        "hoàn thành: Quý II/2026.",
        "2. Văn phòng UBND xã chủ trì kiện toàn Tổ công nghệ số cộng đồng; thời gian hoàn thành: Quý I/2026."]


@pytest.mark.parametrize("closing", [
    ["Định kỳ trước ngày 20 hằng tháng, các bộ phận báo cáo kết quả về Công an xã để tổng hợp, báo cáo UBND huyện."],
    ["3. Các bộ phận, ban ngành báo cáo kết quả thực hiện về Công an xã trước ngày 20 hằng tháng."],
    ["III. TỔ CHỨC THỰC HIỆN", "1. Các bộ phận báo cáo kết quả thực hiện về Công an xã trước ngày 20 hằng tháng."],
])
def test_the_closing_paragraph_is_the_plans_reporting_schedule_not_a_task(closing):
    draft = import_document("\n".join(PLAN + closing).encode(), "plan.txt")
    assert [(t.code.rsplit(".", 1)[-1], t.timing.due, t.timing.recurring) for t in draft.tasks] == [
        ("1", "2026-06-30", False), ("2", "2026-03-31", False)]
    assert all("báo cáo" not in t.content for t in draft.tasks)
    assert [(r.cycle, r.due_day, r.to) for r in draft.reporting] == [("monthly", 20, "Công an xã")]
