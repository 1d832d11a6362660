"""Web pages' and posts' list bullets, emoji and related-news tails, each normalisation step on its own
(read/markup.py), and the three web copies of corpus plans read like their .docx."""
import json
from pathlib import Path

from importer import import_document
from importer.read.markup import cut_page_tail, strip_markup
from importer.read.normalise import normalise_lines

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"


def test_a_bullet_or_emoji_before_a_sentence_is_a_dash_item():
    assert strip_markup("• Rà soát dữ liệu dân cư.") == "- Rà soát dữ liệu dân cư."
    assert strip_markup("\u00a0\u00a0\u00a0\u00a0◦\u00a0Chủ trì: Phòng Giáo dục Trung học.") == "    - Chủ trì: Phòng Giáo dục Trung học."
    assert strip_markup("✅ Rà soát thông tin cư trú (hoàn thành trước 30/9/2025).") == "- Rà soát thông tin cư trú (hoàn thành trước 30/9/2025)."
    assert strip_markup("▪️ Cấp căn cước lưu động – Công an xã – Quý III/2025") == "- Cấp căn cước lưu động – Công an xã – Quý III/2025"


def test_a_bullet_or_emoji_before_a_heading_is_decoration():
    assert strip_markup("🔴 I. PHÂN CÔNG NHIỆM VỤ") == "I. PHÂN CÔNG NHIỆM VỤ"
    assert strip_markup("📢📢 KẾ HOẠCH") == "KẾ HOẠCH"
    assert strip_markup("🔴 Giao Công an phường:") == "Giao Công an phường:"
    assert strip_markup("👉 2. Văn phòng UBND xã") == "2. Văn phòng UBND xã"
    assert strip_markup("3️⃣ Tổ chức tuyên truyền.") == "3. Tổ chức tuyên truyền."


def test_lines_without_a_bullet_are_untouched():
    for line in ("- Chủ trì: Công an xã", "(Kèm theo Quyết định số 12/QĐ-UBND)", "“Ngày hội VNeID”", "1. Rà soát.", "| a | b |",
                 "© Bản quyền thuộc Cổng thông tin điện tử tỉnh"):
        assert strip_markup(line) == line


def test_a_web_pages_related_news_after_the_document_is_cut():
    body = ["KẾ HOẠCH", "1. Rà soát dữ liệu.", "- Chủ trì: Công an xã.", "- Thời hạn: Quý II/2025.", "III. TỔ CHỨC THỰC HIỆN",
            "Các đơn vị báo cáo trước ngày 15 hằng tháng."]
    tail = ["Chia sẻ: Facebook Zalo", "Tin liên quan", "• Hội nghị sơ kết Đề án 06 (10/07/2024)"]
    assert cut_page_tail(body + tail) == body + tail[:1]
    assert cut_page_tail(["Tin liên quan"] + body) == ["Tin liên quan"] + body  # not in the last third: a line of the plan
    assert normalise_lines(body + tail)[-1] == "Chia sẻ: Facebook Zalo"


def _web_copies():
    return json.loads((PLANS / "web" / "manifest.json").read_text(encoding="utf-8"))


def test_each_web_copy_drafts_the_tasks_of_its_docx():
    for entry in _web_copies():
        copy = import_document((PLANS / entry["file"]).read_bytes(), entry["file"])
        docx = PLANS / entry["reading"].replace(".expected.json", ".docx")
        original = import_document(docx.read_bytes(), docx.name)
        assert [(t.lead, t.timing.due, t.timing.recurring) for t in copy.tasks] == \
            [(t.lead, t.timing.due, t.timing.recurring) for t in original.tasks], entry["file"]
        assert (copy.plan.number, copy.plan.issued_on) == (original.plan.number, original.plan.issued_on)
