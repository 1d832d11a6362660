"""The line labeller: segments, features, the alignment that makes its training labels, task blocks from
labels, how its tasks join the rules' tasks, and the shipped model being the current corpus'."""
import json

import pytest

from importer import import_document
from importer.draft.model import DraftTask
from importer.labeller.alignment import align
from importer.labeller import blocks
from importer.labeller.blocks import blocks_to_tasks
from importer.labeller.fields import field_value
from importer.labeller.inline import sentence_roles
from importer.labeller.scopes import scope_roles
from importer.labeller.combine import combine
from importer.labeller.features import numbering_end, own_features, sequence_features
from importer.labeller.model import TRAINED_ON, Labeller, sequence, train
from importer.labeller.segments import Segment, segments_of
from importer.read.lines import Line

READING = {"tasks": [
    {"content_start": "Rà soát hộ nghèo chưa có tài khoản ngân hàng", "lead": ["Công an xã"],
     "support": ["Bưu điện xã"], "timing": {"raw": "Tháng 11/2025"}},
    {"content_start": "Vận động thanh niên cài đặt ứng dụng VNeID", "lead": ["Đoàn Thanh niên xã"],
     "support": [], "timing": {"raw": "Thường xuyên"}},
]}
LINES = [
    Line(1, "KẾ HOẠCH", strong=True),
    Line(2, "I. NHIỆM VỤ", strong=True),
    Line(3, "1. Rà soát hộ nghèo chưa có tài khoản ngân hàng."),
    Line(4, "- Chủ trì: Công an xã."),
    Line(5, "- Phối hợp: Bưu điện xã."),
    Line(6, "- Thời gian: Tháng 11/2025."),
    Line(7, "2. Vận động thanh niên cài đặt ứng dụng VNeID."),
    Line(8, "- Chủ trì: Đoàn Thanh niên xã."),
    Line(9, "- Thời gian: Thường xuyên."),
    Line(10, "II. TỔ CHỨC THỰC HIỆN", strong=True),
    Line(11, "Công an xã báo cáo UBND xã trước ngày 13 hằng tháng."),
]
GOLD = ["HEADING", "HEADING", "TASK_START", "LEAD", "SUPPORT", "TIME", "TASK_START", "LEAD", "TIME", "HEADING",
        "OTHER"]


class GoldLabeller:
    """Stands in for a trained model: the labels of the segments it was given, all sure."""

    def __init__(self, labels):
        self.labels = labels

    def label(self, segments):
        return [(label, 1.0) for label in self.labels]

    def words(self, text):
        return None  # no word model: the line readings alone


def test_alignment_labels_each_field_line_of_a_reading_and_stops_a_block_at_the_next_heading():
    assert align(segments_of(LINES), READING) == GOLD


def test_a_table_row_becomes_one_segment_per_cell_carrying_its_column_header():
    rows = [Line(1, "", cells=["STT", "Việc cần làm", "Ai làm", "Khi nào xong"]),
            Line(2, "", cells=["1", "Rà soát hộ nghèo", "Công an xã", "Tháng 11/2025"])]
    cells = segments_of(rows)
    assert [(s.line, s.cell, s.header) for s in cells[4:]] == [
        (2, 0, "STT"), (2, 1, "Việc cần làm"), (2, 2, "Ai làm"), (2, 3, "Khi nào xong")]
    assert own_features(cells[6], 0.5)["hdr:ai"] is True


def test_features_name_numbering_style_role_words_date_shapes_and_the_neighbours():
    segments = segments_of(LINES)
    features = sequence_features(segments)
    start, lead = features[2], features[3]
    assert start["num"] == "arabic" and lead["num"] == "dash"
    assert lead["field"] and lead["label"] == "chu tri" and lead["lead"] and lead["head"] is False
    assert features[5]["month"] and features[8]["recurring"]
    assert lead["-1:num"] == "arabic" and start["+1:label"] == "chu tri"
    assert own_features(Segment(1, "1.2.3. Tiếp nhận hồ sơ"), 0.1)["num"] == "arabic-deep"
    assert numbering_end("b) Rà soát") == 3 and numbering_end("Rà soát") == 0


