"""Cues that hold across layouts: a leading time, roles in a closing bracket, a time heading, role lists."""
from importer import import_document
from importer.body.role_cues import closing_roles
from importer.body.time_cues import is_time, leading_time
from importer.vocabulary.roles import role_heading, trailing_roles


def test_a_leading_time_is_the_tasks_timing_not_its_text():
    text, label = leading_time("Quý III/2025: Rà soát, làm sạch dữ liệu dân cư")
    assert text == "Rà soát, làm sạch dữ liệu dân cư" and label.value == "Quý III/2025"
    assert leading_time("Công an xã: rà soát dữ liệu") is None


def test_only_pure_times_count_as_time_headings():
    assert is_time("Tháng 8/2024:") and is_time("Thường xuyên") and is_time("Trước ngày 30/9/2025")
    assert not is_time("Công an xã:") and not is_time("Thời gian thực hiện:")


def test_roles_in_a_closing_bracket_give_lead_and_support():
    text, labels = closing_roles("Tổ chức cấp căn cước lưu động tại nhà (Công an phường chủ trì; Hội Cựu chiến binh phường phối hợp).")
    assert text == "Tổ chức cấp căn cước lưu động tại nhà"
    assert [(label.kind, label.value) for label in labels] == [("lead", "Công an phường"), ("support", "Hội Cựu chiến binh phường")]


def test_a_bracket_that_is_not_roles_stays_in_the_text():
    assert closing_roles("Triển khai mô hình “Khu phố không tiền mặt” (thí điểm tại khu phố 3).") is None


def test_role_lists_with_trailing_role_words():
    assert trailing_roles("Phòng Nghiệp vụ Y (chủ trì); các bệnh viện, Trung tâm Y tế khu vực (phối hợp)") == \
        (["Phòng Nghiệp vụ Y"], ["các bệnh viện", "Trung tâm Y tế khu vực"])
    assert trailing_roles("Công an xã thực hiện; các ấp phối hợp") == (["Công an xã"], ["các ấp"])


def test_an_assignment_heading_scopes_the_items_below_it():
    lead, rest, support = role_heading("Giao Sở Y tế chủ trì, phối hợp với Bảo hiểm xã hội tỉnh thực hiện các nhiệm vụ sau:")
    assert (lead, rest, support) == (["Sở Y tế"], "", ["Bảo hiểm xã hội tỉnh"])


def test_items_below_a_month_heading_take_its_time():
    plan = ("KẾ HOẠCH CÔNG TÁC\nSố: 5/KH-UBND\nNhiệm vụ theo tháng:\n**Tháng 8/2024:**\n"
            "- Vận động hộ kinh doanh dùng thanh toán không tiền mặt (Hội Liên hiệp Phụ nữ xã thực hiện).\n"
            "**Quý IV/2024**\n- Tổng kết năm (Công an xã thực hiện; các thôn phối hợp).\n")
    draft = import_document(plan.encode(), "p.md")
    assert [(t.lead, t.support, t.timing.due) for t in draft.tasks] == [
        (["Hội Liên hiệp Phụ nữ xã"], [], "2024-08-31"), (["Công an xã"], ["các thôn"], "2024-12-31")]


def test_aims_with_a_leading_time_are_not_tasks():
    plan = ("KẾ HOẠCH\nSố: 5/KH-UBND\nI. MỤC TIÊU\na) Năm 2025: 100% hồ sơ được số hóa.\nII. NHIỆM VỤ\n"
            "1. Rà soát dữ liệu (Công an xã thực hiện).\n")
    assert [t.content for t in import_document(plan.encode(), "p.txt").tasks] == ["Rà soát dữ liệu"]


def test_the_name_marked_chu_tri_leads_and_the_others_coordinate():
    from importer.vocabulary.roles import cell_roles

    assert cell_roles("Công an tỉnh (chủ trì), Sở Du lịch, UBND các địa phương") == \
        (["Công an tỉnh"], ["Sở Du lịch", "UBND các địa phương"])


def test_a_content_label_is_not_part_of_the_task():
    plan = ("KẾ HOẠCH\nSố: 5/KH-UBND\nI. NHIỆM VỤ\n- Nội dung: Số hóa kết quả giải quyết thủ tục hành chính.\n"
            "Chủ trì: Phòng Tư pháp.\nThời gian hoàn thành: Tháng 11/2024.\n")
    (task,) = import_document(plan.encode(), "p.txt").tasks
    assert (task.content, task.lead, task.timing.due) == ("Số hóa kết quả giải quyết thủ tục hành chính.", ["Phòng Tư pháp"], "2024-11-30")


def test_an_assignment_after_a_dash_ends_the_task_text():
    plan = "KẾ HOẠCH\nSố: 5/KH-SNV\nI. NHIỆM VỤ\n1. Tổng hợp kết quả của ngành — Văn phòng Sở chủ trì, thời hạn trước ngày 30/11/2025.\n"
    (task,) = import_document(plan.encode(), "p.txt").tasks
    assert (task.content, task.lead, task.timing.due) == ("Tổng hợp kết quả của ngành", ["Văn phòng Sở"], "2025-11-30")


