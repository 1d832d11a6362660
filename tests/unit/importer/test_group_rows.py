"""A group row or heading that is only a period gives its time to the rows or items below it."""
import pytest

from importer.body.table_tasks import table_tasks
from importer.read.lines import Line

from .plan_cases import rules_draft

HEADER = ["STT", "Nội dung công việc", "Chủ trì", "Phối hợp"]


def _row(n: int, *cells: str) -> Line:
    return Line(n, "\t".join(cells), cells=list(cells))


def _timings(lines: list[Line], year: int = 2026) -> list[tuple[str | None, str | None, str | None]]:
    tasks, _ = table_tasks(lines, year)
    return [(t.timing.raw, t.timing.start, t.timing.due) for _, t in tasks]


@pytest.mark.parametrize("period, start, due", [
    ("Tháng 02/2026", None, "2026-02-28"),
    ("Quý II/2026", None, "2026-06-30"),
    ("Năm 2026", None, "2026-12-31"),
    ("6 tháng đầu năm 2026", None, "2026-06-30"),
    ("Từ tháng 3 đến tháng 6/2026", "2026-03-01", "2026-06-30"),
])
def test_a_group_row_that_is_only_a_period_times_the_rows_below_it(period, start, due):
    lines = [_row(1, *HEADER), _row(2, period, "", "", ""),
             _row(3, "1", "Rà soát dân cư", "Công an xã", ""), _row(4, "2", "Kiện toàn tổ công nghệ số", "Văn phòng UBND xã", "")]
    assert _timings(lines) == [(period, start, due)] * 2


def test_the_period_may_sit_in_the_content_column_and_lasts_until_the_next_group_row():
    lines = [_row(1, *HEADER), _row(2, "I", "Quý I/2026", "", ""), _row(3, "1", "Rà soát dân cư", "Công an xã", ""),
             _row(4, "II", "Quý II/2026", "", ""), _row(5, "2", "Cấp căn cước lưu động", "Công an xã", "")]
    assert [due for _, _, due in _timings(lines)] == ["2026-03-31", "2026-06-30"]


def test_a_row_with_its_own_time_keeps_it():
    lines = [_row(1, *HEADER, "Thời gian"), _row(2, "Tháng 02/2026", "", "", "", ""),
             _row(3, "1", "Rà soát dân cư", "Công an xã", "", "Trước ngày 10/02/2026"),
             _row(4, "2", "Cấp căn cước lưu động", "Công an xã", "", "")]
    assert [due for _, _, due in _timings(lines)] == ["2026-02-10", "2026-02-28"]


def test_a_group_row_that_names_a_topic_gives_no_time_and_ends_the_period_above():
    lines = [_row(1, *HEADER), _row(2, "Tháng 02/2026", "", "", ""), _row(3, "1", "Rà soát dân cư", "Công an xã", ""),
             _row(4, "", "Nhóm nhiệm vụ về dịch vụ công trực tuyến", "", ""),
             _row(5, "2", "Cấp căn cước lưu động", "Công an xã", "")]
    tasks, _ = table_tasks(lines, 2026)
    assert [t.timing.due for _, t in tasks] == ["2026-02-28", None]
    assert tasks[1][1].section == "Nhóm nhiệm vụ về dịch vụ công trực tuyến"


def test_the_period_ends_with_the_table():
    lines = [_row(1, *HEADER), _row(2, "Tháng 02/2026", "", "", ""), _row(3, "1", "Rà soát dân cư", "Công an xã", ""),
             Line(4, "Bảng 2. Nhiệm vụ khác"), _row(5, *HEADER), _row(6, "1", "Cấp căn cước lưu động", "Công an xã", "")]
    assert [due for _, _, due in _timings(lines)] == ["2026-02-28", None]


def _walk(texts: list[str]):
    from importer.body.walker import walk

    candidates, _ = walk([Line(i + 1, t) for i, t in enumerate(texts)])
    return [(c.content[:24], c.heading_time) for c in candidates]


def test_a_bare_period_line_over_dashed_items_is_their_group_heading():
    texts = ["II. NHIỆM VỤ", "Tháng 02/2026", "- Rà soát dân cư (Công an xã chủ trì).",
             "- Kiện toàn tổ công nghệ số (Văn phòng UBND xã chủ trì).", "Quý II/2026",
             "- Cấp căn cước lưu động (Công an xã chủ trì)."]
    assert _walk(texts) == [("Rà soát dân cư (Công an ", "Tháng 02/2026"), ("Kiện toàn tổ công nghệ s", "Tháng 02/2026"),
                            ("Cấp căn cước lưu động (C", "Quý II/2026")]