def test_blocks_become_tasks_with_lead_support_and_time_read_by_the_vocabulary():
    segments = segments_of(LINES)
    tasks = blocks_to_tasks(segments, GoldLabeller(GOLD).label(segments), 2025)
    assert [(line, t.content, t.lead, t.support, t.timing.due, t.timing.recurring) for line, t in tasks] == [
        (3, "Rà soát hộ nghèo chưa có tài khoản ngân hàng.", ["Công an xã"], ["Bưu điện xã"], "2025-11-30", False),
        (7, "Vận động thanh niên cài đặt ứng dụng VNeID.", ["Đoàn Thanh niên xã"], [], None, True),
    ]


def test_a_block_without_a_lead_agency_or_with_an_unsure_start_is_refused_not_invented():
    segments = segments_of(LINES)
    no_lead = ["OTHER" if label == "LEAD" else label for label in GOLD]
    assert blocks_to_tasks(segments, GoldLabeller(no_lead).label(segments), 2025) == []
    unsure = [(label, 0.3) for label in GOLD]
    assert blocks_to_tasks(segments, unsure, 2025) == []


def test_an_assignment_heading_gives_its_lead_to_the_items_below_whatever_its_label():
    lines = [Line(1, "1. Giao Sở Y tế chủ trì, phối hợp với Bảo hiểm xã hội tỉnh thực hiện các nhiệm vụ sau:"),
             Line(2, "a) Triển khai khám, chữa bệnh bằng căn cước; hoàn thành trong Quý III/2025.")]
    assert scope_roles(lines[0].text) == (["Sở Y tế"], ["Bảo hiểm xã hội tỉnh"])
    segments = segments_of(lines)
    tasks = blocks_to_tasks(segments, [("TASK_START", 0.9), ("TASK_START", 0.9)], 2025)
    assert [(t.lead, t.support, t.timing.due) for _, t in tasks] == [(["Sở Y tế"], ["Bảo hiểm xã hội tỉnh"], "2025-09-30")]


def test_a_block_whose_own_reading_finds_no_lead_is_read_by_the_rules_with_the_agency_heading_above():
    lines = [Line(1, "I. PHÂN CÔNG NHIỆM VỤ", strong=True), Line(2, "Giao Công an phường:"),
             Line(3, "+ Rà soát thông tin cư trú sau sắp xếp tổ dân phố (hoàn thành trước 30/9/2025)."),
             Line(4, "II. NHIỆM VỤ TRỌNG TÂM", strong=True),
             Line(5, "b) Về cấp căn cước: Công an huyện tiếp tục cấp căn cước cho trẻ em (hoàn thành trong Quý IV/2025).")]
    labels = [("HEADING", 1.0), ("HEADING", 1.0), ("TASK_START", 0.9), ("HEADING", 1.0), ("TASK_START", 0.9)]
    read = [(t.lead, t.timing.due) for _, t in blocks_to_tasks(segments_of(lines), labels, 2025)]
    assert read == [(["Công an phường"], "2025-09-30"), (["Công an huyện"], "2025-12-31")]
    blocks.RULES_READ_BLOCKS = False
    try:
        own = [(t.lead, t.timing.due) for _, t in blocks_to_tasks(segments_of(lines), labels, 2025)]
        assert own == read  # the labeller's own reading: "Giao X:" heads the items below, "X <verb> …" names X
    finally:
        blocks.RULES_READ_BLOCKS = True