def test_ticks_in_quarter_columns_give_start_and_due():
    plan = ("KẾ HOẠCH\nSố: 5/KH-UBND\nngày 10 tháng 01 năm 2025\n"
            "| STT | Nội dung công việc | Quý I | Quý II | Quý III | Quý IV | Đơn vị chủ trì |\n|---|---|---|---|---|---|---|\n"
            "| 1 | Số hóa sổ hộ tịch | | x | x | | Công chức Tư pháp - Hộ tịch |\n")
    (task,) = import_document(plan.encode(), "p.md").tasks
    assert (task.lead, task.timing.start, task.timing.due) == (["Công chức Tư pháp - Hộ tịch"], "2025-04-01", "2025-09-30")


def test_a_time_in_a_closing_bracket_under_an_assignment_heading():
    plan = ("KẾ HOẠCH\nSố: 61/KH-UBND\nI. PHÂN CÔNG NHIỆM VỤ\n**Giao Công an phường:**\n"
            "+ Rà soát thông tin cư trú sau sắp xếp tổ dân phố (hoàn thành trước 30/9/2025).\n")
    (task,) = import_document(plan.encode(), "p.md").tasks
    assert (task.content, task.lead, task.timing.due) == ("Rà soát thông tin cư trú sau sắp xếp tổ dân phố", ["Công an phường"], "2025-09-30")


def test_a_paragraph_enumerating_tasks_is_that_many_tasks():
    plan = ("KẾ HOẠCH\nSố: 2210/KH-STC\nI. NHIỆM VỤ CỦA CÁC PHÒNG\n- Phòng Tin học và Thống kê: (1) kết nối phần mềm ngân sách, "
            "thời hạn trước 31/8/2025; (2) bảo đảm an toàn thông tin, thực hiện thường xuyên.\n")
    tasks = import_document(plan.encode(), "p.txt").tasks
    assert [(t.content[:22], t.lead, t.timing.due, t.timing.recurring) for t in tasks] == [
        ("kết nối phần mềm ngân ", ["Phòng Tin học và Thống kê"], "2025-08-31", False),
        ("bảo đảm an toàn thông ", ["Phòng Tin học và Thống kê"], None, True)]


def test_roles_and_time_in_one_assignment_cell():
    plan = ("KẾ HOẠCH\nSố: 44/KH-UBND\nngày 21 tháng 7 năm 2025\n| TT | Nội dung công việc | Phân công, thời gian |\n|---|---|---|\n"
            "| 1 | Vận động đoàn viên cài đặt VNeID | Chủ trì: Đoàn Thanh niên xã<br>Phối hợp: Công an xã<br>Thời gian: tháng 8/2025 |\n")
    (task,) = import_document(plan.encode(), "p.md").tasks
    assert (task.lead, task.support, task.timing.due) == (["Đoàn Thanh niên xã"], ["Công an xã"], "2025-08-31")


def test_unnumbered_sentences_opening_with_the_lead_are_tasks():
    plan = ("KẾ HOẠCH\nSố: 58/KH-UBND\nI. NHIỆM VỤ CỤ THỂ\n"
            "Công an xã chủ trì rà soát dữ liệu công dân tạm vắng, hoàn thành trước ngày 15/8/2025.\n"
            "Văn phòng HĐND và UBND xã chủ trì, phối hợp với Công an xã bố trí máy tính hỗ trợ người dân trong tháng 9/2025.\n")
    tasks = import_document(plan.encode(), "p.txt").tasks
    assert [(t.content[:16], t.lead, t.support, t.timing.due) for t in tasks] == [
        ("rà soát dữ liệu ", ["Công an xã"], [], "2025-08-15"),
        ("bố trí máy tính ", ["Văn phòng HĐND và UBND xã"], ["Công an xã"], "2025-09-30")]


def test_group_rows_of_a_table_without_a_lead_column_name_the_lead():
    plan = ("KẾ HOẠCH\nSố: 199/KH-UBND\nngày 12 tháng 7 năm 2024\n| STT | Nhiệm vụ | Đơn vị phối hợp | Thời gian |\n|---|---|---|---|\n"
            "| 1. Phòng Tư pháp chủ trì | | | |\n| 1 | Số hóa sổ hộ tịch | UBND các xã | Quý III/2024 |\n"
            "| 2. Công an huyện chủ trì | | | |\n| 2 | Cấp căn cước lưu động | | Thường xuyên |\n")
    tasks = import_document(plan.encode(), "p.md").tasks
    assert [(t.lead, t.support) for t in tasks] == [(["Phòng Tư pháp"], ["UBND các xã"]), (["Công an huyện"], [])]


def test_the_agency_after_a_closing_dash_leads():
    from importer.body.agency_cues import dash_agency

    text, label = dash_agency("Rà soát danh sách công dân chưa kích hoạt định danh điện tử – Công an xã.")
    assert (text, label.value) == ("Rà soát danh sách công dân chưa kích hoạt định danh điện tử", "Công an xã")
    assert dash_agency("Chủ tịch UBND - Tổ trưởng; Trưởng Công an - Tổ phó; Công chức - Thư ký.") is None


