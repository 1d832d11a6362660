"""How a task the labeller drafts takes its time and lead where the plan writes them without the usual marks: ticks
under month columns of its table row (read by the rules' table reader), and field labels written without a colon
("Đơn vị chủ trì Công an phường", "Thời hạn Quý I/2026")."""
from importer.labeller.blocks import blocks_to_tasks
from importer.labeller.fields import field_value, paired, row_timing
from importer.labeller.segments import segments_of
from importer.labeller.starts import bare_field
from importer.read.lines import Line

HEADER = ["STT", "Nội dung công việc", "Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Đơn vị chủ trì"]
TICKED = [
    Line(1, "II. NỘI DUNG VÀ TIẾN ĐỘ", strong=True),
    Line(2, "", cells=HEADER),
    Line(3, "", cells=["1", "Rà soát thông tin số định danh cá nhân của người bệnh", "X", "X", "", "",
                       "Phòng Nghiệp vụ Y"]),
    Line(4, "", cells=["2", "Tổng kết năm thực hiện Đề án 06", "", "", "", "X", "Văn phòng Sở"]),
]


def _labels(segments):
    """The labels a trained model gives such a table: a task's text cell opens it, its lead cell is the lead, a tick
    is a mark cell of its row (OTHER)."""
    out = []
    for segment in segments:
        if segment.cell is None:
            out.append(("HEADING", 1.0))
        elif not segment.columns:
            out.append(("OTHER", 1.0))  # the header row
        else:
            out.append({1: ("TASK_START", 1.0), 6: ("LEAD", 1.0)}.get(segment.cell, ("OTHER", 1.0)))
    return out


def test_a_task_row_ticked_under_month_columns_takes_the_months_as_its_time():
    segments = segments_of(TICKED)
    tasks = [t for _, t in blocks_to_tasks(segments, _labels(segments), 2026)]
    assert [(t.lead, t.timing.start, t.timing.due) for t in tasks] == [
        (["Phòng Nghiệp vụ Y"], "2026-01-01", "2026-02-28"), (["Văn phòng Sở"], "2026-04-01", "2026-04-30")]


def test_a_row_without_ticks_or_a_table_the_rules_cannot_read_gives_no_time():
    untimed = segments_of([Line(2, "", cells=HEADER),
                           Line(3, "", cells=["1", "Rà soát hồ sơ", "", "", "", "", "Văn phòng Sở"])])
    assert not row_timing(untimed[-2], 2026).raw
    unknown = segments_of([Line(2, "", cells=["A", "B", "C"]),
                           Line(3, "", cells=["1", "Rà soát hồ sơ", "Tháng 3/2026"])])
    assert not row_timing(unknown[-2], 2026).raw  # no header the rules read: nothing, not a guess
    assert not row_timing(segments_of([Line(1, "Rà soát hồ sơ tháng 3/2026")])[0], 2026).raw  # no table


def test_a_field_label_without_its_colon_names_the_field_only_before_what_that_field_holds():
    assert bare_field("Đơn vị chủ trì Công an phường") == "LEAD"
    assert bare_field("- Cơ quan phối hợp Ban điều hành các tổ dân phố") == "SUPPORT"
    assert bare_field("Thời hạn Trước ngày 30/9/2026") == "TIME"
    assert bare_field("Thời gian thực hiện Thường xuyên") == "TIME"
    assert bare_field("Chủ trì tổ chức hội nghị sơ kết") is None  # a task: no agency after the words
    assert bare_field("Thời gian qua, công tác cấp căn cước được đẩy mạnh") is None  # a sentence, not a time
    assert field_value("Đơn vị chủ trì Văn phòng HĐND và UBND phường") == "Văn phòng HĐND và UBND phường"
    assert field_value("Chủ trì: Công an xã") == "Công an xã"