def test_an_agency_colon_start_names_its_lead_and_a_heading_above_gives_its_time():
    lines = [Line(1, "1. Giai đoạn 1: Từ ngày 22/3/2023 đến ngày 15/4/2023"),
             Line(2, "- Công an tỉnh: Chỉ đạo Công an cấp xã thu nhận hồ sơ định danh điện tử."),
             Line(3, "|"),
             Line(4, "- Cơ quan chủ trì triển khai: Sở Tư pháp.")]
    segments = segments_of(lines)
    assert [s.line for s in segments] == [1, 2, 4]  # a line of only a pipe is no segment
    tasks = blocks_to_tasks(segments, [("HEADING", 1.0), ("TASK_START", 0.9), ("OTHER", 1.0)], 2023)
    assert [(t.content, t.lead, t.timing.start, t.timing.due) for _, t in tasks] == [
        ("Chỉ đạo Công an cấp xã thu nhận hồ sơ định danh điện tử.", ["Công an tỉnh"], "2023-03-22", "2023-04-15")]
    assert field_value(lines[3].text) == "Sở Tư pháp."


def _task(content):
    return DraftTask(code="1", content=content, lead=["Công an xã"])


def test_fill_adds_only_the_labellers_tasks_no_rule_task_covers_and_only_when_the_rules_find_fewer():
    rules = [(3, _task("Rà soát hộ nghèo"))]
    proposed = [(3, _task("1. Rà soát hộ nghèo")), (5, _task("[Tháng 7] Rà soát hộ nghèo chưa có")),
                (7, _task("Vận động thanh niên"))]
    assert [line for line, _ in combine(rules, lambda: proposed, "fill")] == [3, 7]
    assert combine(rules, lambda: proposed[:1], "fill") == rules  # the labeller proposes no more than the rules
    assert combine(rules, lambda: pytest.fail("not asked"), "fallback") == rules
    assert combine([], lambda: proposed, "fallback") == proposed
    assert combine(rules, lambda: pytest.fail("not asked"), "off") == rules


def test_import_document_takes_the_labellers_tasks_when_the_rules_find_none():
    text = "\n".join(["KẾ HOẠCH", "Thực hiện Đề án 06 năm 2025", "I. VIỆC",
                      "Rà soát hộ nghèo chưa có tài khoản ngân hàng", "Công an xã", "Tháng 11/2025"]).encode()
    labels = ["HEADING", "OTHER", "HEADING", "TASK_START", "LEAD", "TIME"]
    draft = import_document(text, "plan.txt", labeller_mode="fill", labeller=GoldLabeller(labels))
    assert [(t.content, t.lead, t.timing.due) for t in draft.tasks] == [
        ("Rà soát hộ nghèo chưa có tài khoản ngân hàng", ["Công an xã"], "2025-11-30")]
    with pytest.raises(Exception, match="no tasks found"):
        import_document(text, "plan.txt", labeller_mode="off")


def test_training_is_deterministic(tmp_path):
    data = [sequence(segments_of(LINES), GOLD)] * 2
    first, second = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    train(data, first, iterations=10)
    train(data, second, iterations=10)
    assert first.read_bytes() == second.read_bytes()
    assert [label for label, _ in Labeller(first).label(segments_of(LINES))][2] == "TASK_START"


def test_the_shipped_model_was_trained_on_the_current_corpus():
    from importer.train import corpus_digest, examples

    everything = examples()
    digest = corpus_digest(everything)
    assert json.loads(TRAINED_ON.read_text())["sequences_sha256"] == digest, "run: python -m importer.train"
    from importer.labeller.model import PARAMS

    assert corpus_digest(everything, {**PARAMS, "c2": PARAMS["c2"] * 2}) != digest  # other parameters, another model


def test_a_document_past_the_segment_cap_is_read_by_the_rules_alone():
    from importer.labeller.combine import MAX_SEGMENTS, labelled_tasks

    many = [Line(n, f"{n}. Rà soát hộ nghèo") for n in range(1, MAX_SEGMENTS + 2)]
    assert labelled_tasks(many, 2025, GoldLabeller(["TASK_START"] * len(many))) == []
    assert labelled_tasks(LINES, 2025, GoldLabeller(GOLD)) != []


