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


FLAT_HEAD = "III. NHIỆM VỤ\nSTT\nNội dung nhiệm vụ\nĐơn vị chủ trì\nĐơn vị phối hợp\nThời gian hoàn thành\nSản phẩm\n\n"


def test_a_lettered_key_alone_on_its_line_starts_a_row_of_a_flattened_table():
    from importer.read.flat_tables import rebuild_tables

    text = (FLAT_HEAD + "1\nRà soát danh sách người tham gia bảo hiểm y tế\nPhòng Y tế\nUBND các xã\nTháng 4/2027\n"
            "Danh sách\n\na)\nĐối chiếu số định danh của người bệnh\nTrung tâm Y tế huyện\nCông an huyện\n"
            "Quý III/2027\nBáo cáo\n\n2\nHướng dẫn dùng thẻ trên VNeID\nPhòng Y tế\nCông an huyện\nQuý IV/2027\nTin bài\n")
    rows = [line.split("\t")[:3] for line in rebuild_tables(text.split("\n")) if "\t" in line][1:]
    assert rows == [["1", "Rà soát danh sách người tham gia bảo hiểm y tế", "Phòng Y tế"],
                    ["a)", "Đối chiếu số định danh của người bệnh", "Trung tâm Y tế huyện"],
                    ["2", "Hướng dẫn dùng thẻ trên VNeID", "Phòng Y tế"]]


def test_a_row_written_cell_by_cell_with_a_line_too_many_joins_its_full_width_line():
    from importer.read.flat_tables import rebuild_tables

    text = (FLAT_HEAD + "1\nLập danh sách\nPhòng Y tế\nUBND các xã\nQuý I/2027\nDanh sách\n\n"
            "2\nCấp thẻ điện tử\nPhòng Y tế\nUBND các xã\nQuý II/2027\n\n\n"
            "3\nHướng dẫn người dân khám chữa bệnh bằng căn cước gắn chip và ứng dụng\nVNeID\nPhòng Y tế\n"
            "Công an huyện\nQuý III/2027\n\n\n4\nRà soát thẻ bảo hiểm\nPhòng Y tế\nUBND các xã\nQuý IV/2027\n"
            "Danh sách\n\n")
    rows = [line.split("\t") for line in rebuild_tables(text.split("\n")) if "\t" in line][1:]
    assert rows[2] == ["3", "Hướng dẫn người dân khám chữa bệnh bằng căn cước gắn chip và ứng dụng VNeID",
                       "Phòng Y tế", "Công an huyện", "Quý III/2027", ""]


def test_a_parent_row_with_a_lead_and_no_time_leads_its_sub_rows_and_is_no_task():
    draft = _plan(
        "III. NHIỆM VỤ\n"
        "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian\n"
        "1\tNhóm việc về thẻ bảo hiểm y tế\tPhòng Y tế\t\t\n"
        "1.1\tRà soát danh sách người tham gia bảo hiểm y tế\t\tUBND các xã\tTháng 4/2027\n"
        "1.2\tĐối chiếu số định danh của người bệnh\tTrung tâm Y tế huyện\tCông an huyện\tQuý III/2027\n"
        "2\tHướng dẫn dùng thẻ trên VNeID\tPhòng Văn hóa và Thông tin\t\tQuý IV/2027\n"
        "a)\tPhát tờ rơi tại trạm y tế\t\tTrạm y tế các xã\tQuý IV/2027\n")
    assert [(row[0], row[1], row[3]) for row in _rows(draft)] == [
        ("Rà soát danh sách người ", ["Phòng Y tế"], "2027-04-30"),
        ("Đối chiếu số định danh c", ["Trung tâm Y tế huyện"], "2027-09-30"),
        ("Hướng dẫn dùng thẻ trên ", ["Phòng Văn hóa và Thông tin"], "2027-12-31"),
        ("Phát tờ rơi tại trạm y t", ["Phòng Văn hóa và Thông tin"], "2027-12-31")]
    from importer.body.parent_rows import is_sub_key

    assert is_sub_key("a)", "2") and is_sub_key("2.1", "2") and not is_sub_key("b)", "a)") and not is_sub_key("3", "2")


def test_a_recurring_time_in_the_note_column_is_the_rows_time():
    draft = _plan(
        "III. NHIỆM VỤ\n"
        "STT\tNội dung\tĐơn vị chủ trì\tThời gian\tGhi chú\n"
        "1\tRà soát danh sách người tham gia bảo hiểm y tế\tPhòng Y tế\tTháng 4/2027\t\n"
        "2\tTuyên truyền dùng thẻ bảo hiểm y tế trên VNeID\tTrung tâm Văn hóa huyện\t\tThường xuyên\n")
    assert [(row[0], row[3], row[5]) for row in _rows(draft)] == [
        ("Rà soát danh sách người ", "2027-04-30", False), ("Tuyên truyền dùng thẻ bả", None, True)]