def test_a_block_reads_its_lead_and_a_time_line_labelled_other_after_a_label_without_colon():
    lines = [Line(1, "III. NHIỆM VỤ CỤ THỂ", strong=True),
             Line(2, "Nhiệm vụ 1. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực"),
             Line(3, "Đơn vị chủ trì Văn phòng HĐND và UBND phường"),
             Line(4, "Thời hạn Trước ngày 30/9/2026"),
             Line(5, "IV. CHẾ ĐỘ BÁO CÁO", strong=True)]
    labels = [("HEADING", 1.0), ("TASK_START", 1.0), ("LEAD", 1.0), ("OTHER", 0.9), ("HEADING", 1.0)]
    tasks = [t for _, t in blocks_to_tasks(segments_of(lines), labels, 2026)]
    assert [(t.lead, t.timing.due) for t in tasks] == [(["Văn phòng HĐND và UBND phường"], "2026-09-30")]
    after_close = [("HEADING", 1.0), ("TASK_START", 1.0), ("HEADING", 1.0), ("OTHER", 0.9), ("HEADING", 1.0)]
    assert blocks_to_tasks(segments_of(lines), after_close, 2026) == []  # no block open: the line is no one's field


def test_an_assignment_line_gives_its_lead_without_the_words_between_it_and_its_role_and_its_time_sentence():
    lines = [Line(1, "II. CÁC NHIỆM VỤ", strong=True),
             Line(2, "Nhiệm vụ 1: Rà soát, cập nhật số định danh cá nhân của học sinh trên cơ sở dữ liệu ngành."),
             Line(3, "Phòng Giáo dục phổ thông được giao chủ trì, phối hợp với các trường trung học phổ thông. "
                     "Thời hạn hoàn thành chậm nhất là ngày 31/3/2026."),
             Line(4, "Nhiệm vụ 2: Thu học phí bằng phương thức không dùng tiền mặt."),
             Line(5, "Phòng Kế hoạch - Tài chính được giao chủ trì, phối hợp với các cơ sở trực thuộc Sở. "
                     "Nhiệm vụ này thực hiện thường xuyên.")]
    labels = [("HEADING", 1.0), ("TASK_START", 1.0), ("LEAD", 1.0), ("TASK_START", 1.0), ("LEAD", 1.0)]
    tasks = [t for _, t in blocks_to_tasks(segments_of(lines), labels, 2026)]
    assert [(t.lead, t.support, t.timing.due, t.timing.recurring) for t in tasks] == [
        (["Phòng Giáo dục phổ thông"], ["các trường trung học phổ thông"], "2026-03-31", False),
        (["Phòng Kế hoạch - Tài chính"], ["các cơ sở trực thuộc Sở"], None, True)]


def test_a_lead_and_partners_cell_split_by_a_slash_reads_the_lead_first_whatever_its_label():
    assert paired("Công an huyện / UBND các xã, thị trấn") == (["Công an huyện"], ["UBND các xã, thị trấn"])
    assert paired("Công an huyện / Quý II/2024") is None  # a time after the slash: no partner
    assert paired("Sở Y tế") is None
    rows = [Line(1, "", cells=["TT", "Nhiệm vụ cụ thể", "Thời gian thực hiện", "Chủ trì / Phối hợp"]),
            Line(2, "", cells=["1", "Số hóa sổ hộ tịch đang lưu trữ tại UBND các xã", "Quý II/2024",
                               "Phòng Tư pháp / UBND các xã, thị trấn"])]
    labels = [("OTHER", 1.0)] * 4 + [("OTHER", 1.0), ("TASK_START", 1.0), ("TIME", 1.0), ("SUPPORT", 0.55)]
    tasks = [t for _, t in blocks_to_tasks(segments_of(rows), labels, 2024)]
    assert [(t.lead, t.timing.due) for t in tasks] == [(["Phòng Tư pháp"], "2024-06-30")]


def test_a_row_of_an_amendment_takes_its_revised_time_column_not_the_first_time_cell():
    rows = [Line(1, "", cells=["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian theo Kế hoạch số 45",
                               "Thời gian điều chỉnh"]),
            Line(2, "", cells=["1", "Số hóa hồ sơ hộ tịch đang lưu trữ", "Phòng Tư pháp", "Quý II/2024",
                               "Quý IV/2024"])]
    labels = [("OTHER", 1.0)] * 5 + [("OTHER", 1.0), ("TASK_START", 1.0), ("LEAD", 1.0), ("TIME", 0.9), ("TIME", 0.9)]
    tasks = [t for _, t in blocks_to_tasks(segments_of(rows), labels, 2024)]
    assert [(t.lead, t.timing.due) for t in tasks] == [(["Phòng Tư pháp"], "2024-12-31")]
