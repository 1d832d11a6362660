"""Each normalisation step on its own: markup, letter spacing, hard wraps."""
from importer.read.markup import strip_markup
from tests.unit.importer.plan_cases import PLANS
from importer.read.normalise import normalise_lines
from importer.read.spacing import is_letter_spaced, is_syllable, repair_spacing
from importer.read.wrapping import looks_hard_wrapped, rejoin


def test_entities_tags_and_rules_are_removed():
    assert strip_markup("Công an x&atilde; &amp; UBND&nbsp;xã") == "Công an xã & UBND xã"
    assert strip_markup("<b>KẾ HOẠCH</b>") == "KẾ HOẠCH"
    assert strip_markup("* * *") == "" and strip_markup("-----") == "" and strip_markup("═════") == ""


def test_empty_cell_markers_become_empty_cells():
    assert strip_markup("| **I. NHÓM** | &nbsp; | - | |") == "| **I. NHÓM** | | | |"


def test_a_line_break_tag_in_a_cell_is_kept_for_the_table_reader():
    assert "<br>" in strip_markup("| Công an xã<br>Phối hợp: các thôn |")


def test_letters_spaced_apart_by_a_pdf_printer_are_glued_back():
    assert repair_spacing("S ố : 810/KH-UBND        T â n Đ ị nh, ng à y 08 th á ng 7 n ă m 2025") == \
        "Số: 810/KH-UBND        Tân Định, ngày 08 tháng 7 năm 2025"
    assert repair_spacing("K Ế  HO Ạ CH") == "KẾ HOẠCH"
    assert repair_spacing("T ổ  ch ứ c c ấ p c ă n c ư ớ c cho ng ư ờ i cao tu ổ i (C ô ng an ph ư ờ ng ch ủ  tr ì ;") == \
        "Tổ chức cấp căn cước cho người cao tuổi (Công an phường chủ trì;"


def test_ordinary_lines_are_not_touched_by_the_spacing_repair():
    line = "Công an xã chủ trì, phối hợp với các thôn ở địa bàn; hoàn thành trước ngày 30/6/2025"
    assert not is_letter_spaced(line)
    assert repair_spacing(line) == line


def test_syllables_follow_vietnamese_shape():
    assert is_syllable("người") and is_syllable("HOẠCH") and is_syllable("Định")
    assert not is_syllable("vụng" + "ười") and not is_syllable("Đềán") and not is_syllable("TânĐ")


def test_a_line_broken_mid_agency_name_is_rejoined():
    lines = ["1. Rà soát dữ liệu dân cư, giao Sở Khoa học và Công", "nghệ chủ trì thực hiện.", "2. Việc khác."]
    assert rejoin(lines, width=50) == ["1. Rà soát dữ liệu dân cư, giao Sở Khoa học và Công nghệ chủ trì thực hiện.", "2. Việc khác."]


def test_a_date_broken_over_two_lines_is_rejoined():
    assert rejoin(["- Thời gian: hoàn thành trước ngày 17", "tháng 11 năm 2025."], width=80) == \
        ["- Thời gian: hoàn thành trước ngày 17 tháng 11 năm 2025."]


def test_a_new_item_or_label_is_never_glued_to_the_line_above():
    lines = ["a) Cập nhật dữ liệu hộ tịch điện tử của xã theo hướng dẫn của cấp trên và", "b) Số hóa sổ hộ tịch.",
             "Cơ quan chủ trì: Công an xã"]
    assert rejoin(lines, width=60) == lines


def test_hard_wrapped_text_is_told_from_one_paragraph_a_line():
    wrapped = ["Thực hiện Kế hoạch số 35/KH-UBND ngày 15/01/2025 của UBND tỉnh Nghệ", "An về triển khai Đề án 06 năm 2025, Sở Tư pháp ban hành Kế hoạch"] * 6
    paragraphs = ["1. Rà soát dữ liệu.", "2. Cấp căn cước lưu động cho người dân ở các thôn vùng sâu, vùng xa.", "3. Tổng kết."] * 4
    assert looks_hard_wrapped(wrapped) and not looks_hard_wrapped(paragraphs)


