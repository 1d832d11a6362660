"""Bad input gives a specific error or a draft with warnings, never a crash."""

import io
import os
import time
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest

from importer import (
    EmptyDocument,
    InputTooLarge,
    NotAPlan,
    PlanImportError,
    UnreadableDocument,
    import_document,
)

PLAN = """ỦY BAN NHÂN DÂN
XÃ HÒA BÌNH
Số: 12/KH-UBND
Hòa Bình, ngày 10 tháng 4 năm 2023
KẾ HOẠCH
Thực hiện Đề án 06 năm 2023
III. NHIỆM VỤ CỤ THỂ
1. Công an xã
1.1. Phối hợp với Văn phòng UBND xã rà soát, làm sạch dữ liệu dân cư.
Thời gian hoàn thành: Quý II năm 2023.
1.2. Hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức 2.
Thời gian thực hiện: Thường xuyên.
"""
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Encode like Windows-1258 editors: base letters plus combining tone marks."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


def assert_reads_plan(data: bytes, name: str = "plan.txt"):
    draft = import_document(data, name)
    assert draft.plan.number == "12/KH-UBND"
    assert [t.timing.due for t in draft.tasks] == ["2023-06-30", None]
    assert draft.tasks[0].lead == ["Công an xã"]
    assert draft.tasks[0].support == ["Văn phòng UBND xã"]
    return draft


def test_empty_file_is_an_empty_document():
    with pytest.raises(EmptyDocument):
        import_document(b"", "plan.txt")
    with pytest.raises(EmptyDocument):
        import_document(b"  \r\n\t\n", "plan.txt")


def test_binary_file_is_unreadable():
    with pytest.raises(UnreadableDocument) as info:
        import_document(os.urandom(4096) + b"\x00\x00", "plan.txt")
    assert "\n" not in info.value.reason


def test_random_bytes_without_nul_are_unreadable_or_not_a_plan():
    data = bytes(range(128, 256)) * 64
    with pytest.raises(PlanImportError):
        import_document(data, "plan.txt")


def test_corrupted_docx_is_unreadable():
    with pytest.raises(UnreadableDocument):
        import_document(b"PK\x03\x04 this is not really a zip", "plan.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<not xml")
    with pytest.raises(UnreadableDocument):
        import_document(buf.getvalue(), "plan.docx")


def test_a_docx_name_on_plain_garbage_is_unreadable():
    with pytest.raises(UnreadableDocument):
        import_document(b"hello", "plan.docx")


def test_corrupted_pdf_is_unreadable():
    with pytest.raises(UnreadableDocument):
        import_document(b"%PDF-1.4\n garbage without objects", "plan.pdf")


def test_legacy_word_file_is_unreadable_with_a_hint():
    with pytest.raises(UnreadableDocument) as info:
        import_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "plan.doc")
    assert ".docx" in info.value.reason


def test_docx_without_paragraphs_is_an_empty_document():
    buf = io.BytesIO()
    docx.Document().save(buf)
    with pytest.raises(EmptyDocument):
        import_document(buf.getvalue(), "empty.docx")


def test_text_that_is_not_a_plan_is_rejected():
    text = "Hôm nay trời đẹp. Chúng tôi đi dạo trong công viên và ăn kem.\n" * 40
    with pytest.raises(NotAPlan):
        import_document(text.encode(), "story.txt")


def test_a_plan_without_tasks_is_refused_with_its_reason():
    with pytest.raises(NotAPlan) as info:
        import_document("KẾ HOẠCH\nTriển khai Đề án 06\nI. MỤC ĐÍCH\nNâng cao nhận thức.\n".encode(), "p.txt")
    assert "no tasks" in info.value.reason


def test_a_report_is_refused_as_a_report():
    text = "ỦY BAN NHÂN DÂN\nSố: 12/BC-UBND\nBÁO CÁO\nKết quả thực hiện Đề án 06\nI. KẾT QUẢ\nĐã cấp 500 căn cước.\n"
    with pytest.raises(NotAPlan) as info:
        import_document(text.encode(), "bc.txt")
    assert "report" in info.value.reason


def test_a_decision_without_tasks_is_refused_as_such():
    text = "Số: 12/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc kiện toàn Tổ công tác\nĐiều 1. Kiện toàn Tổ công tác Đề án 06.\n"
    with pytest.raises(NotAPlan) as info:
        import_document(text.encode(), "qd.txt")
    assert "decision" in info.value.reason


