"""The compiled report as DOCX (python-docx), in the administrative layout: Times New Roman 13, A4."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from services.reporting.compiled.sections import blocks

FONT = "Times New Roman"


def render_docx(content: dict) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    _letterhead(doc, content)
    _centered(doc, "BÁO CÁO", bold=True, size=14)
    _centered(doc, f"Kết quả thực hiện Đề án 06 {content['period_label']}", bold=True)
    _centered(doc, f"Kính gửi: {content['recipient']}.")
    for kind, value in blocks(content):
        if kind == "heading":
            doc.add_paragraph().add_run(value).bold = True
        elif kind == "bullet":
            doc.add_paragraph(f"- {value}")
        elif kind == "table":
            _table(doc, *value)
        else:
            doc.add_paragraph(value)
    _signature(doc, content)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _letterhead(doc, content: dict) -> None:
    table = doc.add_table(rows=2, cols=2)
    left = ["ỦY BAN NHÂN DÂN", content["issuer"]]
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    for col, lines in ((0, left), (1, right)):
        cell = table.cell(0, col)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for n, line in enumerate(lines):
            run = cell.paragraphs[0].add_run(("\n" if n else "") + line)
            run.bold = n == 1 or col == 1
    table.cell(1, 0).paragraphs[0].add_run(content["number"])
    table.cell(1, 0).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    place = table.cell(1, 1).paragraphs[0]
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.add_run(content["place_date"]).italic = True


def _centered(doc, text: str, *, bold: bool = False, size: int | None = None) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for col, text in enumerate(header):
        cell = table.cell(0, col)
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(10)
    for r, row in enumerate(rows, start=1):
        for col, text in enumerate(row):
            cell = table.cell(r, col)
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).font.size = Pt(10)


def _signature(doc, content: dict) -> None:
    table = doc.add_table(rows=1, cols=2)
    left = table.cell(0, 0).paragraphs[0]
    left.add_run("Nơi nhận:\n").bold = True
    left.add_run("- Như trên;\n- Lưu: VT.").font.size = Pt(11)
    right = table.cell(0, 1).paragraphs[0]
    right.alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.add_run(f"TM. ỦY BAN NHÂN DÂN\n{content['signer']}\n\n\n\n{content['head_name']}").bold = True
