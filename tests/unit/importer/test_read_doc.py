"""Word 97-2003 (.doc) through antiword: the corpus plans saved as .doc read like their .docx; a table antiword
writes as cell marks is rebuilt; without antiword, or when it fails or overruns, a one-line reason with the way out."""
from __future__ import annotations

import json
import shutil

import pytest

from importer import PlanImportError, import_document
from importer.read.doc_reader import _run, marked_rows
from importer.read.readers import read_document
from tests.fixtures.plans.compound_files import word97_document

from .plan_cases import PLANS, assert_header, assert_scores, entry_id, manifest_entries

DOC = PLANS / "doc"
ENTRIES = manifest_entries(DOC / "manifest.json")
needs_antiword = pytest.mark.skipif(shutil.which("antiword") is None,
                                    reason="antiword is not installed (make install installs it as root with apt)")
KNOWN_GAPS = {  # antiword's DocBook keeps no list levels: "1." quarter headings and "1.1." items read as one list
    "ha-tinh-science-dept-plan-2026.multilevel.doc": "a multi-level list's levels are not in antiword's output",
}


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
