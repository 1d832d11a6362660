"""Word 97-2003 (.doc) through antiword: the corpus plans saved as .doc read like their .docx; a table antiword
writes as cell marks is rebuilt; list levels, which antiword leaves out, come from wvWare; without antiword, or
when it fails or overruns, a one-line reason with the way out."""
from __future__ import annotations

import json
import shutil

import pytest

from importer import PlanImportError, import_document
from importer.read import doc_reader
from importer.read.doc_levels import ListItem, list_items
from importer.read.doc_reader import _run, docbook_lines, marked_rows
from importer.read.readers import read_document
from tests.fixtures.plans.compound_files import word97_document

from .plan_cases import PLANS, assert_header, assert_scores, entry_id, manifest_entries

DOC = PLANS / "doc"
ENTRIES = manifest_entries(DOC / "manifest.json")
needs_antiword = pytest.mark.skipif(shutil.which("antiword") is None,
                                    reason="antiword is not installed (make install installs it as root with apt)")
needs_wvware = pytest.mark.skipif(shutil.which("wvWare") is None,
                                  reason="wv (wvWare) is not installed (make install installs it as root with apt)")
KNOWN_GAPS: dict[str, str] = {}  # rendition -> why it does not yet read like its .docx (a strict xfail)


def _case(entry):
    gap = KNOWN_GAPS.get(entry_id(entry))
    return pytest.param(entry, id=entry_id(entry), marks=[pytest.mark.xfail(reason=gap, strict=True)] if gap else [])


@needs_antiword
@pytest.mark.parametrize("entry", [_case(e) for e in ENTRIES])
def test_a_plan_saved_as_doc_imports_like_its_docx(entry):
    draft = import_document(entry["path"].read_bytes(), entry["path"].name)
    expected = json.loads(entry["reading_path"].read_text(encoding="utf-8"))
    assert_scores(draft, expected, all_found=True)
    assert_header(draft, expected)


@needs_antiword
def test_a_doc_gives_the_lines_its_docx_gives():
    doc, _ = read_document((DOC / "vinh-tuy-ward-plan-2025.doc").read_bytes(), "plan.doc")
    docx, _ = read_document((PLANS / "corpus" / "vinh-tuy-ward-plan-2025.docx").read_bytes(), "plan.docx")
    assert [(line.text, line.cells, line.strong) for line in doc][1:] == \
        [(line.text, line.cells, line.strong) for line in docx][1:]


@needs_antiword
def test_a_seven_column_table_antiword_writes_as_cell_marks_comes_back_as_rows():
    lines, _ = read_document((DOC / "phu-lap-commune-plan-2025.doc").read_bytes(), "plan.doc")
    rows = [line.cells for line in lines if line.cells and len(line.cells) == 7]
    assert rows[0] == ["STT", "Nội dung công việc", "Quý I", "Quý II", "Quý III", "Quý IV", "Đơn vị chủ trì"]
    assert rows[2] == ["2", "Số hóa sổ hộ tịch lưu trữ tại UBND xã", "", "x", "x", "", "Công chức Tư pháp - Hộ tịch"]
    after = lines[[line.cells for line in lines].index(rows[-1]) + 1]
    assert (after.text, after.strong) == ("II. TỔ CHỨC THỰC HIỆN", True)  # the heading run on after the table


def test_cell_marks_part_rows_at_the_empty_mark_closing_each_row():
    text = "STT |Nội dung |Chủ trì |Quý I | |1 |Rà soát |Công an xã | | |2 |Số hóa | |x | |Tiếp theo"
    assert marked_rows(text) == ([["STT", "Nội dung", "Chủ trì", "Quý I"], ["1", "Rà soát", "Công an xã", ""],
                                  ["2", "Số hóa", "", "x"]], "Tiếp theo")
    assert marked_rows("Công an xã | Đoàn Thanh niên | Hội Phụ nữ") is None  # a sentence with bars is not a table


