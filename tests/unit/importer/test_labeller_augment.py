"""Training copies that keep a reading true: a table flattened one cell per line, a table without its header."""
from importer.labeller.alignment import align
from importer.labeller.augment import augmented, flattened, headless
from importer.labeller.features import sequence_features
from importer.labeller.segments import segments_of
from importer.read.lines import Line

READING = {"tasks": [
    {"content_start": "Rà soát hộ nghèo chưa có tài khoản ngân hàng", "lead": ["Công an xã"],
     "support": ["Bưu điện xã"], "timing": {"raw": "Tháng 11/2025"}},
]}
TABLE = [
    Line(1, "II. NHIỆM VỤ", strong=True),
    Line(2, "Giao các đơn vị thực hiện. Công an xã chủ trì."),
    Line(3, "", cells=["TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"]),
    Line(4, "", cells=["1", "Rà soát hộ nghèo chưa có tài khoản ngân hàng", "Công an xã", "Bưu điện xã", "Tháng 11/2025"]),
]


def test_a_flattened_table_puts_every_cell_on_a_line_of_its_own_with_its_label_kept():
    segments = segments_of(TABLE)
    labels = align(segments, READING)
    flat = flattened(segments)
    assert [s.text for s in flat] == [s.text for s in segments]
    assert all(s.cell is None and s.header == "" and s.row == () for s in flat)
    cells = [s.line for s in flat[-10:]]  # ten cells, ten lines, in order
    assert cells == sorted(set(cells)) and len(cells) == 10
    assert flat[0].line != flat[1].line and flat[0].strong
    copies = dict(zip(("flattened", "headless"), augmented(segments, labels)))
    assert copies["flattened"][1] == labels
    assert labels[-5:] == ["OTHER", "TASK_START", "LEAD", "SUPPORT", "TIME"]


def test_segments_sharing_a_line_outside_tables_keep_sharing_it_when_flattened():
    lines = [Line(1, "Công an xã chủ trì, rà soát hộ nghèo. Đoàn Thanh niên xã chủ trì, vận động thanh niên."),
             Line(2, "", cells=["1", "Rà soát"])]
    segments = segments_of(lines)
    assert len(segments) == 4 and segments[0].line == segments[1].line
    flat = flattened(segments)
    assert flat[0].line == flat[1].line != flat[2].line != flat[3].line


def test_a_headless_table_keeps_rows_and_cells_but_no_column_header_feature():
    segments = segments_of(TABLE)
    lost = headless(segments)
    assert [(s.line, s.cell, s.text) for s in lost] == [(s.line, s.cell, s.text) for s in segments]
    assert segments[-2].header == "Phối hợp" and all(s.header == "" for s in lost)
    assert any(k.startswith("hdr:") for k in sequence_features(segments)[-2])
    assert not any(k.startswith("hdr:") for f in sequence_features(lost) for k in f)


def test_a_rendition_without_a_table_gives_no_copies():
    segments = segments_of(TABLE[:2])
    assert augmented(segments, ["HEADING", "OTHER"]) == []
