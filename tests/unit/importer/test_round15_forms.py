"""Forms round 15 (blind) showed the importer missing, each fixed by a rule that names no plan: label blocks in any
field order, a lead closing the sentence in brackets after its time, a sentence opening with its time or condition,
a Markdown cell's <br>, a flattened table over page breaks with two-cell group rows, a task's own reporting cycle."""
from importer import import_document
from importer.read.flat_tables import rebuild_tables
from importer.read.html_source import looks_like_html
from importer.vocabulary.agencies import split_agencies

HEAD = ("UBND TỈNH ĐỒNG NAI\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nSố: 112/KH-SNNMT\nĐồng Nai, ngày 03 tháng 02 năm 2026\n"
        "KẾ HOẠCH\nThực hiện Đề án 06 năm 2026\nI. MỤC ĐÍCH, YÊU CẦU\nBảo đảm tiến độ.\nII. NHIỆM VỤ CỤ THỂ\n")
TAIL = "III. TỔ CHỨC THỰC HIỆN\nCác đơn vị báo cáo kết quả về Văn phòng Sở trước ngày 10 hằng tháng.\n"


def _draft(body: str, name: str = "plan.txt"):
    return import_document((HEAD + body + TAIL).encode(), name)


def test_label_blocks_in_any_field_order_each_keep_their_own_fields():
    draft = _draft(
        "1. Dữ liệu đất đai\n"
        "- Nhiệm vụ: Rà soát, chuẩn hóa dữ liệu đất đai đã số hóa.\n"
        "- Đơn vị thực hiện: Văn phòng Đăng ký đất đai (chủ trì); Chi cục Quản lý đất đai (phối hợp).\n"
        "- Thời gian: Quý II/2026.\n"
        "- Thời gian: Từ tháng 02/2026 đến tháng 8/2026.\n"
        "- Nhiệm vụ: Cập nhật số định danh cá nhân vào hồ sơ địa chính.\n"
        "- Đơn vị thực hiện: Văn phòng Đăng ký đất đai (chủ trì); Công an tỉnh (phối hợp).\n"
        "- Đơn vị thực hiện: Trung tâm Công nghệ thông tin.\n"
        "- Đơn vị phối hợp: Văn phòng Đăng ký đất đai.\n"
        "- Nhiệm vụ: Tích hợp thủ tục đăng ký biến động đất đai lên Cổng Dịch vụ công quốc gia.\n"
        "- Thời gian: Trước ngày 30/4/2026.\n"
        "2. Môi trường\n"
        "- Thời gian: Năm 2026.\n"
        "- Nhiệm vụ: Số hóa hồ sơ cấp phép môi trường còn hiệu lực.\n"
        "- Đơn vị thực hiện: Chi cục Bảo vệ môi trường.\n")
    got = [(t.content[:20], t.lead, t.support, t.timing.start, t.timing.due) for t in draft.tasks]
    assert got == [
        ("Rà soát, chuẩn hóa d", ["Văn phòng Đăng ký đất đai"], ["Chi cục Quản lý đất đai"], None, "2026-06-30"),
        ("Cập nhật số định dan", ["Văn phòng Đăng ký đất đai"], ["Công an tỉnh"], "2026-02-01", "2026-08-31"),
        ("Tích hợp thủ tục đăn", ["Trung tâm Công nghệ thông tin"], ["Văn phòng Đăng ký đất đai"], None, "2026-04-30"),
        ("Số hóa hồ sơ cấp phé", ["Chi cục Bảo vệ môi trường"], [], None, "2026-12-31"),
    ]  # the topic heading "2. Môi trường" takes no field and is no task


def test_a_lead_closing_the_sentence_in_brackets_after_its_time():
    draft = _draft(
        "1. Về cải cách thủ tục hành chính\n"
        "- Số hóa hồ sơ tại Bộ phận Một cửa, hoàn thành trong quý III/2026 (Văn phòng Sở chủ trì, phối hợp Chi cục "
        "Thủy lợi).\n"
        "- Rà soát danh mục thủ tục được cắt giảm giấy tờ, hoàn thành trước 30/6/2026 (Chi cục Thủy lợi chủ trì).\n")
    got = [(t.lead, t.support, t.timing.due) for t in draft.tasks]
    assert got == [(["Văn phòng Sở"], ["Chi cục Thủy lợi"], "2026-09-30"), (["Chi cục Thủy lợi"], [], "2026-06-30")]


