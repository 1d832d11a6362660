"""Forms round 24 (blind) showed the importer missing, each fixed by a rule that names no plan and tested here on
made-up text, not round 24's. The drafts are read by the rules alone (`labeller_mode="off"`) unless the test is of
the join, so each test fails when its rule breaks, whatever the labeller would have drafted."""
from importer.draft.model import DraftTask, Timing
from importer.labeller.combine import Labelled, combine
from importer.labeller.segments import Segment

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ HÒA AN\nSố: 21/KH-UBND\nHòa An, ngày 09 tháng 3 năm 2027\n"
        "KẾ HOẠCH\nThực hiện chuyển đổi số năm 2027\n")
TAIL = "III. CHẾ ĐỘ BÁO CÁO\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 18 hằng tháng.\n"


def _plan(body: str, tail: str = TAIL):
    return rules_draft(HEAD + body + tail)


def _row_segments(line: int, cells: list[str]) -> list[Segment]:
    header = ("TT", "Nội dung", "Chủ trì", "Thời hạn")
    return [Segment(line, text, cell=i, cells=len(cells), header=header[i], row=tuple(cells), columns=header)
            for i, text in enumerate(cells)]


def test_a_table_cells_dashed_lines_below_its_task_are_activities_not_tasks_of_the_labeller_under_weigh():
    work = "Lắp đặt hệ thống camera giám sát tại trụ sở xã và nhà văn hóa các thôn"
    first, second = "Khảo sát vị trí lắp đặt tại từng thôn", "Nghiệm thu, bàn giao cho Công an xã quản lý"
    cell = f"{work}\n- {first};\n- {second}."
    row = DraftTask(code="1", content=cell, lead=["Bộ phận Văn phòng"], timing=Timing(raw="Quý III/2027",
                                                                                      due="2027-09-30"))
    split = [(4, DraftTask(code="1", content=f"{work} - {first}", lead=["Bộ phận Văn phòng"])),
             (4, DraftTask(code="2", content=second, lead=["Bộ phận Văn phòng"]))]
    segments = _row_segments(4, ["1", cell.replace("\n", " "), "Bộ phận Văn phòng", "Quý III/2027"])
    read = combine([(4, row)], lambda: Labelled(split, segments), "weigh")
    assert [task.content for _, task in read] == [cell]
    flat = cell.replace("\n", " ")  # a PDF's or a web copy's cell arrives on one line: "<task> - <activity>; - …"
    assert len(combine([(4, row.model_copy(update={"content": flat}))], lambda: Labelled(split, segments), "weigh")) == 1
    # a cell of two sentences, no dashed lines: the labeller's split of the row stands
    two = row.model_copy(update={"content": f"{work}. {second}."})
    parts = [(4, DraftTask(code="1", content=work, lead=["Bộ phận Văn phòng"])), split[1]]
    assert len(combine([(4, two)], lambda: Labelled(parts, segments), "weigh")) == 2


def test_a_heading_naming_work_and_its_time_after_a_period_heading_gives_its_own_time_to_the_items_below():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "THÁNG 5/2027\n"
        "- Niêm yết danh mục thủ tục trực tuyến tại bộ phận một cửa (Bộ phận Văn phòng chủ trì; Công an xã phối hợp).\n"
        "CÁC NHIỆM VỤ DUY TRÌ THƯỜNG XUYÊN\n"
        "- Cập nhật biến động dân cư vào cơ sở dữ liệu của xã (Công an xã chủ trì; Trưởng các thôn phối hợp).\n"
        "Nhiệm vụ hoàn thành trong Quý IV/2027:\n"
        "- Tổng kết việc thu phí không dùng tiền mặt tại chợ xã (Bộ phận Tài chính chủ trì; Ban quản lý chợ phối hợp).\n")
    assert [(row[0], row[3], row[5]) for row in _rows(draft)] == [
        ("Niêm yết danh mục thủ tụ", "2027-05-31", False),
        ("Cập nhật biến động dân c", None, True),
        ("Tổng kết việc thu phí kh", "2027-12-31", False)]


def test_an_office_written_by_its_short_form_vp_opens_a_partner_of_its_own_after_a_comma():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "| TT | Nội dung | Chủ trì | Phối hợp | Thời hạn |\n|---|---|---|---|---|\n"
        "| 1 | Rà soát hồ sơ một cửa chưa được số hóa | Bộ phận Tư pháp | Công an xã, VP HĐND và UBND xã | Quý II/2027 |\n"
        "| 2 | Cập nhật danh mục thủ tục trên cổng dịch vụ công | Bộ phận Văn phòng | Hội Nông dân xã và VP Đảng ủy "
        "| Tháng 6/2027 |\n")
    assert [row[2] for row in _rows(draft)] == [["Công an xã", "VP HĐND và UBND xã"],
                                                ["Hội Nông dân xã", "VP Đảng ủy"]]


def test_a_target_word_and_its_year_opening_a_line_lead_in_a_count_after_a_verb_and_the_clauses_after_it():
    draft = _plan(
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "Phấn đấu trong năm 2027: thu nhận 3.200 hồ sơ cấp căn cước cho công dân từ đủ 14 tuổi; 90% thủ tục hành chính "
        "được số hóa.\n"
        "II. NHIỆM VỤ\n1. Bộ phận Văn phòng rà soát hồ sơ một cửa, hoàn thành trong tháng 4/2027.\n")
    assert [(t.value, t.unit, t.by) for t in draft.targets] == [(3200, "hồ sơ", "2027"), (90, "percent", "2027")]


def test_a_column_of_the_person_in_charge_leads_the_row_when_no_column_names_the_lead_agency():
    table = ("| TT | Nội dung công việc | {who} | Bộ phận phối hợp | Thời gian |\n|---|---|---|---|---|\n"
             "| 1 | Rà soát hồ sơ hộ tịch chưa số hóa | Công chức Tư pháp - Hộ tịch | Công an xã | Tháng 5/2027 |\n"
             "| 2 | Niêm yết lịch thu nhận hồ sơ căn cước | Phó Trưởng Công an xã | Trưởng các thôn | Tháng 6/2027 |\n")
    draft = _plan("II. NỘI DUNG CÔNG VIỆC\n" + table.format(who="Cán bộ phụ trách"))
    assert [row[1] for row in _rows(draft)] == [["Công chức Tư pháp - Hộ tịch"], ["Phó Trưởng Công an xã"]]
    beside = ("| TT | Nội dung | Đơn vị chủ trì | Lãnh đạo phụ trách | Thời gian |\n|---|---|---|---|---|\n"
              "| 1 | Rà soát hồ sơ hộ tịch chưa số hóa | Bộ phận Tư pháp | Phó Chủ tịch UBND xã | Tháng 5/2027 |\n")
    assert [row[1] for row in _rows(_plan("II. NỘI DUNG CÔNG VIỆC\n" + beside))] == [["Bộ phận Tư pháp"]]
