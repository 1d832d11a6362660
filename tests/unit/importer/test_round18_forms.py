"""Forms round 18 (blind) showed the importer missing, each fixed by a rule that names no plan: field items under a
numbered task that carry their own letter ("a) Cơ quan chủ trì: …"), a table column citing the task of the plan carried
out ("Nhiệm vụ theo Kế hoạch số …") beside the content column, a division's code in brackets after an agency, short
forms the plan defines once ("Tổ Tuần tra (TT05)", "(sau đây gọi tắt là …)"), a time citing a period the plan names
("Trong đợt ra quân"), a day "của tháng cuối quý" in a quarterly report, targets under a targets heading, in ";"
clauses and in a targets table (flat too), a flat table's group title over two lines in capitals. The examples are
made up, not round 18's text."""
from importer import import_document
from importer.body.structure import parse_marker
from importer.read.flat_tables import rebuild_tables
from importer.read.lines import Line
from importer.vocabulary.agencies import split_agencies
from importer.vocabulary.aliases import defined_names, expand
from importer.vocabulary.named_periods import cited_period, named_periods
from importer.vocabulary.schedules import find_reporting

from .plan_cases import task_rows as _rows

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ NAM SƠN\nSố: 17/KH-UBND\nNam Sơn, ngày 05 tháng 02 năm 2026\n"
        "KẾ HOẠCH\nTriển khai Đề án 06 năm 2026\nI. MỤC ĐÍCH\nBảo đảm tiến độ.\n")
TAIL = "III. TỔ CHỨC THỰC HIỆN\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 22 hằng tháng.\n"


def _draft(body: str, name: str = "plan.txt"):
    return import_document((HEAD + body + TAIL).encode(), name)


def test_lettered_field_items_under_a_numbered_task_are_its_fields_not_sub_tasks():
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "1. Lập danh sách người cao tuổi chưa có tài khoản định danh điện tử\n"
        "a) Cơ quan chủ trì: Công an xã\n"
        "b) Cơ quan phối hợp: Hội Người cao tuổi xã, Trưởng các thôn\n"
        "c) Thời hạn: trước ngày 30 tháng 4 năm 2026\n"
        "d) Sản phẩm: Danh sách được lập\n"
        "2. Hướng dẫn hộ gia đình khai báo tạm vắng trực tuyến\n"
        "(a) Cơ quan chủ trì: Công an xã\n"
        "(b) Thời hạn: hằng quý\n")
    assert _rows(draft) == [
        ("Lập danh sách người cao ", ["Công an xã"], ["Hội Người cao tuổi xã", "Trưởng các thôn"], "2026-04-30", None,
         False),
        ("Hướng dẫn hộ gia đình kh", ["Công an xã"], [], None, None, True)]
    unnumbered = _draft(
        "II. NHIỆM VỤ\n"
        "Lập danh sách người cao tuổi chưa có tài khoản định danh điện tử trên địa bàn.\n"
        "a) Cơ quan chủ trì: Công an xã\nb) Thời hạn: Quý III/2026\n"
        "Hướng dẫn hộ gia đình khai báo tạm vắng trực tuyến.\n"
        "a) Cơ quan chủ trì: Văn phòng UBND xã\nb) Thời hạn: hằng tháng\n")
    assert _rows(unnumbered) == [
        ("Lập danh sách người cao ", ["Công an xã"], [], "2026-09-30", None, False),
        ("Hướng dẫn hộ gia đình kh", ["Văn phòng UBND xã"], [], None, None, True)]


def test_lettered_items_that_are_work_stay_sub_tasks():
    draft = _draft(
        "II. NHIỆM VỤ\n"
        "1. Công an xã chủ trì:\n"
        "a) Rà soát dữ liệu cư trú của các hộ tách hộ, hoàn thành trước ngày 31/3/2026.\n"
        "b) Cấp căn cước lưu động cho người khuyết tật, hoàn thành trong Quý II/2026.\n")
    assert [(r[0], r[1], r[3]) for r in _rows(draft)] == [
        ("Rà soát dữ liệu cư trú c", ["Công an xã"], "2026-03-31"),
        ("Cấp căn cước lưu động ch", ["Công an xã"], "2026-06-30")]


def test_a_lettered_item_after_an_unclosed_line_is_not_the_rest_of_its_sentence():
    lines = [Line(1, "c) Thời hạn: hằng quý"), Line(2, "d) Sản phẩm: báo cáo tổng hợp gửi UBND xã"),
             Line(3, "Định kỳ hằng tháng, các bộ phận báo cáo kết quả về Văn phòng UBND xã trước ngày 5.")]
    assert [(r.cycle, r.due_day) for r in find_reporting(lines)] == [("monthly", 5)]


