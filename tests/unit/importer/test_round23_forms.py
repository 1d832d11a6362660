"""Forms round 23 (blind) showed the importer missing, each fixed by a rule that names no plan and tested here on
made-up text, not round 23's. The drafts are read by the rules alone (`labeller_mode="off"`), so each test fails
when its rule breaks, whatever the labeller would have drafted."""

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ BÌNH LỢI\nSố: 57/KH-UBND\nBình Lợi, ngày 12 tháng 2 năm 2027\n"
        "KẾ HOẠCH\nThực hiện chuyển đổi số năm 2027\n")
TAIL = "III. CHẾ ĐỘ BÁO CÁO\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 18 hằng tháng.\n"


def _plan(body: str, tail: str = TAIL):
    return rules_draft(HEAD + body + tail)


def test_a_sentence_of_time_closing_a_line_of_role_labels_is_the_tasks_time_not_a_partner():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "a) Lắp đặt màn hình tra cứu thủ tục tại bộ phận một cửa của xã.\n"
        "Chủ trì: Bộ phận Văn phòng. Phối hợp: Viễn thông huyện, Đoàn Thanh niên xã. Hoàn thành trước ngày "
        "15/5/2027.\n"
        "b) Hướng dẫn hộ kinh doanh mở tài khoản thanh toán điện tử.\n"
        "Chủ trì: Hội Phụ nữ xã. Phối hợp: Bưu điện xã. Hằng quý.\n"
        "c) Tổ chức tập huấn kỹ năng số cho cán bộ thôn.\n"
        "Chủ trì: Bộ phận Văn hóa. Phối hợp: Trưởng các thôn. Sau khi tỉnh ban hành tài liệu hướng dẫn.\n")
    assert _rows(draft) == [
        ("Lắp đặt màn hình tra cứu", ["Bộ phận Văn phòng"], ["Viễn thông huyện", "Đoàn Thanh niên xã"],
         "2027-05-15", None, False),
        ("Hướng dẫn hộ kinh doanh ", ["Hội Phụ nữ xã"], ["Bưu điện xã"], None, None, True),
        ("Tổ chức tập huấn kỹ năng", ["Bộ phận Văn hóa"], ["Trưởng các thôn"], None, None, False)]
    assert draft.tasks[2].timing.condition


def test_a_bare_year_opening_its_own_due_phrase_after_a_comma_is_the_annual_report():
    draft = _plan("II. NHIỆM VỤ\n1. Bộ phận Văn phòng rà soát hồ sơ một cửa, hoàn thành trong tháng 4/2027.\n",
                  "III. CHẾ ĐỘ BÁO CÁO\nCác bộ phận gửi báo cáo về Công an xã 6 tháng trước ngày 12/6/2027, năm "
                  "trước ngày 12/12/2027 để tổng hợp.\n")
    assert sorted((r.cycle, r.due) for r in draft.reporting) == [
        ("annual", "năm, trước ngày 12/12/2027"), ("semiannual", "6 tháng, trước ngày 12/6/2027")]


def test_a_second_header_row_of_dated_weeks_under_the_time_header_gives_each_ticked_rows_weeks():
    draft = _plan(
        "II. NỘI DUNG CÔNG VIỆC THÁNG 4/2027\n"
        "| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện tháng 4/2027 | | | |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| | | | | Tuần 1 (05/4 - 11/4) | Tuần 2 (12/4 - 18/4) | Tuần 3 (19/4 - 25/4) | Tuần 4 (26/4 - 02/5) |\n"
        "| 1 | Niêm yết danh mục dịch vụ công trực tuyến tại nhà văn hóa | Bộ phận Văn phòng | Trưởng các thôn | x "
        "| x | | |\n"
        "| 2 | Rà soát hồ sơ hộ tịch chưa số hóa trong tháng 3/2027 | Bộ phận Tư pháp | Công an xã | | | x | |\n")
    assert _rows(draft) == [
        ("Niêm yết danh mục dịch v", ["Bộ phận Văn phòng"], ["Trưởng các thôn"], "2027-04-18", "2027-04-05", False),
        ("Rà soát hồ sơ hộ tịch ch", ["Bộ phận Tư pháp"], ["Công an xã"], "2027-04-25", "2027-04-19", False)]