def test_without_antiword_a_doc_is_refused_with_the_way_out(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(PlanImportError) as info:
        import_document((DOC / "vinh-tuy-ward-plan-2025.doc").read_bytes(), "plan.doc")
    assert "no converter, antiword, is installed" in info.value.reason and "save it as .docx" in info.value.reason
    assert "\n" not in info.value.reason


@needs_antiword
def test_a_doc_antiword_cannot_read_says_why_and_the_way_out():
    with pytest.raises(PlanImportError) as info:
        import_document(word97_document(), "plan.doc")
    assert "antiword could not read (I'm afraid the text stream" in info.value.reason
    assert "save it as .docx" in info.value.reason and "\n" not in info.value.reason


def test_the_converter_is_stopped_at_its_time_limit_and_its_output_cap(tmp_path):
    with open(tmp_path / "stderr", "w+b") as errors:
        with pytest.raises(PlanImportError, match="did not convert within 0.5 s"):
            _run(["sleep", "30"], errors, home=str(tmp_path), seconds=0.5)
        with pytest.raises(PlanImportError, match="runs past 100,000 bytes"):
            _run(["yes"], errors, home=str(tmp_path), limit=100_000)
        assert _run(["printf", "ok"], errors, home=str(tmp_path)) == (0, b"ok")


def test_a_converter_that_closes_its_output_before_it_exits_is_waited_for_not_killed(tmp_path):
    """antiword closes its output an instant before it exits: a run read to its end must keep its own exit status."""
    with open(tmp_path / "stderr", "w+b") as errors:
        command = ["sh", "-c", "printf ok; exec 1>&-; sleep 0.3; exit 0"]
        assert _run(command, errors, home=str(tmp_path)) == (0, b"ok")
        with pytest.raises(PlanImportError, match="did not convert within 0.2 s"):
            _run(["sh", "-c", "exec 1>&-; sleep 5"], errors, home=str(tmp_path), seconds=0.2)


def test_docbook_with_a_page_break_and_a_merged_row_reads_as_lines_and_padded_cells():
    from importer.read.doc_reader import docbook_lines

    xml = ("<book><chapter><para><emphasis role='bold'>I. NHIỆM VỤ</emphasis></para><para>Trang một\x0c</para>"
           "<para><informaltable><tgroup cols='3'><tbody><row><entry>TT</entry><entry>Nội dung</entry>"
           "<entry>Chủ trì</entry></row></tbody></tgroup><tgroup cols='1'><tbody><row><entry>I. NHÓM</entry></row>"
           "</tbody></tgroup></informaltable></para><orderedlist numeration='loweralpha'><listitem><para>Rà soát"
           "</para></listitem><listitem><para>Số hóa</para></listitem></orderedlist></chapter></book>").encode()
    lines, _ = docbook_lines(xml)
    assert [(line.text, line.cells, line.strong) for line in lines] == [
        ("I. NHIỆM VỤ", None, True), ("Trang một", None, False),
        ("TT\tNội dung\tChủ trì", ["TT", "Nội dung", "Chủ trì"], False),
        ("I. NHÓM\t\t", ["I. NHÓM", "", ""], False), ("a) Rà soát", None, False), ("b) Số hóa", None, False)]


@needs_antiword
def test_tiendo_plans_import_drafts_a_doc_like_its_docx(capsys):
    from services.plans.entrypoints.import_cli import main

    drafts = []
    for path in (DOC / "lao-cai-province-decision-2025.doc", PLANS / "corpus" / "lao-cai-province-decision-2025.docx"):
        assert main([str(path), "--json"]) == 0
        drafts.append(json.loads(capsys.readouterr().out))
    doc, docx = ([(t["content"], t["lead"], t["support"], t["timing"]["due"]) for t in d["tasks"]] for d in drafts)
    assert doc == docx and len(doc) == 8
    assert drafts[0]["plan"]["number"] == drafts[1]["plan"]["number"] == "1254/QĐ-UBND"


def _texts(path):
    return [line.text for line in read_document(path.read_bytes(), path.name)[0] if not line.cells]


@needs_antiword
@needs_wvware
@pytest.mark.parametrize("name", ["ha-tinh-science-dept-plan-2026.multilevel", "ca-mau-province-plan-2025",
                                  "ha-giang-education-dept-plan-2024"])
def test_a_nested_list_in_a_doc_reads_with_its_levels_like_its_docx(name):
    docx = next(PLANS.rglob(f"{name}.docx"))
    assert _texts(DOC / f"{name}.doc") == _texts(docx)


@needs_antiword
@needs_wvware
def test_the_multilevel_doc_numbers_its_quarters_and_their_items():
    texts = _texts(DOC / "ha-tinh-science-dept-plan-2026.multilevel.doc")
    assert [t.split(" ", 1)[0] for t in texts if t.startswith(("1", "2", "3", "4"))] == \
        ["1.", "1.1.", "1.2.", "2.", "2.1.", "2.2.", "3.", "3.1.", "3.2.", "4.", "4.1.", "4.2."]


@needs_antiword
@needs_wvware
def test_wvware_held_to_its_memory_cap_leaves_the_flat_list(monkeypatch):
    monkeypatch.setattr(doc_reader, "WVWARE_MEMORY_KB", 1024)  # too little for wvWare to start
    texts = _texts(DOC / "ha-tinh-science-dept-plan-2026.multilevel.doc")
    assert "2. Phòng Chuyển đổi số" in " ".join(texts) and not any(t.startswith("1.1.") for t in texts)


def test_without_wvware_a_doc_reads_as_antiword_gives_it(monkeypatch):
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    assert doc_reader._wvware_items(b"any") is None


# wvWare's HTML as it writes a list with sub-lists: every level reopened when the list changes, a <ul> closed with
# </ol>, <li> values restarted after a sub-list.
WV_HTML = """<html><head><title>Untitled</title></head><body><p>II. NHIỆM VỤ</p>
<ol type="1"><li value="1"><p>Rà soát dữ liệu</p></li>
</ol><ul><ul><li value="1"><p>Chủ trì: Công an xã.</p></li><li value="2"><p>Thời hạn: Quý I.</p></li>
</ol><li value="1"><p>Số hóa hồ sơ</p></li>
</ol><ol type="a"><ol type="a"><li value="1"><p>Hộ tịch</p></li>
</ol></ol><p>III. TỔ CHỨC</p><ol type="1"><li value="1"><p>Báo cáo</p></li></ol></body></html>"""


def test_wvware_items_take_their_level_from_depth_and_kind_from_the_list_opened_for_them():
    assert list_items(WV_HTML) == [
        ListItem(0, "arabic", True, "Ràsoátdữliệu"), ListItem(1, "bullet", False, "Chủtrì:Cônganxã."),
        ListItem(1, "bullet", False, "Thờihạn:QuýI."), ListItem(0, "arabic", False, "Sốhóahồsơ"),
        ListItem(1, "loweralpha", False, "Hộtịch"), ListItem(0, "arabic", True, "Báocáo")]


def test_levels_from_wvware_label_antiwords_items_and_a_run_without_sub_items_keeps_antiwords_numbers():
    xml = ("<book><chapter><para>II. NHIỆM VỤ</para><orderedlist numeration='arabic'>"
           + "".join(f"<listitem><para>{t}</para></listitem>" for t in
                     ("Rà soát dữ liệu", "Chủ trì: Công an xã.", "Thời hạn: Quý I.", "Số hóa hồ sơ", "Hộ tịch"))
           + "</orderedlist><para>III. TỔ CHỨC</para><orderedlist numeration='arabic' continuation='continues'>"
           "<listitem><para>Báo cáo</para></listitem></orderedlist></chapter></book>").encode()
    lines, _ = docbook_lines(xml, list_items(WV_HTML))
    assert [line.text for line in lines] == ["II. NHIỆM VỤ", "1. Rà soát dữ liệu", "- Chủ trì: Công an xã.",
                                             "- Thời hạn: Quý I.", "2. Số hóa hồ sơ", "a) Hộ tịch", "III. TỔ CHỨC",
                                             "6. Báo cáo"]  # antiword's count, continued: its run has no sub-item


def test_levels_are_not_taken_when_wvwares_items_are_not_antiwords():
    xml = ("<book><chapter><orderedlist numeration='arabic'><listitem><para>Rà soát</para></listitem>"
           "<listitem><para>Số hóa</para></listitem></orderedlist></chapter></book>").encode()
    other = [ListItem(0, "arabic", True, "Ràsoát"), ListItem(1, "arabic", False, "Sốhóahồsơ")]
    lines, _ = docbook_lines(xml, other)
    assert [line.text for line in lines] == ["1. Rà soát", "2. Số hóa"]
