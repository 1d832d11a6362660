"""The labeller's reading of fields written inside a task's own lines (labeller/inline.py, blocks.py), the
second-stage decisions that open or split blocks, how its tasks replace the rules' misread ones in fill, and
training refusing an incomplete corpus."""
import pytest

from importer.draft.model import DraftTask
from importer.labeller.blocks import blocks_to_tasks
from importer.labeller.combine import combine
from importer.labeller.inline import bracket_roles, inline_fields, label_time, subject_roles
from importer.labeller.segments import Segment


def _read(texts: list[str], labels: list[tuple[str, float]], year: int = 2025, cells: dict | None = None):
    segments = [Segment(n, text, **(cells or {}).get(n, {})) for n, text in enumerate(texts, 1)]
    return [(t.content, t.lead, t.support, t.timing.due, t.timing.recurring)
            for _, t in blocks_to_tasks(segments, labels, year)]


def test_a_closing_bracket_that_only_names_agencies_gives_lead_and_partners():
    assert bracket_roles("Công an xã thực hiện; các ban, ngành phối hợp") == (["Công an xã"], ["các ban, ngành"], None)
    assert bracket_roles("Văn phòng HĐND và UBND phường") == (["Văn phòng HĐND và UBND phường"], [], None)
    assert bracket_roles("Phụ lục kèm theo") is None  # a remark in brackets names no agency
    assert inline_fields("(Sở Y tế) Triển khai khám bệnh bằng căn cước, hoàn thành Quý III/2025.")[:2] == (
        "Triển khai khám bệnh bằng căn cước, hoàn thành Quý III/2025.", ["Sở Y tế"])


def test_a_time_written_as_the_items_label_is_its_time():
    assert label_time("Trước ngày 30/9/2025: Tổ chức cấp căn cước lưu động") == "Trước ngày 30/9/2025"
    assert label_time("Nội dung: Tổ chức cấp căn cước lưu động") is None
    read = _read(["II. NỘI DUNG", "1. Tháng 7/2025: Kiện toàn Tổ công tác Đề án 06 (Công an phường)."],
                 [("HEADING", 1.0), ("TASK_START", 0.9)])
    assert read == [("Kiện toàn Tổ công tác Đề án 06", ["Công an phường"], [], "2025-07-31", False)]


def test_an_agency_that_opens_the_sentence_before_a_lowercase_verb_leads_unless_a_heading_names_the_lead():
    assert subject_roles("Về cấp căn cước: Công an huyện tiếp tục cấp căn cước cho trẻ em.") == (
        "tiếp tục cấp căn cước cho trẻ em.", ["Công an huyện"])
    assert subject_roles("Công an tỉnh đã triển khai cấp căn cước") is None  # a report, not an assignment
    assert subject_roles("Số hóa hồ sơ thủ tục hành chính tiếp nhận tại Trung tâm") is None  # a task, not a name
    read = _read(["Giao Văn phòng UBND phường:", "+ Sở Tư pháp hướng dẫn số hóa hồ sơ (hoàn thành trước 30/9/2025)."],
                 [("HEADING", 1.0), ("TASK_START", 0.9)])
    assert [r[1] for r in read] == [["Văn phòng UBND phường"]]


def test_a_row_naming_only_its_lead_heads_the_rows_below_and_a_partner_column_holds_partners():
    texts = ["1. Phòng Tư pháp chủ trì", "Số hóa sổ hộ tịch giai đoạn 2010 - 2015", "UBND các xã, thị trấn",
             "Quý III/2024"]
    cells = {n: dict(cell=n - 2, cells=3, header=h) for n, h in ((2, "Nhiệm vụ"), (3, "Đơn vị phối hợp"), (4, "Thời gian"))}
    read = _read(texts, [("OTHER", 0.7), ("TASK_START", 0.9), ("LEAD", 0.5), ("TIME", 1.0)], 2024, cells)
    assert read == [("Số hóa sổ hộ tịch giai đoạn 2010 - 2015", ["Phòng Tư pháp"], ["UBND các xã, thị trấn"],
                     "2024-09-30", False)]


def test_numbered_parts_of_one_item_are_one_task_each_with_their_own_time():
    read = _read(["I. NHIỆM VỤ", "- Phòng Tin học: (1) kết nối phần mềm ngân sách với Cơ sở dữ liệu dân cư, thời hạn "
                  "trước 31/8/2025; (2) bảo đảm an toàn thông tin các hệ thống của Sở, thực hiện thường xuyên."],
                 [("HEADING", 1.0), ("TASK_START", 0.9)])
    assert [(r[0][:20], r[1], r[3], r[4]) for r in read] == [
        ("kết nối phần mềm ngâ", ["Phòng Tin học"], "2025-08-31", False),
        ("bảo đảm an toàn thôn", ["Phòng Tin học"], None, True)]