def test_normalisation_runs_markup_then_spacing_then_wraps():
    lines = ["**K Ế  HO Ạ CH**", "&nbsp;", "S ố : 12/KH-UBND", "Tri ể n khai Đ ề  á n 06 tr ê n đ ị a b à n"]
    assert normalise_lines(lines, wrapped=False) == ["**KẾ HOẠCH**", " ", "Số: 12/KH-UBND", "Triển khai Đề án 06 trên địa bàn"]


def test_spaced_capital_acronyms_are_glued():
    assert repair_spacing("V ă n ph ò ng H Đ ND v à UBND ph ư ờ ng") == "Văn phòng HĐND và UBND phường"


def test_a_range_broken_at_its_dash_is_not_a_bullet():
    assert rejoin(["Đề án giai đoạn 2022", "- 2025, tầm nhìn đến năm 2030;"], width=40) == \
        ["Đề án giai đoạn 2022 - 2025, tầm nhìn đến năm 2030;"]


def test_a_pdf_table_is_rebuilt_from_its_cell_borders():
    import pypdf

    from importer.read.pdf_scan import scan_page
    from importer.read.pdf_tables import page_lines

    path = PLANS / "corpus" / "lao-cai-province-decision-2025.pdf"
    lines = page_lines(scan_page(pypdf.PdfReader(str(path)).pages[0]))
    assert "STT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời hạn hoàn thành" in lines
    row = next(line for line in lines if line.startswith("1\t")).split("\t")
    assert row[2:4] == ["Văn phòng UBND tỉnh", "Sở Tư pháp; Công an tỉnh"] and row[5] == "Quý II/2025"
    assert row[1].startswith("Rà soát, chuẩn hóa quy trình nội bộ") and row[1].endswith("theo Đề án 06")


FLAT = """LỊCH CÔNG TÁC
Thời gian
Nội dung công việc
Bộ phận chủ trì
Bộ phận phối hợp
Ghi chú

Tháng 3/2025
Xây dựng, ban hành Kế hoạch triển khai Đề án 06 năm 2025 của xã
Công an xã
Văn phòng HĐND và UBND xã


Thường xuyên
Hướng dẫn người dân thực hiện dịch vụ công trực tuyến tại bộ phận một
cửa
Văn phòng HĐND và UBND xã
Công an xã
Phân công 02 đoàn viên hỗ trợ

Công an xã tổng hợp kết quả, báo cáo UBND xã trước ngày 14 hằng tháng.
"""


def test_a_table_flattened_one_cell_a_line_is_rebuilt():
    from importer.read.flat_tables import rebuild_tables

    rows = [line.split("\t") for line in rebuild_tables(FLAT.splitlines()) if "\t" in line]
    assert rows == [
        ["Thời gian", "Nội dung công việc", "Bộ phận chủ trì", "Bộ phận phối hợp", "Ghi chú"],
        ["Tháng 3/2025", "Xây dựng, ban hành Kế hoạch triển khai Đề án 06 năm 2025 của xã", "Công an xã",
         "Văn phòng HĐND và UBND xã", ""],
        ["Thường xuyên", "Hướng dẫn người dân thực hiện dịch vụ công trực tuyến tại bộ phận một cửa",
         "Văn phòng HĐND và UBND xã", "Công an xã", "Phân công 02 đoàn viên hỗ trợ"],
    ]


def test_the_paragraph_after_a_flattened_table_stays_a_paragraph():
    from importer.read.flat_tables import rebuild_tables

    assert rebuild_tables(FLAT.splitlines())[-1] == "Công an xã tổng hợp kết quả, báo cáo UBND xã trước ngày 14 hằng tháng."


def test_lines_that_merely_name_columns_in_prose_are_not_a_table():
    from importer.read.flat_tables import rebuild_tables

    lines = ["Cơ quan chủ trì", "phối hợp chặt chẽ", "Rà soát dữ liệu."]
    assert rebuild_tables(lines) == lines


