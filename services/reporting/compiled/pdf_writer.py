"""The compiled report as PDF (fpdf2), with DejaVu Serif shipped beside this module for Vietnamese diacritics.

The fonts come from the dejavu-fonts-ttf 2.37.3 package (Bitstream Vera licence with DejaVu changes in
the public domain: fonts/LICENSE); no system font is assumed.
"""
from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from services.reporting.compiled.sections import blocks

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSerif"


def render_pdf(content: dict) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSerif.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSerif-Bold.ttf"))
    pdf.add_font(FAMILY, "I", str(FONTS / "DejaVuSerif-Italic.ttf"))
    pdf.set_title(f"Báo cáo kết quả thực hiện Đề án 06 {content['period_label']}")
    pdf.add_page()
    _letterhead(pdf, content)
    pdf.ln(4)
    _line(pdf, "BÁO CÁO", "B", 13, "C")
    _line(pdf, f"Kết quả thực hiện Đề án 06 {content['period_label']}", "B", 11, "C")
    _line(pdf, f"Kính gửi: {content['recipient']}.", "", 11, "C")
    pdf.ln(2)
    for kind, value in blocks(content):
        if kind == "heading":
            pdf.ln(1)
            _line(pdf, value, "B", 11)
        elif kind == "bullet":
            _line(pdf, f"- {value}", "", 10)
        elif kind == "table":
            _table(pdf, *value)
        else:
            _line(pdf, value, "", 10)
    _signature(pdf, content)
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, style: str, size: int, align: str = "J") -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _letterhead(pdf: FPDF, content: dict) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    half, right = width * 0.4, width * 0.6
    top = pdf.get_y()
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(half, 5, "ỦY BAN NHÂN DÂN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(half, 5, content["issuer"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(half, 6, content["number"], align="C", new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(right, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", align="C",
                   new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "I", 10)
    pdf.multi_cell(right, 6, content["place_date"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(bottom, pdf.get_y()))


def _table(pdf: FPDF, header: list[str], rows: list[list[str]]) -> None:
    pdf.set_font(FAMILY, "", 7 if len(header) > 6 else 9)
    widths = (3,) + (1,) * (len(header) - 1) if len(header) > 6 else None
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=pdf.font_size * 1.5) as table:
        head = table.row()
        for text in header:
            head.cell(text)
        for row in rows:
            line = table.row()
            for text in row:
                line.cell(str(text))
    pdf.ln(1)


def _signature(pdf: FPDF, content: dict) -> None:
    pdf.ln(4)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = pdf.get_y()
    pdf.set_font(FAMILY, "B", 9)
    pdf.multi_cell(half, 5, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(half, 5, "- Như trên;\n- Lưu: VT.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(half, 5, f"TM. ỦY BAN NHÂN DÂN\n{content['signer']}\n\n\n\n{content['head_name']}", align="C")
