"""Forms rounds 30 and 31 (blind) showed the importer missing, each fixed by a rule that names no plan and tested
here on made-up text, not the rounds'. The drafts are read by the rules alone (`labeller_mode="off"`), so each test
fails when its rule breaks, whatever the labeller would have drafted."""

from importer.body.ditto_cells import is_ditto, repeat_dittos

from .plan_cases import rules_draft, task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nHUYỆN MƯỜNG LA\nSố: 19/KH-UBND\nMường La, ngày 08 tháng 02 năm 2027\n"
        "KẾ HOẠCH\nCấp đổi thẻ bảo hiểm y tế điện tử năm 2027\n")
TAIL = "IV. CHẾ ĐỘ BÁO CÁO\nCác cơ quan báo cáo kết quả về Phòng Y tế trước ngày 22 hằng tháng.\n"


def _plan(body: str, tail: str = TAIL):
    return rules_draft(HEAD + body + tail)


def test_ditto_marks_are_whole_cells_only():
    assert all(is_ditto(c) for c in ["Như trên", "như trên", "nt", "Nt.", "-nt-", "- nt -", "(như trên)"])
    assert not any(is_ditto(c) for c in ["", "Phòng Nội vụ", "Tháng 3", "nt trên", "Như trên và Phòng Y tế"])
    assert repeat_dittos(["2", "Rà soát", "nt"], None) == ["2", "Rà soát", "nt"]
    assert repeat_dittos(["2", "Rà soát", "nt"], ["1", "Cấp thẻ", ""]) == ["2", "Rà soát", "nt"]


def test_a_ditto_cell_repeats_the_task_row_above_in_its_column():
    draft = _plan(
        "III. NHIỆM VỤ\n"
        "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian\n"
        "1\tRà soát danh sách người tham gia bảo hiểm y tế\tPhòng Y tế\tUBND các xã\tTháng 4/2027\n"
        "2\tCập nhật số định danh vào hồ sơ bảo hiểm\tNhư trên\tCông an huyện\tnt\n"
        "3\tHướng dẫn người dân dùng thẻ trên VNeID\tTrung tâm Y tế huyện\tPhòng Y tế\t-nt-\n")
    assert [(row[0], row[1], row[3]) for row in _rows(draft)] == [
        ("Rà soát danh sách người ", ["Phòng Y tế"], "2027-04-30"),
        ("Cập nhật số định danh và", ["Phòng Y tế"], "2027-04-30"),
        ("Hướng dẫn người dân dùng", ["Trung tâm Y tế huyện"], "2027-04-30")]


def test_a_responsibility_matrix_reads_the_lead_and_partners_from_the_role_under_each_body():
    draft = _plan(
        "III. NHIỆM VỤ\n"
        "TT\tNội dung công việc\tPhòng Y tế\tTrung tâm Y tế huyện\tCông an huyện\tThời gian\n"
        "1\tRà soát danh sách người tham gia bảo hiểm y tế\tChủ trì\tPhối hợp\t\tTháng 4/2027\n"
        "2\tĐối chiếu số định danh cá nhân của người bệnh\t\tPhối hợp\tChủ trì\tQuý III/2027\n")
    assert [(row[0], row[1], row[2], row[3]) for row in _rows(draft)] == [
        ("Rà soát danh sách người ", ["Phòng Y tế"], ["Trung tâm Y tế huyện"], "2027-04-30"),
        ("Đối chiếu số định danh c", ["Công an huyện"], ["Trung tâm Y tế huyện"], "2027-09-30")]


def test_a_header_naming_one_body_is_no_matrix():
    from importer.body.role_matrix import body_columns, matrix_roles

    assert body_columns(["TT", "Nội dung", "Phòng Y tế", "Thời gian"], {0, 1, 3}) == []
    bodies = body_columns(["TT", "Nội dung", "Phòng Y tế", "Công an huyện", "Thời gian"], {0, 1, 4})
    assert matrix_roles(["1", "Rà soát", "Phối hợp", "Chủ trì", "Quý I"], bodies) == (["Công an huyện"], ["Phòng Y tế"])
