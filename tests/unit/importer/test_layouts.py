"""Layouts beyond the seeds: inline deadlines, inline labels, pipe tables,
unnumbered agency headings, one paragraph per agency; and the CLI."""

import json

import pytest

from importer import NotAPlan, import_document

INLINE_DEADLINES = """ỦY BAN NHÂN DÂN
HUYỆN ĐÔNG SƠN
Số: 125/KH-UBND
Đông Sơn, ngày 12 tháng 4 năm 2023
KẾ HOẠCH
Đẩy mạnh triển khai Đề án 06 trên địa bàn huyện năm 2023
Căn cứ Kế hoạch số 45/KH-UBND ngày 01/3/2023 của UBND tỉnh Thanh Hóa; Ủy ban nhân dân huyện ban hành Kế hoạch như sau:
I. MỤC TIÊU
- Phấn đấu có trên 35.000 tài khoản định danh điện tử được kích hoạt trong năm 2023.
- 100% hồ sơ thủ tục hành chính được số hóa.
II. NHIỆM VỤ, GIẢI PHÁP
1. Công an huyện
- Chủ trì, phối hợp với Phòng Tư pháp rà soát, làm sạch dữ liệu dân cư, hoàn thành trước ngày 31/5/2023.
- Tổ chức cấp tài khoản định danh điện tử mức 2 cho công dân, thực hiện thường xuyên.
2. Phòng Văn hóa và Thông tin
- Tuyên truyền về lợi ích của ứng dụng VNeID trên hệ thống truyền thanh, hoàn thành trong quý II/2023.
- Phối hợp với Trung tâm Văn hóa - Thể thao huyện xây dựng chuyên mục về Đề án 06, thực hiện từ ngày 25/5/2023.
3. UBND các xã, thị trấn
- Kiện toàn Tổ công tác cấp xã trước 30/4/2023.
III. TỔ CHỨC THỰC HIỆN
Các cơ quan, đơn vị báo cáo kết quả trước ngày 20 hằng tháng về Công an huyện (cơ quan thường trực). Báo cáo tuần gửi trước 17h00 thứ Sáu hằng tuần.
"""


def rows(draft):
    return [(t.lead, t.support, t.timing.due, t.timing.start, t.timing.recurring) for t in draft.tasks]


def test_agency_sections_with_deadlines_inside_the_sentence():
    draft = import_document(INLINE_DEADLINES.encode(), "plan.txt")
    assert rows(draft) == [
        (["Công an huyện"], ["Phòng Tư pháp"], "2023-05-31", None, False),
        (["Công an huyện"], [], None, None, True),
        (["Phòng Văn hóa và Thông tin"], [], "2023-06-30", None, False),
        (["Phòng Văn hóa và Thông tin"], ["Trung tâm Văn hóa - Thể thao huyện"], None, "2023-05-25", False),
        (["UBND các xã, thị trấn"], [], "2023-04-30", None, False),
    ]
    assert draft.plan.number == "125/KH-UBND" and draft.plan.issuer == "UBND huyện Đông Sơn"


def test_reporting_schedule_monthly_day_and_weekly_friday():
    draft = import_document(INLINE_DEADLINES.encode(), "plan.txt")
    assert [(r.cycle, r.due_day) for r in draft.reporting] == [("monthly", 20), ("weekly", 5)]
    assert draft.reporting[0].to == "Công an huyện"
    assert "17h00" in draft.reporting[1].due


def test_targets_with_counts_and_percentages():
    draft = import_document(INLINE_DEADLINES.encode(), "plan.txt")
    assert [(t.value, t.unit, t.by) for t in draft.targets] == [(35000, "tài khoản", "2023"), (100, "percent", None)]


