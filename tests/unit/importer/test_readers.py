"""Reading .docx (paragraphs, tables, Word list numbering), .pdf and .xlsx."""

import io
import json

import docx
import openpyxl
import pytest

from importer import import_document
from importer.read.readers import read_document

from .pdfgen import make_pdf, wrap
from .scoring import score

from tests.support.seeds import SEEDS


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _header(document):
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nHUYỆN BẢO LÂM\nSố: 77/KH-UBND"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBảo Lâm, ngày 5 tháng 6 năm 2023"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Triển khai Đề án 06 năm 2023")
    document.add_paragraph("Căn cứ Kế hoạch số 45/KH-UBND ngày 01/3/2023 của UBND tỉnh;")


def test_docx_paragraphs_with_word_list_numbering_become_tasks():
    def build(document):
        _header(document)
        document.add_paragraph("I. NHIỆM VỤ CỤ THỂ")
        for quarter in (3, 4):
            document.add_paragraph(f"Làm sạch dữ liệu dân cư đợt {quarter}", style="List Number")
            document.add_paragraph("Cơ quan chủ trì: Công an huyện")
            document.add_paragraph("Cơ quan phối hợp: Phòng Tư pháp, UBND các xã, thị trấn")
            document.add_paragraph(f"Thời gian hoàn thành: Quý {quarter}/2023")

    draft = import_document(_docx(build), "plan.docx")
    assert draft.plan.number == "77/KH-UBND"
    assert draft.plan.issuer == "UBND huyện Bảo Lâm"
    assert draft.plan.issued_on == "2023-06-05"
    assert draft.plan.references == ["45/KH-UBND"]
    assert [t.content for t in draft.tasks] == ["Làm sạch dữ liệu dân cư đợt 3", "Làm sạch dữ liệu dân cư đợt 4"]
    assert [t.code for t in draft.tasks] == ["I.1", "I.2"]  # numbers rebuilt from numbering.xml
    assert [t.timing.due for t in draft.tasks] == ["2023-09-30", "2023-12-31"]
    assert draft.tasks[0].support == ["Phòng Tư pháp", "UBND các xã, thị trấn"]


def test_docx_task_table_with_two_header_rows_and_merged_cells():
    def build(document):
        _header(document)
        document.add_paragraph("PHỤ LỤC PHÂN CÔNG NHIỆM VỤ")
        table = document.add_table(rows=5, cols=6)
        head = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian", ""]
        for cell, text in zip(table.rows[0].cells, head):
            cell.text = text
        table.cell(0, 4).merge(table.cell(0, 5))
        for cell, text in zip(table.rows[1].cells, ["", "", "", "", "Bắt đầu", "Hoàn thành"]):
            cell.text = text
        group = table.cell(2, 1).merge(table.cell(2, 5))
        group.text = "Nhóm dịch vụ công"
        table.cell(2, 0).text = "I"
        rows = [
            ["1", "Số hóa hồ sơ hộ tịch", "Phòng Tư pháp", "Công an huyện\nUBND các xã", "Tháng 3/2023", "Trước ngày 30/9/2023"],
            ["2", "Tuyên truyền VNeID", "Phòng Văn hóa và Thông tin", "", "", "Thường xuyên"],
        ]
        for r, values in enumerate(rows, start=3):
            for c, text in enumerate(values):
                table.cell(r, c).text = text

    draft = import_document(_docx(build), "plan.docx")
    assert [t.code for t in draft.tasks] == ["Table.1", "Table.2"]
    first, second = draft.tasks
    assert first.section == "Nhóm dịch vụ công"
    assert first.lead == ["Phòng Tư pháp"] and first.support == ["Công an huyện", "UBND các xã"]
    assert (first.timing.start, first.timing.due) == ("2023-03-01", "2023-09-30")
    assert second.timing.recurring and second.support == []


def test_docx_keeps_paragraph_and_table_order():
    def build(document):
        document.add_paragraph("Đoạn một")
        document.add_table(rows=1, cols=3).rows[0].cells[0].text = "ô bảng"
        document.add_paragraph("Đoạn hai")

    lines, _ = read_document(_docx(build), "x.docx")
    texts = [line.text.split("\t")[0] for line in lines if line.text]
    assert texts == ["Đoạn một", "ô bảng", "Đoạn hai"]