def test_an_assignment_sentence_gives_lead_support_and_the_task_from_its_first_lowercase_verb():
    read = sentence_roles(
        "Giao Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Ngân hàng Nhà nước chi nhánh tỉnh chi trả "
        "trợ cấp không dùng tiền mặt, trước ngày 31/12/2023.")
    assert read == ("Chi trả trợ cấp không dùng tiền mặt, trước ngày 31/12/2023.", ["Sở Lao động - Thương binh và Xã hội"],
                    ["Ngân hàng Nhà nước chi nhánh tỉnh"])
    # a verb inside a name is written capitalised, so "Sở Xây dựng" stays an agency
    assert sentence_roles("Sở Tư pháp chủ trì, phối hợp Sở Xây dựng bảo đảm hạ tầng.")[2] == ["Sở Xây dựng"]
    assert sentence_roles("Công an xã chủ trì rà soát dữ liệu cư trú.")[:2] == ("Rà soát dữ liệu cư trú.", ["Công an xã"])
    assert sentence_roles("Các đơn vị chủ trì theo chức năng, nhiệm vụ được giao.") is None  # no task verb after


def test_a_paragraph_of_several_assignment_sentences_is_one_segment_per_assignment():
    text = ("2. Về dữ liệu số: Phòng Tư pháp chủ trì, phối hợp Công an huyện rà soát dữ liệu hộ tịch trong Quý III/2023. "
            "Công an huyện chủ trì, phối hợp UBND các xã hướng dẫn kích hoạt tài khoản định danh điện tử thường xuyên.")
    segments = segments_of([Line(7, text)])
    assert [(s.line, s.text[:30]) for s in segments] == [(7, "2. Về dữ liệu số: Phòng Tư phá"), (7, "Công an huyện chủ trì, phối hợ")]
    # the second start is less sure, but its sentence assigns the task itself
    tasks = blocks_to_tasks(segments, [("TASK_START", 0.95), ("TASK_START", 0.55)], 2023)
    assert [(t.content[:20], t.lead, t.support, t.timing.due, t.timing.recurring) for _, t in tasks] == [
        ("Rà soát dữ liệu hộ t", ["Phòng Tư pháp"], ["Công an huyện"], "2023-09-30", False),
        ("Hướng dẫn kích hoạt ", ["Công an huyện"], ["UBND các xã"], None, True)]
    assert segments_of([Line(1, "Một câu. Công an xã chủ trì rà soát.")])[0].text == "Một câu. Công an xã chủ trì rà soát."


def test_the_labellers_several_tasks_on_a_line_replace_the_rules_single_task_there():
    rules = [(7, _task("phối hợp Công an huyện rà soát")), (9, _task("Tổng hợp báo cáo"))]
    proposed = [(7, _task("Rà soát dữ liệu hộ tịch")), (7, _task("Hướng dẫn kích hoạt tài khoản")),
                (9, _task("Tổng hợp báo cáo"))]
    assert [t.content for _, t in combine(rules, lambda: proposed, "fill")] == [
        "Rà soát dữ liệu hộ tịch", "Hướng dẫn kích hoạt tài khoản", "Tổng hợp báo cáo"]


def test_field_lines_after_an_unlabelled_line_make_it_the_task_and_a_cut_sentence_is_rejoined():
    lines = [Line(1, "II. CÁC MÔ HÌNH", strong=True), Line(2, "Mô hình 4: Xác thực thông tin lưu trú qua ứng dụng"),
             Line(3, "- Cơ quan chủ trì triển khai: Công an tỉnh."), Line(4, "- Tiến độ: Quý IV/2023."),
             Line(5, "6. Giao Sở Y tế chủ trì,"), Line(6, "phối hợp với Bảo hiểm xã hội tỉnh triển khai khám bệnh bằng căn cước.")]
    labels = [("HEADING", 1.0), ("OTHER", 0.6), ("TASK_START", 0.7), ("TIME", 0.9), ("TASK_START", 0.9), ("TASK_START", 0.8)]
    tasks = blocks_to_tasks(segments_of(lines), labels, 2023)
    assert [(line, t.content, t.lead, t.support, t.timing.due) for line, t in tasks] == [
        (2, "Xác thực thông tin lưu trú qua ứng dụng", ["Công an tỉnh"], [], "2023-12-31"),
        (5, "Triển khai khám bệnh bằng căn cước.", ["Sở Y tế"], ["Bảo hiểm xã hội tỉnh"], None)]