def test_the_subject_agency_of_a_timed_item_leads_but_a_verb_that_looks_like_one_does_not():
    from importer.body.agency_cues import subject_roles

    text, labels = subject_roles("Về cấp căn cước: Công an huyện tiếp tục cấp căn cước lưu động. Thời gian: thường xuyên.")
    assert text.startswith("tiếp tục cấp căn cước") and [l.value for l in labels] == ["Công an huyện"]
    assert subject_roles("Tổ chức các đợt ra quân thu nhận hồ sơ, hoàn thành trước 30/6/2025.") is None
    assert subject_roles("Số hóa sổ hộ tịch đang lưu trữ tại Sở, hoàn thành trong năm 2025.") is None


def test_a_week_of_a_month_is_due_on_its_last_day():
    from importer.vocabulary.timing import parse_timing

    assert parse_timing("Tuần 3 tháng 9/2025", None)[0].due == "2025-09-21"


def test_a_leader_column_is_not_the_lead_agency():
    plan = ("KẾ HOẠCH\nSố: 129/KH-UBND\nngày 20 tháng 8 năm 2025\n"
            "| STT | Nội dung | Lãnh đạo phụ trách | Đơn vị thực hiện | Thời gian hoàn thành |\n|---|---|---|---|---|\n"
            "| 1 | Số hóa hồ sơ đất đai | Phó Chủ tịch UBND phường | Phòng Kinh tế, Hạ tầng và Đô thị phường | Quý IV/2025 |\n")
    (task,) = import_document(plan.encode(), "p.md").tasks
    assert task.lead == ["Phòng Kinh tế, Hạ tầng và Đô thị phường"]


def test_an_agency_in_a_leading_bracket_leads():
    plan = "KẾ HOẠCH\nSố: 512/KH-UBND\nI. NHIỆM VỤ\n1. (Sở Y tế) Khám, chữa bệnh bằng căn cước tại trạm y tế xã, hoàn thành Quý III/2025.\n"
    (task,) = import_document(plan.encode(), "p.txt").tasks
    assert (task.content[:9], task.lead, task.timing.due) == ("Khám, chữ", ["Sở Y tế"], "2025-09-30")


def test_plain_word_column_names():
    plan = ("KẾ HOẠCH\nSố: 31/KH-UBND\nngày 02 tháng 9 năm 2025\n| TT | Việc cần làm | Ai làm | Khi nào xong |\n|---|---|---|---|\n"
            "| 1 | Treo băng rôn tuyên truyền | Văn phòng HĐND và UBND xã | Trước 15/9/2025 |\n")
    (task,) = import_document(plan.encode(), "p.md").tasks
    assert (task.lead, task.timing.due) == (["Văn phòng HĐND và UBND xã"], "2025-09-15")


def test_unnumbered_task_blocks_with_main_and_coordinating_marks():
    plan = ("KẾ HOẠCH\nSố: 266/KH-UBND\nI. NHIỆM VỤ CỤ THỂ\nNhiệm vụ: Rà soát dữ liệu hôn nhân.\n"
            "Trách nhiệm: Phòng Tư pháp (chính), UBND các xã (phối hợp).\nTiến độ: Quý III/2024.\n")
    (task,) = import_document(plan.encode(), "p.txt").tasks
    assert (task.content, task.lead, task.support, task.timing.due) == \
        ("Rà soát dữ liệu hôn nhân.", ["Phòng Tư pháp"], ["UBND các xã"], "2024-09-30")


def test_task_agency_and_time_on_one_dashed_line():
    from importer.body.agency_cues import dash_fields

    text, labels = dash_fields("Rà soát hộ nghèo chưa có tài khoản – Công chức Văn hóa - Xã hội – tháng 11/2025.")
    assert text == "Rà soát hộ nghèo chưa có tài khoản"
    assert [(l.kind, l.value) for l in labels] == [("lead", "Công chức Văn hóa - Xã hội"), ("time", "tháng 11/2025")]


def test_words_that_fold_like_agency_heads_are_not_agencies():
    from importer.vocabulary.agencies import is_head

    assert is_head("Sở Y tế") and is_head("Hội Nông dân xã") and is_head("Tổ công tác Đề án 06")
    assert not is_head("Số hóa hồ sơ") and not is_head("Tổ chức hội nghị") and not is_head("Bổ sung dữ liệu")


def test_a_hoan_thanh_line_is_the_time():
    plan = "KẾ HOẠCH\nSố: 4410/KH-UBND\nI. NHIỆM VỤ\n1. Số hóa hồ sơ đất đai.\nCơ quan thực hiện: Sở Nông nghiệp và Môi trường.\nHoàn thành: 31/12/2025.\n"
    (task,) = import_document(plan.encode(), "p.txt").tasks
    assert (task.lead, task.timing.due) == (["Sở Nông nghiệp và Môi trường"], "2025-12-31")
