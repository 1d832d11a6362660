"""The labeller on layouts it never saw: the word labeller that reads the fields inside a task's first line
(importer/labeller/spans.py), how a sentence opens as a line feature, a table row's cells around its task (a mark
cell after it, a lead cell before it), and the rules' reading mended by the labeller's (a missing time, a kept
bullet)."""
from importer.draft.model import DraftTask, Timing
from importer.labeller.alignment import align
from importer.labeller.blocks import blocks_to_tasks
from importer.labeller.combine import combine
from importer.labeller.features import own_features, sequence_features
from importer.labeller.model import shipped
from importer.labeller.segments import Segment, segments_of
from importer.labeller.spans import read_spans, span_labels, tokens, words_reading
from importer.read.lines import Line
from importer.vocabulary.agencies import is_head

LINE = "Rà soát hộ nghèo chưa có tài khoản ngân hàng – phụ trách: Công an xã; p/h: Bưu điện xã; hạn: 30/6/2026."
TASK = {"content_start": "Rà soát hộ nghèo chưa có tài khoản ngân hàng", "lead": ["Công an xã"],
        "support": ["Bưu điện xã"], "timing": {"raw": "30/6/2026"}}


def _labels(text, labels):
    return list(zip([word for word, _, _ in tokens(text)], labels))


def test_the_words_of_a_task_line_are_labelled_from_its_reading_and_the_words_that_introduce_a_field_are_none():
    labels = dict(_labels(LINE, span_labels(LINE, TASK, set())))
    assert [labels[w] for w in ("Rà", "hàng", "phụ", "trách", "Công", "xã", "p/h", "Bưu", "hạn", "30/6/2026")] == [
        "TASK", "TASK", "OTHER", "OTHER", "LEAD", "SUPPORT", "OTHER", "SUPPORT", "OTHER", "TIME"]


def test_a_line_that_holds_a_field_in_a_form_the_reading_does_not_spell_teaches_nothing():
    short = LINE.replace("Công an xã", "CA xã")
    assert span_labels(short, TASK, set()) is None  # the lead is in neither this line nor another line of the task
    assert span_labels(short, TASK, {"LEAD"}) is not None  # the lead is on a line of its own: this line has none


def test_partners_without_a_lead_read_the_sentences_subject_as_the_lead():
    text = "Định kỳ hằng tháng, Công an phường rà soát công dân, phối hợp với Ban điều hành tổ dân phố."
    words = [w for w, _, _ in tokens(text)]
    labelled = [("TIME", 0.9)] * 4 + [("OTHER", 0.9)] + [("SUPPORT", 0.6)] * 3 + [("TASK", 0.9)] * 4 + \
        [("OTHER", 0.9)] * 4 + [("SUPPORT", 0.9)] * 6 + [("OTHER", 0.9)]
    assert len(labelled) == len(words)
    runs = read_spans(text, labelled, tokens(text))
    assert runs["LEAD"] == ["Công an phường"] and runs["SUPPORT"] == ["Ban điều hành tổ dân phố"]
    assert runs["TIME"] == ["Định kỳ hằng tháng"]


def _stub(labels_by_word, p=0.95):
    def words(text):
        return [(labels_by_word.get(word, "OTHER"), p) for word, _, _ in tokens(text)]
    return words


SLASHED = "Rà soát hộ nghèo chưa có tài khoản ngân hàng / CA xã / tháng 6/2026"
WORDS = {**{w: "TASK" for w in "Rà soát hộ nghèo chưa có tài khoản ngân hàng".split()}, "CA": "LEAD", "xã": "LEAD",
         "tháng": "TIME", "6/2026": "TIME"}


def test_a_block_the_line_readings_find_no_lead_in_is_read_from_the_words_of_its_first_line():
    segments = segments_of([Line(1, "I. NHIỆM VỤ", strong=True), Line(2, SLASHED)])
    labels = [("HEADING", 1.0), ("TASK_START", 1.0)]
    assert blocks_to_tasks(segments, labels, 2026) == []  # without the word labeller: no lead, no task
    tasks = blocks_to_tasks(segments, labels, 2026, words=_stub(WORDS))
    assert [(t.content, t.lead, t.timing.due) for _, t in tasks] == [
        ("Rà soát hộ nghèo chưa có tài khoản ngân hàng", ["CA xã"], "2026-06-30")]


def test_a_lead_the_vocabulary_does_not_know_needs_sure_words():
    text = SLASHED.replace("CA xã", "nhóm tình nguyện")
    assert not is_head("nhóm tình nguyện")
    block = [(Segment(2, text), "TASK_START")]
    labels = {**WORDS, "nhóm": "LEAD", "tình": "LEAD", "nguyện": "LEAD"}
    assert words_reading(1, block, 2026, "", _stub(labels, p=0.5)) is None
    assert words_reading(1, block, 2026, "", _stub(labels, p=0.95)).lead == ["nhóm tình nguyện"]


def test_the_shipped_word_model_reads_a_lead_and_a_time_written_after_the_task():
    labels = dict(_labels(LINE, [label for label, _ in shipped().words(LINE)]))
    assert (labels["Rà"], labels["Công"], labels["30/6/2026"]) == ("TASK", "LEAD", "TIME")


