"""A group row or heading that is only a period gives its time to the rows or items below it."""
import pytest

from importer.body.table_tasks import table_tasks
from importer.read.lines import Line

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