def test_labels_written_inside_the_item_paragraph():
    text = """KẾ HOẠCH
Triển khai Đề án 06 năm 2024
II. NHIỆM VỤ TRỌNG TÂM
1. Rà soát, làm sạch dữ liệu dân cư (Chủ trì: Công an huyện; Phối hợp: Phòng Tư pháp, UBND các xã; Thời gian: Quý II/2024).
2. Tuyên truyền về ứng dụng VNeID. Cơ quan chủ trì: Phòng Văn hóa và Thông tin; thời gian hoàn thành: trước ngày 30/6/2024.
3. Kết nối hệ thống một cửa điện tử với cơ sở dữ liệu quốc gia về dân cư.
Cơ quan thực hiện: Văn phòng HĐND&UBND huyện chủ trì, phối hợp với Công an huyện và Viettel Bảo Lâm.
Thời gian: Từ tháng 4/2024 đến hết tháng 9/2024.
"""
    draft = import_document(text.encode(), "plan.txt")
    assert [t.content for t in draft.tasks][:2] == ["Rà soát, làm sạch dữ liệu dân cư", "Tuyên truyền về ứng dụng VNeID."]
    assert rows(draft) == [
        (["Công an huyện"], ["Phòng Tư pháp", "UBND các xã"], "2024-06-30", None, False),
        (["Phòng Văn hóa và Thông tin"], [], "2024-06-30", None, False),
        (["Văn phòng HĐND&UBND huyện"], ["Công an huyện", "Viettel Bảo Lâm"], "2024-09-30", "2024-04-01", False),
    ]


def test_markdown_pipe_table():
    text = """# KẾ HOẠCH
Thực hiện Đề án 06 năm 2023 trên địa bàn phường Đông Hòa

| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn hoàn thành |
|---|---|---|---|---|
| 1 | Làm sạch dữ liệu dân cư | Công an phường | Tổ dân phố | 30/6/2023 |
| 2 | Tuyên truyền dịch vụ công | Văn phòng HĐND - UBND phường | Đoàn Thanh niên, Hội Liên hiệp Phụ nữ phường | Quý III năm 2023 |
"""
    draft = import_document(text.encode(), "plan.md")
    assert rows(draft) == [
        (["Công an phường"], ["Tổ dân phố"], "2023-06-30", None, False),
        (["Văn phòng HĐND - UBND phường"], ["Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ phường"], "2023-09-30", None, False),
    ]


def test_unnumbered_bold_agency_headings_under_lettered_parts():
    text = """ỦY BAN NHÂN DÂN TỈNH NAM XUYÊN
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 301/KH-STTTT
Nam Xuyên, ngày 2 tháng 2 năm 2024
KẾ HOẠCH
Chuyển đổi số gắn với Đề án 06 năm 2024
A. NHIỆM VỤ
**Phòng Bưu chính, Viễn thông:**
- Chủ trì, phối hợp với các doanh nghiệp viễn thông rà soát thuê bao di động, hoàn thành trong quý I/2024.
**Trung tâm Công nghệ thông tin và Truyền thông:**
- Nâng cấp Cổng dịch vụ công của tỉnh, hoàn thành trước ngày 30/9/2024.
"""
    draft = import_document(text.encode(), "plan.md")
    assert draft.plan.issuer == "Sở Thông tin và truyền thông tỉnh Nam Xuyên"
    assert rows(draft) == [
        (["Phòng Bưu chính, Viễn thông"], ["các doanh nghiệp viễn thông"], "2024-03-31", None, False),
        (["Trung tâm Công nghệ thông tin và Truyền thông"], [], "2024-09-30", None, False),
    ]


def test_one_paragraph_per_agency_in_the_implementation_section():
    text = """KẾ HOẠCH
Thực hiện Đề án 06 năm 2023
IV. TỔ CHỨC THỰC HIỆN
1. Công an huyện: Chủ trì, phối hợp với Phòng Tư pháp rà soát dữ liệu hộ tịch, hoàn thành trong quý II/2023.
2. Bảo hiểm xã hội huyện: Phối hợp với Công an huyện đối sánh dữ liệu bảo hiểm, thực hiện thường xuyên.
"""
    draft = import_document(text.encode(), "plan.txt")
    assert rows(draft) == [
        (["Công an huyện"], ["Phòng Tư pháp"], "2023-06-30", None, False),
        (["Bảo hiểm xã hội huyện"], ["Công an huyện"], None, None, True),
    ]