def test_a_due_written_before_its_cycle_word_after_another_so_written_is_that_cycles():
    from importer.vocabulary.schedules import find_reporting
    from importer.read.lines import Line

    sentence = ("Các xã báo cáo kết quả về Phòng Y tế trước 10 giờ thứ Hai hằng tuần và trước ngày 25 hằng tháng.")
    found = [(r.cycle, r.due_day) for r in find_reporting([Line(1, sentence)])]
    assert found == [("weekly", 1), ("monthly", 25)]
    written_after = "Các xã báo cáo về Phòng Y tế hằng tuần (thứ Hai), hằng tháng trước ngày 25."
    assert [(r.cycle, r.due_day) for r in find_reporting([Line(1, written_after)])] == [("weekly", 1), ("monthly", 25)]


def _targets(text: str) -> list[tuple]:
    from importer.read.lines import Line
    from importer.vocabulary.targets import find_targets

    return [(t.value, t.unit, t.by) for t in find_targets([Line(1, text)], set())]


def test_a_later_sentence_leading_in_values_is_read_for_them_not_the_paragraph_whole():
    found = _targets("Bảo đảm việc cấp thẻ không gián đoạn tại các điểm tiếp nhận. Phấn đấu đến hết năm 2027: cấp mới "
                     "4.000 thẻ bảo hiểm y tế điện tử; 95% người bệnh dùng căn cước khi khám bệnh.")
    assert [(value, by) for value, _, by in found] == [(4000, "2027"), (95, "2027")]


def test_a_count_of_people_taking_part_is_counted_in_people():
    assert _targets("Phấn đấu năm 2027: thêm 300 người tham gia bảo hiểm y tế hộ gia đình.") == [(300, "người", "2027")]


def test_a_communes_service_point_is_a_body():
    """"Điểm phục vụ hành chính công X" (a merged commune's service point) opens with an agency-type word, so a
    list of agencies and a closing bracket's "(X chủ trì, Y phối hợp; …)" read it as a body (agencies.is_head)."""
    from importer.vocabulary.agencies import is_head
    from importer.vocabulary.agencies import split_agencies

    assert is_head("Điểm phục vụ hành chính công Nậm Păm") and not is_head("Điểm a khoản 1 Điều 3")
    assert split_agencies("Trạm y tế xã, Điểm phục vụ hành chính công Nậm Păm") == [
        "Trạm y tế xã", "Điểm phục vụ hành chính công Nậm Păm"]


def test_a_partner_followed_by_two_coordinated_verbs_ends_at_the_first():
    from importer.body.role_cues import leading_roles

    text, labels = leading_roles("Phòng Y tế chủ trì, phối hợp với Bảo hiểm xã hội huyện đối chiếu, rà soát danh "
                                 "sách người tham gia bảo hiểm; hoàn thành trong Quý III/2027.")
    assert text.startswith("đối chiếu, rà soát danh sách")
    assert [(label.kind, label.value) for label in labels][:2] == [
        ("lead", "Phòng Y tế"), ("support", "Bảo hiểm xã hội huyện")]
    text, labels = leading_roles("Phòng Y tế chủ trì, phối hợp với Công an huyện quản lý dữ liệu người bệnh.")
    assert text.startswith("quản lý dữ liệu") and labels[1].value == "Công an huyện"
    assert leading_roles("Phòng Y tế chủ trì, phối hợp với Ban Quản lý dự án huyện rà soát hồ sơ.")[1][1].value == (
        "Ban Quản lý dự án huyện")


def test_a_reporting_sentence_cut_after_a_preposition_goes_on_before_a_capital():
    from importer.read.lines import Line
    from importer.vocabulary.schedules import find_reporting

    lines = [Line(1, "Các trạm y tế báo cáo kết quả về"), Line(2, "Phòng Y tế trước ngày 22 hằng tháng; báo cáo năm"),
             Line(3, "trước ngày 10/12.")]
    assert [(r.cycle, r.due_day, r.to) for r in find_reporting(lines)][:1] == [("monthly", 22, "Phòng Y tế")]


def test_a_percentage_after_the_work_in_a_dated_aim_inside_a_paragraph_is_its_target():
    assert _targets("Huy động các trạm y tế vào cuộc; phấn đấu năm 2027 cấp thẻ điện tử cho 98% người tham gia "
                    "bảo hiểm y tế trên địa bàn.") == [(98, "percent", "2027")]