def test_xlsx_task_table_is_read():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["KẾ HOẠCH THỰC HIỆN ĐỀ ÁN 06 NĂM 2023"])
    sheet.append(["TT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"])
    sheet.append([1, "Phục vụ giải quyết thủ tục hành chính"])
    sheet.append([1.1, "Kết nối hệ thống một cửa với CSDL dân cư", "Văn phòng UBND huyện", "Công an huyện", "Quý II/2023"])
    sheet.append(["1.2", "Rà soát thủ tục hành chính", "Phòng Tư pháp", None, "Trước ngày 31/5/2023"])
    buf = io.BytesIO()
    book.save(buf)
    draft = import_document(buf.getvalue(), "plan.xlsx")
    assert [(t.code, t.lead, t.timing.due) for t in draft.tasks] == [
        ("Table.1.1", ["Văn phòng UBND huyện"], "2023-06-30"),
        ("Table.1.2", ["Phòng Tư pháp"], "2023-05-31"),
    ]
    assert draft.tasks[0].section == "Phục vụ giải quyết thủ tục hành chính"


def test_corrupted_xlsx_is_unreadable():
    from importer import UnreadableDocument

    book = openpyxl.Workbook()
    buf = io.BytesIO()
    book.save(buf)
    data = buf.getvalue()
    with pytest.raises(UnreadableDocument):
        import_document(data[: len(data) // 2], "plan.xlsx")


def test_pdf_text_layer_with_hard_wraps_and_page_furniture():
    paragraphs = [
        "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH",
        "Số: 12/KH-UBND",
        "Hòa Bình, ngày 10 tháng 4 năm 2023",
        "KẾ HOẠCH",
        "Thực hiện Đề án 06 năm 2023",
        "I. NHIỆM VỤ CỤ THỂ",
        "a) Rà soát, làm sạch dữ liệu dân cư trên địa bàn xã bảo đảm đúng, đủ, sạch, sống, phục vụ kết nối "
        "với cơ sở dữ liệu chuyên ngành của các phòng, ban, ngành trên địa bàn.",
        "- Cơ quan chủ trì: Công an xã.",
        "- Cơ quan phối hợp: Văn phòng UBND xã, công chức Tư pháp - Hộ tịch và các ban, ngành, đoàn thể có liên quan.",
        "- Thời gian hoàn thành: Trong tháng 6 năm 2023.",
        "b) Tuyên truyền, hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức 2.",
        "- Cơ quan chủ trì: Đoàn Thanh niên xã.",
        "- Thời gian thực hiện: Thường xuyên.",
    ]
    lines = [line for p in paragraphs for line in wrap(p, 60)]
    pages = [["Kế hoạch số 12/KH-UBND"] + lines[:9] + ["1"], ["Kế hoạch số 12/KH-UBND"] + lines[9:] + ["2"],
             ["Kế hoạch số 12/KH-UBND", "Nơi nhận: Lưu VT.", "3"]]
    draft = import_document(make_pdf(pages), "plan.pdf")
    assert draft.plan.number == "12/KH-UBND"
    assert [t.code for t in draft.tasks] == ["I.a", "I.b"]
    first = draft.tasks[0]
    assert first.content.endswith("trên địa bàn.")
    assert first.support == ["Văn phòng UBND xã", "công chức Tư pháp - Hộ tịch",
                             "các ban, ngành, đoàn thể có liên quan"]
    assert first.timing.due == "2023-06-30"
    assert draft.tasks[1].timing.recurring
    assert not any("Kế hoạch số 12" in t.content for t in draft.tasks)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not available")
def test_a_seed_exported_to_pdf_scores_like_the_text():
    text = (SEEDS / "ha-quang-district-plan-2022.txt").read_text(encoding="utf-8")
    lines = [line for p in text.splitlines() if p.strip() for line in wrap(p.replace("**", ""), 90)]
    pages = [["UBND huyện Hà Quảng - Kế hoạch 810"] + lines[i:i + 45] + [f"- {n + 1} -"]
             for n, i in enumerate(range(0, len(lines), 45))]
    draft = import_document(make_pdf(pages), "plan.pdf")
    expected = json.loads((SEEDS / "ha-quang-district-plan-2022.expected.json").read_text(encoding="utf-8"))
    result = score(draft, expected)
    assert result["found_rate"] == 1.0 and result["invented"] == []
    assert result["lead_accuracy"] >= 0.95 and result["timing_accuracy"] >= 0.95
    assert draft.plan.title.endswith("huyện Hà Quảng")