def test_a_mark_cell_of_the_tasks_row_leaves_its_block_open():
    rows = [Line(1, "", cells=["STT", "Nội dung", "Tháng 1", "Tháng 2", "Đơn vị chủ trì", "Đơn vị phối hợp"]),
            Line(2, "", cells=["1", "Rà soát hộ nghèo chưa có tài khoản", "X", "", "Công an xã", "Bưu điện xã"])]
    segments = segments_of(rows)
    labels = [("OTHER", 1.0)] * 6 + [("OTHER", 1.0), ("TASK_START", 1.0), ("OTHER", 1.0), ("LEAD", 1.0),
                                      ("SUPPORT", 1.0)]
    tasks = blocks_to_tasks(segments, labels, 2026)
    assert [(t.lead, t.support) for _, t in tasks] == [(["Công an xã"], ["Bưu điện xã"])]


def test_features_say_how_a_sentence_opens_and_which_field_a_rows_label_cell_names():
    def shape(text):
        f = own_features(Segment(1, text), 0.5)
        return [k for k in ("verb-open", "subject-verb", "time-open", "label-only") if f[k]]

    assert shape("1. Rà soát, cập nhật dữ liệu") == ["verb-open"]
    assert shape("Công an xã tổ chức cấp căn cước lưu động") == ["subject-verb"]
    assert shape("a) Định kỳ hằng tháng, Công an phường rà soát công dân") == ["time-open"]
    assert shape("Đơn vị chủ trì") == ["label-only"]
    row = segments_of([Line(1, "", cells=["Đơn vị chủ trì", "Công an phường"])])
    assert sequence_features(row)[1]["row-label"] == "lead"


def _task(content, line_time=None):
    return DraftTask(code="1", content=content, lead=["Công an xã"],
                     timing=Timing(raw=line_time, due="2026-06-30") if line_time else Timing())


def test_a_rule_task_without_a_time_takes_the_time_of_the_labellers_reading_of_the_same_line():
    rules = [(4, _task("Rà soát hộ nghèo chưa có tài khoản ngân hàng")), (6, _task("Vận động thanh niên cài VNeID"))]
    proposed = [(4, _task("Rà soát hộ nghèo chưa có tài khoản ngân hàng", "Tháng 6/2026")),
                (9, _task("Vận động thanh niên cài VNeID ở các thôn", "Tháng 6/2026"))]
    read = [(t.content[:10], t.timing.due) for _, t in combine(rules, lambda: proposed, "prefer")]
    assert read == [("Rà soát hộ", "2026-06-30"), ("Vận động t", None)]  # another line's task gives no time


LEAD_FIRST = [Line(1, "", cells=["TT", "Đầu mối thực hiện", "Nội dung triển khai", "Mốc hoàn thành"]),
              Line(2, "", cells=["1", "Văn phòng UBND tỉnh", "Công bố danh mục thủ tục hành chính", "Quý II/2026"])]


def test_a_rows_lead_cell_before_its_task_is_labelled_and_read_with_it():
    reading = {"tasks": [{"content_start": "Công bố danh mục thủ tục hành chính", "lead": ["Văn phòng UBND tỉnh"],
                          "support": [], "timing": {"raw": "Quý II/2026"}}]}
    segments = segments_of(LEAD_FIRST)
    assert align(segments, reading)[4:] == ["OTHER", "LEAD", "TASK_START", "TIME"]
    labels = [("OTHER", 1.0)] * 5 + [("LEAD", 0.9), ("TASK_START", 0.9), ("TIME", 0.9)]
    tasks = blocks_to_tasks(segments, labels, 2026)
    assert [(t.content, t.lead, t.timing.due) for _, t in tasks] == [
        ("Công bố danh mục thủ tục hành chính", ["Văn phòng UBND tỉnh"], "2026-06-30")]


def test_a_rule_task_that_kept_a_bullet_before_the_task_is_read_as_the_labeller_reads_it():
    text = "Tích hợp giấy phép lái xe, đăng ký xe vào ứng dụng VNeID cho người dân"
    rules = [(3, _task("- " + text + " (hoàn thành trước 30/9/2026)"))]
    proposed = [(3, _task(text))]
    assert [t.content for _, t in combine(rules, lambda: proposed, "prefer")] == [text]


def test_dashed_items_in_one_cell_are_one_task_each_and_dashed_lines_under_a_task_are_its_points():
    cell = ("- Theo dõi, tổng hợp kết quả thực hiện Đề án 06 (hằng tháng); "
            "- Tham mưu sơ kết 6 tháng thực hiện Đề án 06 (trước ngày 10/6/2026).")
    rows = [Line(1, "", cells=["Đơn vị chủ trì", "Nhiệm vụ"]), Line(2, "", cells=["Phòng Tham mưu", cell])]
    labels = [("OTHER", 1.0)] * 2 + [("LEAD", 0.9), ("TASK_START", 0.9)]
    tasks = blocks_to_tasks(segments_of(rows), labels, 2026)
    assert [(t.content[:9], t.lead, t.timing.due, t.timing.recurring) for _, t in tasks] == [
        ("Theo dõi,", ["Phòng Tham mưu"], None, True), ("Tham mưu ", ["Phòng Tham mưu"], "2026-06-10", False)]
    lines = [Line(1, "1. Công an xã chủ trì rà soát dữ liệu dân cư, gồm:"), Line(2, "- hộ khẩu cũ;"),
             Line(3, "- tạm trú.")]
    tasks = blocks_to_tasks(segments_of(lines), [("TASK_START", 0.9), ("TASK_CONT", 0.9), ("TASK_CONT", 0.9)], 2026)
    assert len(tasks) == 1