def test_a_labeller_task_naming_only_an_agency_does_not_split_the_rules_table_row_under_weigh():
    from importer.draft.model import DraftTask, Timing
    from importer.labeller.combine import combine

    work = "Chuẩn hóa dữ liệu hộ tịch trên phần mềm dùng chung của tỉnh"
    row = DraftTask(code="Table.2", content=work, lead=["Phòng Tư pháp"], support=["Sở Y tế", "Hội Nông dân xã"],
                    timing=Timing(raw="Quý IV/2027", due="2027-12-31"))
    labelled = [(7, DraftTask(code="2", content=work, lead=["Phòng Tư pháp"])),
                (7, DraftTask(code="3", content="Sở Y tế", lead=["Hội Nông dân xã"])),
                (7, DraftTask(code="4", content="Hội Nông dân xã", lead=["Phòng Tư pháp"]))]
    read = combine([(7, row)], lambda: labelled, "weigh")
    assert [(task.content, task.support) for _, task in read] == [(work, ["Sở Y tế", "Hội Nông dân xã"])]
    two = labelled[:1] + [(7, DraftTask(code="3", content="Lập danh sách hồ sơ hộ tịch còn sai lệch", lead=["Sở Y tế"]))]
    assert len(combine([(7, row)], lambda: two, "weigh")) == 2  # two tasks that name work: the labeller's split stands


def test_a_rank_opens_a_persons_name_so_the_signer_above_an_appendix_leads_no_task():
    from importer.vocabulary.agencies import is_head

    assert not is_head("Đại tá Lê Minh Châu") and not is_head("Thượng tá Trần Văn Bình")
    assert is_head("Đài Truyền thanh xã") and is_head("Đại học Huế")
    text = ("**CÔNG AN TỈNH AN GIANG**\n\nSố: 77/KH-CAT\n\nAn Giang, ngày 5 tháng 3 năm 2027\n\n**KẾ HOẠCH**\n\n"
            "**Triển khai Đề án 06 năm 2027**\n\n**I. NHIỆM VỤ**\n\nCác nhiệm vụ tại Phụ lục kèm theo.\n\n"
            "**GIÁM ĐỐC**\n\n**Đại tá Lê Minh Châu**\n\n**PHỤ LỤC**\n\n**(Kèm theo Kế hoạch số 77/KH-CAT)**\n\n"
            "| **STT** | **Nội dung nhiệm vụ** | **Cơ quan chủ trì** | **Thời gian thực hiện** |\n|---|---|---|---|\n"
            "| 1 | Rà soát dữ liệu cư trú của người dân khu vực biên giới | Phòng PC06 | Quý II/2027 |\n")
    draft = rules_draft(text, "plan.md")
    assert _rows(draft) == [("Rà soát dữ liệu cư trú c", ["Phòng PC06"], [], "2027-06-30", None, False)]


def test_a_giao_label_names_the_lead_and_its_line_splits_at_the_partner_and_time_labels():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "1. Rà soát, số hóa sổ hộ tịch lưu trữ tại xã từ năm 2000 đến nay.\n"
        "Giao: Bộ phận Tư pháp - Hộ tịch; phối hợp: Bộ phận Văn phòng, Công an xã; thời hạn: quý III/2027.\n"
        "2. Hướng dẫn người dân đăng ký khai sinh trực tuyến.\n"
        "Giao: Bộ phận một cửa; phối hợp: Trưởng các thôn; thời hạn: thường xuyên.\n")
    assert [row[1:] for row in _rows(draft)] == [
        (["Bộ phận Tư pháp - Hộ tịch"], ["Bộ phận Văn phòng", "Công an xã"], "2027-09-30", None, False),
        (["Bộ phận một cửa"], ["Trưởng các thôn"], None, None, True)]


def _targets(draft):
    return [(t.value, t.unit, t.by) for t in draft.targets]