def test_a_numbered_agency_heading_names_the_lead_of_the_items_below_it():
    lines = [Line(1, "III. TỔ CHỨC THỰC HIỆN", strong=True), Line(2, "4. UBND các huyện, thành phố Đà Lạt, Bảo Lộc"),
             Line(3, "a) Bố trí mặt bằng lắp đặt trạm thu phát sóng, phối hợp với doanh nghiệp; thời gian hoàn thành: năm 2024.")]
    labels = [("HEADING", 1.0), ("HEADING", 1.0), ("TASK_START", 0.9)]
    tasks = blocks_to_tasks(segments_of(lines), labels, 2023)
    assert [(t.lead, t.timing.due) for _, t in tasks] == [(["UBND các huyện, thành phố Đà Lạt, Bảo Lộc"], "2024-12-31")]


def test_a_rule_task_without_a_lead_takes_the_lead_of_the_labellers_reading_of_it():
    rules = [(22, DraftTask(code="1", content="Bố trí mặt bằng lắp trạm phát sóng", lead=[])), (23, _task("Phủ sóng 4G"))]
    proposed = [(22, DraftTask(code="1", content="Bố trí mặt bằng lắp trạm phát sóng", lead=["UBND các huyện"],
                               support=["Sở Thông tin và Truyền thông"]))]
    combined = combine(rules, lambda: proposed, "fill")
    assert [(t.content, t.lead, t.support) for _, t in combined] == [
        ("Bố trí mặt bằng lắp trạm phát sóng", ["UBND các huyện"], ["Sở Thông tin và Truyền thông"]),
        ("Phủ sóng 4G", ["Công an xã"], [])]


def test_duties_under_the_implementation_section_are_dropped_when_the_tasks_are_listed_elsewhere():
    lines = [Line(1, "III. NHIỆM VỤ CỤ THỂ", strong=True),
             Line(2, "1. Rà soát dữ liệu hộ tịch (Phòng Tư pháp chủ trì; hoàn thành Quý III/2025)."),
             Line(3, "IV. TỔ CHỨC THỰC HIỆN", strong=True),
             Line(4, "Giao Công an huyện chủ trì tham mưu thành lập Tổ công tác; báo cáo hằng tháng.")]
    labels = [("HEADING", 1.0), ("TASK_START", 0.9), ("HEADING", 1.0), ("TASK_START", 0.9)]
    assert [line for line, _ in blocks_to_tasks(segments_of(lines), labels, 2025)] == [2]
    # when they are the only tasks, they stay
    assert [line for line, _ in blocks_to_tasks(segments_of(lines[2:]), labels[2:], 2025)] == [4]


def test_a_rule_task_that_kept_the_words_before_the_task_is_read_as_the_labeller_reads_it():
    rules = [(0, DraftTask(code="1", content="phối hợp Công an huyện rà soát, làm sạch dữ liệu hộ tịch trong Quý III",
                           lead=["Phòng Tư pháp chủ trì"]))]
    proposed = [(16, DraftTask(code="1", content="Rà soát, làm sạch dữ liệu hộ tịch trong Quý III", lead=["Phòng Tư pháp"],
                               support=["Công an huyện"]))]
    assert [(t.content[:8], t.lead) for _, t in combine(rules, lambda: proposed, "fill")] == [("Rà soát,", ["Phòng Tư pháp"])]


def test_a_cell_that_labels_lead_support_and_time_is_read_by_its_labels_whatever_the_labeller_called_it():
    lines = [Line(6, "", cells=["1", "Tổ chức thu nhận hồ sơ cấp căn cước lưu động",
                                "Chủ trì: Đoàn Thanh niên xã Phối hợp: Công an xã Thời gian: tháng 8/2025"])]
    segments = segments_of(lines)
    tasks = blocks_to_tasks(segments, [("OTHER", 1.0), ("TASK_START", 1.0), ("TIME", 0.8)], 2025)
    assert [(t.lead, t.support, t.timing.due) for _, t in tasks] == [(["Đoàn Thanh niên xã"], ["Công an xã"], "2025-08-31")]