def test_a_pdf_table_drawn_with_border_lines_is_rebuilt():
    import pypdf

    from importer.read.pdf_scan import scan_page
    from importer.read.pdf_tables import page_lines

    lines = page_lines(scan_page(pypdf.PdfReader(str(PLANS / "pdf-table-drawn-with-lines.pdf")).pages[0]))
    assert lines == ["Số: 12/KH-UBND", "KẾ HOẠCH", "STT\tNội dung\tĐơn vị chủ trì\tThời gian",
                     "1\tRà soát dữ liệu dân cư\tCông an xã\tQuý II/2025", "NHÓM II\t\t\t",
                     "2\tSố hóa sổ hộ tịch\tCông chức Tư pháp - Hộ tịch\tTháng 9/2025"]


def test_a_table_whose_cells_are_separated_by_pipe_lines_is_rebuilt():
    from importer.read.flat_tables import rebuild_tables

    lines = ["(Chi tiết theo bảng dưới đây)", "STT", "|", "Nội dung nhiệm vụ", "|", "Cơ quan chủ trì", "|",
             "Thời gian thực hiện", "|", "1", "|", "Nhóm tiện ích công dân số", "|", "", "|", "", "|",
             "1.1", "|", "Tuyên truyền, hướng dẫn người dân kích hoạt tài khoản", "định danh điện tử mức độ 2", "|",
             "Công an tỉnh", "|", "Trước 30/6/2023", "|", "Các sở báo cáo kết quả về Công an tỉnh."]
    rows = [line.split("\t") for line in rebuild_tables(lines) if "\t" in line]
    assert rows == [["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện"],
                    ["1", "Nhóm tiện ích công dân số", "", ""],
                    ["1.1", "Tuyên truyền, hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2",
                     "Công an tỉnh", "Trước 30/6/2023"]]
    assert rebuild_tables(lines)[-1] == "Các sở báo cáo kết quả về Công an tỉnh."
    heading = ["ỦY", "BAN NHÂN DÂN", "-------", "|", "CỘNG", "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "|"]
    assert rebuild_tables(heading) == heading  # a heading's cells are no table


def test_spaced_central_highlands_names_are_glued_back():
    from importer.read.spacing import repair_spacing

    assert repair_spacing("huyện Đă k R'l ấp, tỉnh Đắ k Nông, C ô ng an", document_spaced=True) == \
        "huyện Đăk R'lấp, tỉnh Đắk Nông, Công an"


def test_pasted_html_source_becomes_the_lines_and_pipe_rows_its_page_shows():
    from importer.read.html_source import html_to_lines

    source = ["<div>", "<p><strong>II. NHIỆM VỤ</strong></p>", "<p>Các nhiệm vụ cụ thể như sau:</p>",
              "<table border=\"1\">", "<tr><td><strong>TT</strong></td><td><strong>Nội dung</strong></td>"
              "<td><strong>Chủ trì</strong></td></tr>", "<tr><td colspan=\"2\"><strong>A. GIÁM SÁT</strong></td>"
              "<td>&nbsp;</td></tr>", "<tr>", "<td><p>1</p></td>", "<td><p>Rà soát dữ liệu</p><p>hộ nghèo</p></td>",
              "<td><p>Công an xã</p></td>", "</tr>", "</table>", "</div>"]
    assert html_to_lines(source) == ["**II. NHIỆM VỤ**", "Các nhiệm vụ cụ thể như sau:",
                                     "| <strong>TT</strong> | <strong>Nội dung</strong> | <strong>Chủ trì</strong> |",
                                     "| <strong>A. GIÁM SÁT</strong> |  |  |",
                                     "| 1 | Rà soát dữ liệu<br>hộ nghèo | Công an xã |"]
    plain = ["Công an xã <b>chủ trì</b>", "2. Việc khác."] * 5
    assert html_to_lines(plain) == plain  # inline tags alone are markup.strip_markup's


def test_a_task_table_in_pasted_html_is_read_as_a_table():
    from importer.read.readers import read_document

    source = "\n".join(["<p>KẾ HOẠCH</p>", "<p>Số: 12/KH-UBND</p>", "<table>",
                        "<tr><td>STT</td><td>Nội dung</td><td>Chủ trì</td><td>Thời gian</td></tr>",
                        "<tr>", "<td><p>1</p></td>", "<td><p>Rà soát dữ liệu dân cư</p></td>", "<td><p>Công an xã</p></td>",
                        "<td><p>Quý II/2026</p></td>", "</tr>", "</table>"])
    lines, _ = read_document(source.encode(), "ke-hoach.html")
    rows = [line.cells for line in lines if line.cells]
    assert rows == [["STT", "Nội dung", "Chủ trì", "Thời gian"], ["1", "Rà soát dữ liệu dân cư", "Công an xã", "Quý II/2026"]]


def test_a_field_line_cut_inside_a_label_or_after_one_is_rejoined():
    lines = ["Cơ quan chủ trì: Sở Tư pháp; cơ quan", "phối hợp: Công an tỉnh; thời gian hoàn thành:", "Quý III/2023.",
             "Cơ quan chủ trì: Công an tỉnh; cơ quan phối hợp:", "UBND các huyện; thời", "gian hoàn thành: Năm 2023.",
             "2.1. Việc khác."]
    assert rejoin(lines, width=56) == [
        "Cơ quan chủ trì: Sở Tư pháp; cơ quan phối hợp: Công an tỉnh; thời gian hoàn thành: Quý III/2023.",
        "Cơ quan chủ trì: Công an tỉnh; cơ quan phối hợp: UBND các huyện; thời gian hoàn thành: Năm 2023.",
        "2.1. Việc khác."]


def test_a_label_on_its_own_line_and_a_new_item_after_a_label_stay_apart():
    lines = ["Giao các cơ quan thực hiện; thời gian hoàn thành:", "1. Quý III/2023.", "Cơ quan chủ trì:", "Công an xã"]
    assert rejoin(lines, width=56) == lines


def test_a_flattened_table_keeps_going_past_short_group_rows_between_its_rows():
    from importer.read.flat_tables import rebuild_tables

    lines = ["STT", "Nội dung công việc", "Chủ trì", "Phối hợp", "", "Tháng 01/2026", "", "1", "Rà soát dữ liệu dân cư",
             "Công an xã", "Trưởng các ấp", "", "Tháng 02/2026", "", "2", "Kiện toàn Tổ công nghệ số",
             "Văn phòng HĐND và UBND xã", "", "", "III. TỔ CHỨC THỰC HIỆN", "Các bộ phận báo cáo kết quả."]
    assert rebuild_tables(lines)[:5] == ["STT\tNội dung công việc\tChủ trì\tPhối hợp", "Tháng 01/2026\t\t\t",
                                         "1\tRà soát dữ liệu dân cư\tCông an xã\tTrưởng các ấp", "Tháng 02/2026\t\t\t",
                                         "2\tKiện toàn Tổ công nghệ số\tVăn phòng HĐND và UBND xã\t"]


def test_a_short_last_cell_right_after_its_row_is_no_group_row():
    from importer.read.flat_tables import rebuild_tables

    lines = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Kết quả/sản phẩm", "", "1", "Tuyên truyền trên Báo",
             "Thái Nguyên, Đài tỉnh", "Sở Thông tin và Truyền thông", "Tin, bài, phóng sự", "", "2", "Kiểm tra",
             "Công an tỉnh", "Báo cáo"]
    header, first, second = rebuild_tables(lines)  # no group row "Tin, bài, phóng sự" between them
    assert first.startswith("1\t") and first.endswith("Tin, bài, phóng sự") and second.startswith("2\t")


def test_a_running_header_on_every_page_but_the_first_is_dropped():
    from importer.read.pdf_reader import _strip_furniture

    running = "Kế hoạch số 130/KH-UBND ngày 13/7/2022 của UBND tỉnh Ninh Bình"
    pages = [["KẾ HOẠCH", "1. Giám sát việc thực hiện.", "Trang 1/3"],
             [running, "2. Đánh giá giữa kỳ.", "Trang 2/3"],
             [running, "3. Tổng hợp, báo cáo.", "Trang 3/3"]]
    assert _strip_furniture(pages) == ["KẾ HOẠCH", "1. Giám sát việc thực hiện.", "2. Đánh giá giữa kỳ.",
                                       "3. Tổng hợp, báo cáo."]
    once = [["KẾ HOẠCH", "Thường xuyên."], ["Công an xã chủ trì.", "Quý II/2026."], ["Văn phòng chủ trì.", "Thường xuyên."]]
    assert _strip_furniture(once) == [line for page in once for line in page]  # not on every later page: kept