def test_an_item_the_labeller_is_unsure_of_starts_a_task_when_numbered_like_its_sure_starts():
    texts = ["Giao Công an tỉnh:", "a) Làm sạch dữ liệu cư trú; hoàn thành trong Quý II/2025.",
             "b) Cấp căn cước cho trẻ em; thực hiện thường xuyên.", "Giao Sở Y tế:",
             "a) Liên thông dữ liệu giấy chứng sinh; hoàn thành trong Quý III/2025."]
    sure = [("HEADING", 1.0), ("TASK_START", 0.95), ("TASK_START", 0.95), ("HEADING", 1.0)]
    assert [r[1] for r in _read(texts, sure + [("OTHER", 0.7)])] == [["Công an tỉnh"]] * 2 + [["Sở Y tế"]]
    assert len(_read(texts, sure + [("OTHER", 0.95)])) == 2  # a sure OTHER stays OTHER


def test_a_run_of_field_lines_opens_the_line_above_it_and_a_field_seen_again_starts_the_next_task():
    texts = ["I. NHIỆM VỤ", "Nhiệm vụ: Rà soát dữ liệu về tình trạng hôn nhân của công dân.",
             "Trách nhiệm: Phòng Tư pháp.", "Tiến độ: Quý III/2024.",
             "Nhiệm vụ: Triển khai sổ sức khỏe điện tử cho người dân.", "Trách nhiệm: Trung tâm Y tế huyện.",
             "Tiến độ: Tháng 11/2024."]
    labels = [("HEADING", 1.0), ("TASK_START", 0.4), ("LEAD", 0.85), ("TIME", 0.97), ("LEAD", 0.44),
              ("SUPPORT", 0.41), ("TIME", 0.97)]
    assert [(r[0][:12], r[1], r[3]) for r in _read(texts, labels, 2024)] == [
        ("Rà soát dữ l", ["Phòng Tư pháp"], "2024-09-30"), ("Triển khai s", ["Trung tâm Y tế huyện"], "2024-11-30")]


def _task(content: str, lead: list[str]) -> DraftTask:
    return DraftTask(code="1", content=content, lead=lead)


@pytest.mark.parametrize("rule_text", [
    "Nội dung: Hướng dẫn người dân nộp hồ sơ trực tuyến đối với hai nhóm thủ tục liên thông.",
    "Mô hình 1: Hướng dẫn người dân nộp hồ sơ trực tuyến đối với hai nhóm thủ tục liên thông.",
    "### Nhiệm vụ 1 – Hướng dẫn người dân nộp hồ sơ trực tuyến đối với hai nhóm thủ tục liên thông.",
    "Về dịch vụ công: Văn phòng UBND huyện hướng dẫn người dân nộp hồ sơ trực tuyến đối với hai nhóm thủ tục liên "
    "thông. Thời gian: Quý III/2024."])
def test_fill_reads_a_rule_task_as_the_labeller_does_when_only_a_label_or_its_own_lead_was_cut(rule_text):
    labelled = (7, _task("Hướng dẫn người dân nộp hồ sơ trực tuyến đối với hai nhóm thủ tục liên thông.",
                         ["Văn phòng UBND huyện"]))
    [(_, task)] = combine([(0, _task(rule_text, []))], lambda: [labelled], "fill")
    assert task.content.startswith("Hướng dẫn") and task.lead == ["Văn phòng UBND huyện"]


def test_fill_splits_a_rule_task_holding_several_of_the_labellers_tasks_whole_and_no_other():
    first = _task("kết nối phần mềm ngân sách với Cơ sở dữ liệu dân cư", ["Phòng Tin học"])
    second = _task("bảo đảm an toàn thông tin các hệ thống của Sở", ["Phòng Tin học"])
    rule = _task(f"(1) {first.content}, thời hạn tháng 8/2025; (2) {second.content}.", ["Phòng Tin học"])
    assert [t.content for _, t in combine([(0, rule)], lambda: [(3, first), (3, second)], "fill")] == [
        first.content, second.content]
    alike = _task("Tham gia triển khai kết nối, chia sẻ dữ liệu với cơ sở dữ liệu đất đai", ["Công an huyện"])
    other = _task("Tham gia triển khai kết nối, chia sẻ dữ liệu với cơ sở dữ liệu thuế", ["Công an huyện"])
    kept = combine([(0, alike), (1, other)], lambda: [(5, alike), (6, other)], "fill")
    assert [t.content for _, t in kept] == [alike.content, other.content]  # tasks sharing their opening words stay


def test_training_refuses_a_corpus_with_missing_renditions(monkeypatch, tmp_path):
    import tests.support.seeds
    from importer.train import MissingRenditions, examples

    monkeypatch.setattr(tests.support.seeds, "SEEDS", tmp_path / "no-seeds")  # a checkout without shared/seeds
    with pytest.raises(MissingRenditions, match="missing"):
        examples()


def test_a_time_field_inside_the_tasks_sentence_is_its_time_and_leaves_its_text():
    read = _read(["I. NHIỆM VỤ", "b) Về dịch vụ công: Văn phòng UBND huyện hướng dẫn các xã tiếp nhận hồ sơ trực "
                  "tuyến toàn trình. Thời gian: Quý III/2024."], [("HEADING", 1.0), ("TASK_START", 0.9)], 2024)
    assert read == [("hướng dẫn các xã tiếp nhận hồ sơ trực tuyến toàn trình", ["Văn phòng UBND huyện"], [],
                     "2024-09-30", False)]