def test_a_column_citing_the_task_carried_out_is_not_the_content_when_another_column_is():
    draft = _draft(
        "II. NHIỆM VỤ\n\n"
        "| TT | Nhiệm vụ theo Kế hoạch số 40/KH-UBND | Nội dung công việc | Đơn vị chủ trì | Thời hạn |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Mục 2.1 | Số hóa sổ hộ tịch lưu trữ tại xã | Văn phòng UBND xã | Quý III/2026 |\n"
        "| 2 | Nhiệm vụ riêng | Lắp đặt ki-ốt tra cứu thủ tục hành chính | Công an xã | Tháng 5/2026 |\n\n", "plan.md")
    assert _rows(draft) == [
        ("Số hóa sổ hộ tịch lưu tr", ["Văn phòng UBND xã"], [], "2026-09-30", None, False),
        ("Lắp đặt ki-ốt tra cứu th", ["Công an xã"], [], "2026-05-31", None, False)]


def test_a_column_naming_a_levels_tasks_is_the_content_when_it_is_the_only_one():
    draft = _draft(
        "II. NHIỆM VỤ\n\n"
        "| TT | Nhiệm vụ của huyện | Đơn vị chủ trì | Thời hạn |\n|---|---|---|---|\n"
        "| 1 | Hoàn thành kết nối camera tại trụ sở các xã | Công an huyện | Tháng 8/2026 |\n\n", "plan.md")
    assert _rows(draft) == [("Hoàn thành kết nối camer", ["Công an huyện"], [], "2026-08-31", None, False)]


def test_a_division_code_in_brackets_after_an_agency_is_not_part_of_its_name():
    assert split_agencies("Sở Y tế (NV02), Công an tỉnh (Phòng PC08)") == ["Sở Y tế", "Công an tỉnh"]
    assert split_agencies("Bảo hiểm xã hội tỉnh (cơ sở 2)") == ["Bảo hiểm xã hội tỉnh (cơ sở 2)"]


def test_short_forms_the_plan_defines_read_as_the_full_names_in_table_cells_and_lists():
    draft = _draft(
        "II. PHÂN CÔNG\n"
        "Đội Quản lý hành chính về trật tự xã hội (QL02) giúp Trưởng Công an xã theo dõi; các tổ khác viết tắt: "
        "Tổ Tuần tra (TT05), Tổ Hồ sơ, lưu trữ (HS03); Ban bảo vệ dân phố các thôn (sau đây gọi tắt là Ban bảo vệ "
        "thôn).\n\n"
        "| TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |\n|---|---|---|---|---|\n"
        "| 1 | Rà soát nhân khẩu tạm trú tại các nhà trọ | QL02 | TT05, HS03 | Tháng 4/2026 |\n"
        "| 2 | Vận động người dân kích hoạt tài khoản định danh | Ban bảo vệ thôn | QL02 | Quý II/2026 |\n\n"
        "Các tổ báo cáo kết quả về QL02 trước 16 giờ thứ Sáu hằng tuần.\n", "plan.md")
    assert [(t.lead, t.support) for t in draft.tasks] == [
        (["Đội Quản lý hành chính về trật tự xã hội"], ["Tổ Tuần tra", "Tổ Hồ sơ, lưu trữ"]),
        (["Ban bảo vệ dân phố các thôn"], ["Đội Quản lý hành chính về trật tự xã hội"])]
    assert ("weekly", "Đội Quản lý hành chính về trật tự xã hội") in [(r.cycle, r.to) for r in draft.reporting]


def test_a_name_the_plan_does_not_define_is_kept_as_written():
    lines = [Line(1, "Phòng Tư pháp (TP01) chủ trì rà soát."), Line(2, "Đơn vị khác giữ nguyên tên.")]
    defined = defined_names(lines)
    assert expand(["TP01", "XK09", "Công an xã"], defined) == ["Phòng Tư pháp", "XK09", "Công an xã"]


def test_a_time_citing_a_period_the_plan_names_takes_its_dates():
    lines = [Line(1, "2. Đợt ra quân: từ ngày 02/5/2026 đến ngày 30/6/2026."),
             Line(2, "3. Thời gian tổng kết: tháng 7/2026.")]
    periods = named_periods(lines, 2026)
    assert cited_period("Trong đợt ra quân", periods).model_dump(include={"start", "due"}) == {
        "start": "2026-05-02", "due": "2026-06-30"}
    assert cited_period("Suốt thời gian ra quân tháng 5", periods).due == "2026-06-30"
    assert cited_period("Trong thời gian tổng kết", periods) is None  # named, but with no span
    assert cited_period("Trong đợt thi đua", periods) is None  # not a period the plan names


def test_a_day_of_the_quarters_last_month_is_a_quarterly_report_not_a_monthly_one():
    lines = [Line(1, "Các đơn vị báo cáo định kỳ hằng quý trước ngày 10 của tháng cuối quý về Sở Nội vụ.")]
    assert [(r.cycle, r.due_day) for r in find_reporting(lines)] == [("quarterly", 10)]
    lines = [Line(1, "Các đơn vị báo cáo trước ngày 25 của tháng về Sở Nội vụ.")]
    assert [(r.cycle, r.due_day) for r in find_reporting(lines)] == [("monthly", 25)]


def _targets(text: str):
    from importer.read.lines import text_to_lines
    from importer.vocabulary.targets import find_targets

    return [(t.value, t.unit, t.by) for t in find_targets(text_to_lines(text), set())]