def test_descriptive_agency_sections_without_timing_are_not_tasks():
    text = """KẾ HOẠCH
Thực hiện Đề án 06
V. PHƯƠNG ÁN TRIỂN KHAI
1. Đối với lực lượng Công an:
(1) Tiếp nhận, cập nhật thông tin liên quan đến tiêm chủng của người dân.
2. Đối với Bảo hiểm xã hội:
(1) Rà soát, lập danh sách công dân bổ sung về số thẻ bảo hiểm.
"""
    with pytest.raises(NotAPlan):  # nothing else in it: refused as a plan without tasks
        import_document(text.encode(), "plan.txt")


def test_cli_prints_the_draft_as_json(tmp_path, capsys):
    from services.plans.entrypoints.import_cli import main

    path = tmp_path / "plan.txt"
    path.write_text(INLINE_DEADLINES, encoding="utf-8")
    assert main([str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plan"]["number"] == "125/KH-UBND"
    assert len(data["tasks"]) == 5


def test_cli_matches_a_directory_file(tmp_path, capsys):
    from services.plans.entrypoints.import_cli import main

    plan = tmp_path / "plan.txt"
    plan.write_text(INLINE_DEADLINES, encoding="utf-8")
    directory = tmp_path / "agencies.json"
    directory.write_text(json.dumps([["ca", "Công an huyện Đông Sơn"], ["tp", "Phòng Tư pháp"]]), encoding="utf-8")
    assert main([str(plan), "--json", "--directory", str(directory)]) == 0
    first = json.loads(capsys.readouterr().out)["tasks"][0]
    assert first["lead_ids"] == ["ca"] and first["support_ids"] == ["tp"]


def test_cli_rejects_a_text_that_is_not_a_plan(tmp_path, capsys):
    from services.plans.entrypoints.import_cli import main

    path = tmp_path / "story.txt"
    path.write_text("Hôm nay trời đẹp.\n" * 20, encoding="utf-8")
    assert main([str(path), "--json"]) == 4
    assert capsys.readouterr().err.count("\n") == 1


def test_a_60_task_plan_reads_every_task_with_its_lead_and_quarter():
    """The 60-task plan bench/importer.py times (speed is measured there, not asserted here)."""
    lines = ["KẾ HOẠCH", "Triển khai Đề án 06 năm 2024", "I. NHIỆM VỤ"]
    for i in range(60):
        lines += [f"{i + 1}. Rà soát, làm sạch dữ liệu dân cư đợt {i + 1} phục vụ thủ tục hành chính.",
                  "- Cơ quan chủ trì: Công an huyện.", "- Cơ quan phối hợp: Phòng Tư pháp, UBND các xã, thị trấn.",
                  f"- Thời gian hoàn thành: Quý {i % 4 + 1}/2024."]
    draft = import_document("\n".join(lines).encode(), "plan.txt")
    assert len(draft.tasks) == 60
    assert all(t.lead == ["Công an huyện"] for t in draft.tasks)


def test_a_note_cell_that_labels_the_coordinating_offices_gives_the_support():
    from importer.body.table_tasks import table_tasks
    from importer.read.lines import Line

    lines = [Line(1, "", cells=["STT", "Nội dung công việc", "Bộ phận thực hiện", "Thời gian", "Ghi chú"]),
             Line(2, "", cells=["1", "Rà soát biến động dân cư", "Công an xã", "Trước 31/01/2026", "Phối hợp: Phòng Văn hóa - Xã hội"])]
    tasks, _ = table_tasks(lines, 2026)
    assert [(t.lead, t.support, t.timing.due) for _, t in tasks] == [(["Công an xã"], ["Phòng Văn hóa - Xã hội"], "2026-01-31")]