def test_a_cut_sentence_whose_second_line_starts_the_task_is_one_task_from_its_first_line():
    lines = [Line(5, "6. Giao Sở Y tế chủ trì,"), Line(6, "phối hợp với Bảo hiểm xã hội tỉnh triển khai khám bệnh bằng căn cước.")]
    tasks = blocks_to_tasks(segments_of(lines), [("OTHER", 0.9), ("TASK_START", 0.9)], 2023)
    assert [(line, t.content, t.lead) for line, t in tasks] == [(5, "Triển khai khám bệnh bằng căn cước.", ["Sở Y tế"])]


def test_a_header_row_repeated_on_a_new_page_is_no_task():
    head = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian"]
    lines = [Line(1, "", cells=head), Line(2, "", cells=["1", "Rà soát dữ liệu dân cư", "Công an huyện", "Quý 1/2024"]),
             Line(3, "", cells=head)]
    segments = segments_of(lines)
    labels = [("OTHER", 1.0)] * 4 + [("OTHER", 1.0), ("TASK_START", 1.0), ("LEAD", 1.0), ("TIME", 1.0)] + \
        [("OTHER", 1.0), ("TASK_START", 0.9), ("LEAD", 0.9), ("TIME", 0.9)]
    assert [(line, t.content) for line, t in blocks_to_tasks(segments, labels, 2024)] == [(2, "Rà soát dữ liệu dân cư")]


def test_an_agency_colon_task_sentence_the_labeller_was_unsure_of_opens_a_task():
    lines = [Line(1, "1. Giai đoạn 1: Từ ngày 22/3/2023 đến ngày 15/4/2023"),
             Line(2, "- Công an tỉnh: Chỉ đạo Công an cấp xã thu nhận hồ sơ định danh điện tử."),
             Line(3, "- Công an tỉnh: là cơ quan thường trực của Kế hoạch.")]
    labels = [("HEADING", 1.0), ("OTHER", 0.7), ("OTHER", 0.7)]
    tasks = blocks_to_tasks(segments_of(lines), labels, 2023)
    assert [(line, t.lead, t.timing.due) for line, t in tasks] == [(2, ["Công an tỉnh"], "2023-04-15")]
    assert blocks_to_tasks(segments_of(lines), [("HEADING", 1.0), ("OTHER", 0.95), ("OTHER", 0.95)], 2023) == []


@pytest.mark.parametrize("top, drafted", [("II. MỤC TIÊU, NHIỆM VỤ CỤ THỂ", 1), ("II. MỤC TIÊU VÀ GIẢI PHÁP", 1),
                                          ("I. MỤC TIÊU", 0), ("I. MỤC ĐÍCH, YÊU CẦU", 0),
                                          ("III. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", 0)])
def test_items_under_aims_or_results_are_no_tasks_but_a_section_of_aims_and_tasks_holds_tasks(top, drafted):
    lines = [Line(1, top, strong=True), Line(2, "1. Mục tiêu 1: Phát triển thương mại điện tử", strong=True),
             Line(3, "", cells=["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"]),
             Line(4, "", cells=["1", "Rà soát thủ tục hành chính khi khai thác dữ liệu dân cư", "Văn phòng Sở",
                                "Quý II/2026"])]
    segments = segments_of(lines)
    gold = ["HEADING", "HEADING", "OTHER", "OTHER", "OTHER", "OTHER", "OTHER", "TASK_START", "LEAD", "TIME"]
    tasks = blocks_to_tasks(segments, GoldLabeller(gold).label(segments), 2026)
    assert len(tasks) == drafted
    if drafted:
        assert tasks[0][1].lead == ["Văn phòng Sở"] and tasks[0][1].timing.raw == "Quý II/2026"