def test_a_sentence_opening_with_its_time_or_condition_before_its_agency():
    draft = _draft(
        "1. Công tác cấp căn cước\n"
        "a) Định kỳ hằng tháng, Công an phường rà soát công dân chưa được cấp căn cước, phối hợp với Ban điều hành các "
        "tổ dân phố.\n"
        "b) Sau khi có hướng dẫn của Bộ Công an, Công an phường triển khai thu nhận mống mắt cho công dân.\n"
        "c) Trong tháng 3/2026, Văn phòng Sở niêm yết danh mục thủ tục hành chính.\n")
    got = [(t.content[:16], t.lead, t.support, t.timing.recurring, t.timing.condition, t.timing.due)
           for t in draft.tasks]
    assert got == [
        ("rà soát công dân", ["Công an phường"], ["Ban điều hành các tổ dân phố"], True, None, None),
        ("triển khai thu n", ["Công an phường"], [], False, "Sau khi có hướng dẫn của Bộ Công an", None),
        ("niêm yết danh mụ", ["Văn phòng Sở"], [], False, None, "2026-03-31"),
    ]


def test_the_tax_office_after_the_reform_is_an_agency_in_a_list():
    assert split_agencies("Sở Nông nghiệp và Môi trường, Thuế tỉnh") == ["Sở Nông nghiệp và Môi trường", "Thuế tỉnh"]


def test_markdown_rows_with_a_line_break_in_a_cell_are_no_html_source():
    rows = [f"| {n} | Nhiệm vụ {n} | Chủ trì: Sở Y tế<br>Phối hợp: Công an tỉnh | Quý II/2026 |" for n in range(6)]
    assert not looks_like_html(rows)
    assert looks_like_html(["<p>Một</p>", "<p>Hai</p>", "<br>", "<div>Ba</div>", "<table>", "<tr><td>x</td></tr>"])


def test_a_flattened_table_goes_on_after_a_page_break_and_reads_two_cell_group_rows():
    header = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    lines = header + ["I", "NHÓM NHIỆM VỤ PHỤC VỤ THỦ TỤC", "HÀNH CHÍNH", "", "",
                      "1", "Rà soát thủ tục hành chính", "Văn phòng UBND tỉnh", "Quý I/2026",
                      "", "Trang 1", ""] + header + [
                      "2", "Tích hợp dịch vụ công", "Sở Khoa học và Công nghệ", "Tháng 9/2026",
                      "II", "NHÓM NHIỆM VỤ KHÁC", "", "",
                      "3", "Làm sạch dữ liệu", "Sở Nội vụ", "Năm 2026", "", "III. TỔ CHỨC THỰC HIỆN"]
    rows = [line.split("\t") for line in rebuild_tables(lines) if "\t" in line]
    assert rows == [header,
                    ["I", "NHÓM NHIỆM VỤ PHỤC VỤ THỦ TỤC HÀNH CHÍNH", "", ""],
                    ["1", "Rà soát thủ tục hành chính", "Văn phòng UBND tỉnh", "Quý I/2026"],
                    ["2", "Tích hợp dịch vụ công", "Sở Khoa học và Công nghệ", "Tháng 9/2026"],
                    ["II", "NHÓM NHIỆM VỤ KHÁC", "", ""],
                    ["3", "Làm sạch dữ liệu", "Sở Nội vụ", "Năm 2026"],
                    ["III. TỔ CHỨC THỰC HIỆN", "", "", ""]]


def test_a_tasks_own_periodic_reporting_is_not_the_plans_schedule():
    draft = _draft(
        "1. Phòng Kế hoạch chủ trì cập nhật thông tin người có công, báo cáo kết quả định kỳ hằng quý.\n"
        "2. Văn phòng Sở chủ trì số hóa hồ sơ, hoàn thành trước ngày 30/6/2026.\n")
    assert len(draft.tasks) == 2 and draft.tasks[0].timing.recurring
    assert [(r.cycle, r.due_day) for r in draft.reporting] == [("monthly", 10)]