def test_a_bare_period_line_after_an_open_item_stays_that_items_time():
    texts = ["II. NHIỆM VỤ", "1. Rà soát dân cư (Công an xã chủ trì).", "Quý II/2026",
             "2. Cấp căn cước lưu động (Công an xã chủ trì)."]
    walked = _walk(texts)
    assert walked[0][0] == "Rà soát dân cư (Công an " and walked[0][1] is None
    assert [h for _, h in walked] == [None, None]


def test_prose_group_headings_time_the_items_unless_an_item_has_its_own():
    text = "\n".join(["ỦY BAN NHÂN DÂN XÃ AN PHÚ", "Số: 12/KH-UBND", "KẾ HOẠCH", "Triển khai Đề án 06 năm 2026",
                      "II. NHIỆM VỤ", "Tháng 02/2026",
                      "- Cấp căn cước lưu động, hoàn thành trước ngày 15/02/2026 (Công an xã chủ trì).",
                      "- Kiện toàn Tổ công nghệ số cộng đồng (Văn phòng UBND xã chủ trì).", "Năm 2026",
                      "- Số hóa hồ sơ hộ tịch (Phòng Văn hóa - Xã hội chủ trì)."])
    draft = rules_draft(text)
    assert [(t.lead, t.timing.due) for t in draft.tasks] == [
        (["Công an xã"], "2026-02-15"), (["Văn phòng UBND xã"], "2026-02-28"), (["Phòng Văn hóa - Xã hội"], "2026-12-31")]


def test_the_labeller_gives_a_group_rows_period_to_the_rows_below_it_until_the_table_ends():
    from importer.labeller.blocks import blocks_to_tasks
    from importer.labeller.segments import Segment

    def cell(line, text, column, header):
        return Segment(line, text, cell=column, cells=4, header=header)

    segments = [cell(2, "Tháng 02/2026", 0, "STT"),
                cell(3, "Rà soát danh sách công dân chưa kích hoạt tài khoản", 1, "Nội dung công việc"),
                cell(3, "Công an xã", 2, "Chủ trì"),
                cell(4, "Kiện toàn Tổ công nghệ số cộng đồng", 1, "Nội dung công việc"),
                cell(4, "Văn phòng UBND xã", 2, "Chủ trì"),
                Segment(5, "III. NHIỆM VỤ THƯỜNG XUYÊN"),
                Segment(6, "1. Công an xã chủ trì hướng dẫn người dân cài đặt VNeID.")]
    labels = [("OTHER", 0.95), ("TASK_START", 0.9), ("LEAD", 0.9), ("TASK_START", 0.9), ("LEAD", 0.9),
              ("HEADING", 0.9), ("TASK_START", 0.9)]
    tasks = [t for _, t in blocks_to_tasks(segments, labels, 2026)]
    assert [(t.lead, t.timing.due) for t in tasks] == [
        (["Công an xã"], "2026-02-28"), (["Văn phòng UBND xã"], "2026-02-28"), (["Công an xã"], None)]


def test_a_group_row_the_labeller_calls_a_time_field_is_still_the_period_of_the_rows_below():
    from importer.labeller.blocks import blocks_to_tasks
    from importer.labeller.segments import Segment

    def cell(line, text, column):
        return Segment(line, text, cell=column, cells=4, header=["STT", "Nội dung công việc", "Chủ trì"][column])

    segments = [cell(2, "Tháng 01/2026", 0), cell(3, "Rà soát danh sách công dân", 1), cell(3, "Công an xã", 2),
                cell(4, "Tháng 02/2026", 0), cell(5, "Cấp căn cước lưu động tại nhà", 1), cell(5, "Công an xã", 2)]
    labels = [("OTHER", 0.9), ("TASK_START", 0.9), ("LEAD", 0.9), ("TIME", 0.7), ("TASK_START", 0.9), ("LEAD", 0.9)]
    tasks = [t for _, t in blocks_to_tasks(segments, labels, 2026)]
    assert [t.timing.due for t in tasks] == ["2026-01-31", "2026-02-28"]
