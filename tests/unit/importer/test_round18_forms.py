"""Forms round 18 (blind) showed the importer missing, each fixed by a rule that names no plan: field items under a
numbered task that carry their own letter ("a) Cơ quan chủ trì: …"), a table column citing the task of the plan carried
out ("Nhiệm vụ theo Kế hoạch số …") beside the content column. The examples are made up, not round 18's text."""
from importer import import_document
from importer.read.lines import Line
from importer.vocabulary.schedules import find_reporting

HEAD = ("ỦY BAN NHÂN DÂN\nXÃ NAM SƠN\nSố: 17/KH-UBND\nNam Sơn, ngày 05 tháng 02 năm 2026\n"
        "KẾ HOẠCH\nTriển khai Đề án 06 năm 2026\nI. MỤC ĐÍCH\nBảo đảm tiến độ.\n")
TAIL = "III. TỔ CHỨC THỰC HIỆN\nCác bộ phận báo cáo kết quả về Công an xã trước ngày 22 hằng tháng.\n"


def _draft(body: str, name: str = "plan.txt"):
    return import_document((HEAD + body + TAIL).encode(), name)


def _rows(draft):
    return [(t.content[:24], t.lead, t.support, t.timing.due, t.timing.start, t.timing.recurring) for t in draft.tasks]


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