def test_a_sentence_inside_a_paragraph_opening_chi_tieu_and_its_year_leads_in_a_target_per_clause():
    draft = _plan("I. MỤC ĐÍCH\nNâng cao chất lượng phục vụ người dân tại bộ phận một cửa. Chỉ tiêu năm 2027: 95% hồ "
                  "sơ được tiếp nhận trực tuyến; 60% hộ kinh doanh thanh toán không dùng tiền mặt.\n"
                  "II. NHIỆM VỤ\n1. Bộ phận một cửa hướng dẫn người dân nộp hồ sơ trực tuyến, hoàn thành trong "
                  "quý II/2027.\n")
    assert _targets(draft) == [(95, "percent", "2027"), (60, "percent", "2027")]


def test_a_clause_opening_phan_dau_with_its_year_and_a_comma_leads_in_a_target():
    draft = _plan("I. MỤC ĐÍCH\nTăng cường chuyển đổi số trong Công an xã; phấn đấu đến hết năm 2027, 98% người dân "
                  "có căn cước được kích hoạt tài khoản định danh điện tử.\n"
                  "II. NHIỆM VỤ\n1. Bộ phận một cửa hướng dẫn người dân nộp hồ sơ trực tuyến, hoàn thành trong "
                  "quý III/2027.\n")
    assert _targets(draft) == [(98, "percent", "2027")]


def test_a_task_tables_objective_row_with_a_percentage_is_a_target_of_the_plans_year():
    draft = _plan(
        "II. NHIỆM VỤ\n"
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n"
        "| Mục tiêu 1: 75% hộ gia đình có tài khoản thanh toán điện tử | | | |\n"
        "| 1 | Mở tài khoản thanh toán cho hộ gia đình tại các thôn | Bưu điện xã | Quý III/2027 |\n"
        "| Mục tiêu 2: Nâng cao kỹ năng số của cán bộ | | | |\n"
        "| 2 | Tập huấn kỹ năng số cho cán bộ thôn | Bộ phận Văn phòng | Tháng 5/2027 |\n")
    assert _targets(draft) == [(75, "percent", "2027")]
    assert [t.lead for t in draft.tasks] == [["Bưu điện xã"], ["Bộ phận Văn phòng"]]


def test_a_written_period_is_due_on_its_last_day_and_gives_no_start():
    """The convention (round 23): "6 tháng cuối năm", "Quý III/…", "trong tháng 6/…", "Hoàn thành trong …" name when
    the work must be done by, not a day before which it may not begin; only "từ …", "bắt đầu …" and ticked period
    columns give a start."""
    from importer.vocabulary.timing import parse_timing

    read = {raw: parse_timing(raw, 2027)[0] for raw in ("6 tháng cuối năm 2027", "6 tháng đầu năm 2027",
                                                        "Quý III/2027", "Hoàn thành trong tháng 6/2027")}
    assert {raw: (t.due, t.start) for raw, t in read.items()} == {
        "6 tháng cuối năm 2027": ("2027-12-31", None), "6 tháng đầu năm 2027": ("2027-06-30", None),
        "Quý III/2027": ("2027-09-30", None), "Hoàn thành trong tháng 6/2027": ("2027-06-30", None)}
    assert parse_timing("Từ tháng 7 đến tháng 12/2027", 2027)[0].start == "2027-07-01"


def test_a_row_ticked_in_every_week_column_is_done_every_week_and_two_weeks_keep_their_span():
    draft = _plan(
        "II. NỘI DUNG CÔNG VIỆC THÁNG 5/2027\n"
        "| TT | Nội dung công việc | Chủ trì | Tuần 1 (03/5-09/5) | Tuần 2 (10/5-16/5) | Tuần 3 (17/5-23/5) "
        "| Tuần 4 (24/5-31/5) |\n|---|---|---|---|---|---|---|\n"
        "| 1 | Hướng dẫn người dân cài đặt ứng dụng VNeID tại bộ phận một cửa | Công an xã | x | x | x | x |\n"
        "| 2 | Rà soát danh sách hộ nghèo chưa có tài khoản thanh toán | Bộ phận Văn hóa | | x | x | |\n")
    assert [row[1:] for row in _rows(draft)] == [
        (["Công an xã"], [], None, None, True), (["Bộ phận Văn hóa"], [], "2027-05-23", "2027-05-10", False)]