def test_a_scanned_pdf_without_a_text_layer_asks_for_ocr():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(EmptyDocument) as info:
        import_document(buf.getvalue(), "scan.pdf")
    assert "no text layer" in info.value.reason and "OCR" in info.value.reason


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="mat-khau", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(UnreadableDocument) as info:
        import_document(buf.getvalue(), "locked.pdf")
    assert "password" in info.value.reason


def _bomb(xml_bytes: int) -> bytes:
    """A .docx whose document.xml unpacks to `xml_bytes` (spaces compress about 1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b" " * (1024 * 1024)
            for _ in range(xml_bytes // len(block)):
                part.write(block)
    return buf.getvalue()


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return _bomb(190 * 1024 * 1024)


def test_a_small_docx_holding_190_mb_of_xml_is_refused_fast(docx_bomb):
    assert len(docx_bomb) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(InputTooLarge) as info:
        import_document(docx_bomb, "bomb.docx")
    assert time.perf_counter() - started < 1
    assert "unpacks to more than" in info.value.reason


def test_an_xml_part_larger_than_its_header_says_is_never_unpacked_past_its_header():
    from importer.read.containers import MAX_XML_PART_BYTES, _measure

    data = _bomb(MAX_XML_PART_BYTES + 2 * 1024 * 1024)
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("word/document.xml")
    info.file_size = 1000  # a header that lies: reading stops at the declared size and the CRC fails
    with pytest.raises((InputTooLarge, zipfile.BadZipFile)):
        _measure(archive, info)


def test_utf16_with_bom_is_decoded():
    assert_reads_plan(PLAN.encode("utf-16"))


def test_utf16_without_bom_is_decoded():
    assert_reads_plan(PLAN.encode("utf-16-le"))
    assert_reads_plan(PLAN.encode("utf-16-be"))


def test_utf8_with_bom_is_decoded():
    assert_reads_plan(b"\xef\xbb\xbf" + PLAN.encode())


def test_windows_1258_with_combining_tone_marks_is_decoded_and_nfc_normalized():
    data = windows_1258(PLAN)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    draft = assert_reads_plan(data)
    assert unicodedata.is_normalized("NFC", draft.tasks[0].content)


def test_a_20_mb_file_is_refused_quickly():
    started = time.perf_counter()
    with pytest.raises(InputTooLarge) as info:
        import_document(b"a" * (20 * 1024 * 1024), "big.txt")
    assert time.perf_counter() - started < 1
    assert "MB" in info.value.reason


@pytest.mark.parametrize("text", [
    "-" * 300_000 + "x",
    "Cơ quan chủ trì: " + "các phòng, " * 60_000,
    "a) " + "ngày 1 tháng " * 40_000,
    "|" + "-|" * 150_000,
    "Số: " + "1 - " * 80_000,
    "phối hợp với " * 60_000,
    "1. Công an xã\n" + "- hoàn thành trước ngày 1/1/2023 và thường xuyên\n" * 20_000,
])
def test_pathological_text_does_not_hang(text):
    # CPU seconds, not wall: the parse is pure computation, and a shared machine stretches wall time
    started = time.process_time()
    try:
        import_document(text.encode(), "p.txt")
    except PlanImportError:
        pass
    assert time.process_time() - started < 10


def test_a_large_plan_is_cut_at_the_line_cap_with_a_warning():
    body = "KẾ HOẠCH\nThử\nI. NHIỆM VỤ\n" + "a) Việc.\nCơ quan chủ trì: Công an xã\n" * 15_000
    draft = import_document(body.encode(), "p.txt")
    assert any("lines" in w.message for w in draft.warnings)


def test_cli_reports_a_missing_file_on_one_line(capsys):
    from services.plans.entrypoints.import_cli import main

    assert main(["/nonexistent/plan.txt", "--json"]) != 0
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err


def test_cli_reports_an_unreadable_file(tmp_path: Path, capsys):
    from services.plans.entrypoints.import_cli import main

    path = tmp_path / "x.txt"
    path.write_bytes(os.urandom(2048) + b"\x00")
    assert main([str(path), "--json"]) == 3
    assert "binary" in capsys.readouterr().err