def test_a_value_after_dat_makes_a_target_under_a_heading_that_names_targets_only():
    text = ("II. CHỈ TIÊU CỤ THỂ\n"
            "(1). Số thôn có điểm truy cập Internet công cộng đến hết năm 2027 đạt 45 thôn.\n"
            "(2). Tỷ lệ hồ sơ được số hóa khi tiếp nhận trong năm 2027 đạt 95 %.\n"
            "III. KẾT QUẢ NĂM TRƯỚC\n"
            "- Bộ phận một cửa tiếp nhận 310 hồ sơ, đạt 104%.\n")
    assert _targets(text) == [(45, "thôn", "2027"), (95, "percent", "2027")]
    assert parse_marker("(2). Tỷ lệ hồ sơ").body == "Tỷ lệ hồ sơ"  # "(2)." numbers as "(2)" does


def test_clauses_of_a_target_line_each_with_a_value_are_targets_of_the_lines_year():
    text = "Chỉ tiêu: 100% trường học thu học phí không dùng tiền mặt; thêm ít nhất 2.500 tài khoản mới trong năm 2027.\n"
    assert _targets(text) == [(100, "percent", "2027"), (2500, "tài khoản", "2027")]
    one = "Phấn đấu 90% hộ gia đình được cập nhật; bảo đảm đúng quy trình trong năm 2027.\n"
    assert _targets(one) == [(90, "percent", "2027")]


def test_a_targets_table_gives_a_target_per_row_and_year_column():
    text = ("| TT | Tên chỉ tiêu | ĐVT | Năm 2026 | Năm 2027 | Ghi chú |\n|---|---|---|---|---|---|\n"
            "| 1 | Tỷ lệ hồ sơ trực tuyến toàn trình | % | 60 | 80 | |\n"
            "| 2 | Số điểm cấp căn cước lưu động | điểm | 12 | 1.500 | |\n"
            "| 3 | Mô hình điểm về dữ liệu dân cư | mô hình | Triển khai | x | |\n\n"
            "| TT | Nội dung | Đơn vị chủ trì | Thời gian năm 2026 |\n|---|---|---|---|\n"
            "| 1 | Số hóa hồ sơ hộ tịch | Phòng Tư pháp | 30 |\n")
    assert _targets(text) == [(60, "percent", "2026"), (80, "percent", "2027"), (12, "điểm", "2026"),
                              (1500, "điểm", "2027")]


def test_a_time_field_is_no_named_period_and_a_short_form_of_no_agency_is_not_one():
    lines = [Line(1, "c) Thời gian thực hiện: từ tháng 4 đến tháng 8 năm 2026."),
             Line(2, "Triển khai Đề án phát triển dịch vụ số của tỉnh (sau đây gọi tắt là Đề án số) năm 2026.")]
    assert named_periods(lines, 2026) == {}
    assert cited_period("Trong thời gian thực hiện", named_periods(lines, 2026)) is None
    assert defined_names(lines) == {}


WIDE = "Các nội dung dưới đây được phân công cụ thể cho từng bộ phận, có thời hạn hoàn thành rõ ràng."  # the text width


def test_a_flat_tables_group_title_in_capitals_goes_on_over_the_next_line_in_capitals():
    lines = [WIDE, "STT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "",
             "A. NHÓM NHIỆM VỤ VỀ HẠ TẦNG SỐ VÀ KẾT NỐI", "CƠ SỞ DỮ LIỆU CHUYÊN NGÀNH", "",
             "1", "Nâng cấp đường truyền tại bộ phận một cửa", "Văn phòng UBND xã", "Quý II/2026", "",
             "2", "Kết nối camera tại trụ sở", "Công an xã", "Tháng 9/2026"]
    assert rebuild_tables(lines) == [
        WIDE, "STT\tNội dung\tĐơn vị chủ trì\tThời hạn",
        "A. NHÓM NHIỆM VỤ VỀ HẠ TẦNG SỐ VÀ KẾT NỐI CƠ SỞ DỮ LIỆU CHUYÊN NGÀNH\t\t\t",
        "1\tNâng cấp đường truyền tại bộ phận một cửa\tVăn phòng UBND xã\tQuý II/2026",
        "2\tKết nối camera tại trụ sở\tCông an xã\tTháng 9/2026"]


def test_a_flat_targets_table_is_rebuilt_as_a_table_and_read_as_targets():
    lines = [WIDE, "TT", "Chỉ tiêu", "ĐVT", "Năm 2027", "",
             "1", "Hộ gia đình có người dùng ví điện tử", "%", "70", "",
             "2", "Điểm thanh toán không dùng tiền mặt tại chợ", "điểm", "45"]
    rebuilt = rebuild_tables(lines)
    assert rebuilt[1] == "TT\tChỉ tiêu\tĐVT\tNăm 2027"
    assert _targets("\n".join(rebuilt) + "\n") == [(70, "percent", "2027"), (45, "điểm", "2027")]
