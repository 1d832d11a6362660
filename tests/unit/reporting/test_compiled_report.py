"""The compiled periodic report: DOCX and PDF opened and read back, frozen once its period is over."""
from __future__ import annotations

import asyncio
import io
from datetime import date
from pathlib import Path

import docx
import pypdf

from services.reporting.compiled.__main__ import main
from services.reporting.compiled.compile import compiled_content, compiled_file, previous_period
from services.reporting.handlers.autocompile import compile_closed_periods
from services.reporting.compiled.wording import period_label
from services.reporting.handlers.project import project
from services.runtime.memory_store import MemoryStore
from services.runtime.sqlite_store import SqliteStore
from schemas.directory import UnitRegistered
from tests.unit.reporting.events import agency, assignment, event, periodic, plan

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TODAY = date(2027, 1, 5)
TARGETS = [{"indicator_id": "vneid", "name": "Tài khoản VNeID mức 2", "value": 35000, "comparator": "above", "rollup": "sum"}]


def province(unit_id: str, name: str) -> object:
    return event(f"unit-{unit_id}", 1, UnitRegistered(unit_id=unit_id, name=name, level="province", head_name="Nguyễn Văn Tỉnh"))


def commune(unit_id: str, name: str) -> object:
    return event(f"unit-{unit_id}", 1, UnitRegistered(unit_id=unit_id, name=name, level="commune", parent_id="cao-bang"))


async def story() -> MemoryStore:
    store = MemoryStore()
    await project([province("cao-bang", "Tỉnh Cao Bằng"), commune("truong-ha", "Xã Trường Hà"), commune("quang-uyen", "Xã Quảng Uyên"),
                   commune("ha-quang", "Xã Hà Quảng"),
                   agency("ca-tinh", "cao-bang", "Giám đốc Công an tỉnh"),
                   plan("kh-tinh", "cao-bang", date(2026, 10, 1), targets=TARGETS),
                   assignment("t1", "truong-ha", date(2026, 11, 30), lead="ca-tinh"),
                   periodic("kh-tinh", "2026-12", "unit:truong-ha", date(2026, 12, 10), date(2026, 12, 14),
                            indicators={"vneid": 21000}, results="Cấp 21.000 tài khoản định danh điện tử"),
                   periodic("kh-tinh", "2026-12", "unit:quang-uyen", date(2026, 12, 13), date(2026, 12, 14),
                            indicators={"vneid": 15500}, results="Làm sạch 98% dữ liệu dân cư")], store)
    return store


async def test_the_docx_has_the_administrative_layout_the_figures_and_the_commune_that_did_not_report():
    body, media_type, name = await compiled_file(await story(), "cao-bang", "2026-12", TODAY, "docx")
    assert media_type.endswith("wordprocessingml.document") and name.endswith("2026-12.docx")
    document = docx.Document(io.BytesIO(body))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    flat = "\n".join(" | ".join(row) for row in cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "Độc lập - Tự do - Hạnh phúc" in flat and "TỈNH CAO BẰNG" in flat
    assert "Cao Bằng, ngày 05 tháng 01 năm 2027" in flat and "/BC-UBND" in flat
    assert "Kết quả thực hiện Đề án 06 tháng 12 năm 2026" in text and "Kính gửi:" in text
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN", "III. ĐỀ XUẤT, KIẾN NGHỊ", "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"):
        assert heading in text
    assert ["Xã Hà Quảng", "2026-12", "14/12/2026"] in cells
    assert any(row[0] == "Tài khoản VNeID mức 2" and row[2] == "36.500" and row[4] == "Đạt" for row in cells)
    overdue = next(row for row in cells if row[1] == "ca-tinh")  # as of the period's last day: 31 days late
    assert overdue[2] == "Giám đốc Công an tỉnh" and overdue[3] == "30/11/2026" and overdue[4] == "31"
    assert "Xã Trường Hà: Cấp 21.000 tài khoản định danh điện tử" in text
    assert "TM. ỦY BAN NHÂN DÂN" in flat and "CHỦ TỊCH" in flat and "Nguyễn Văn Tỉnh" in flat


async def test_the_pdf_carries_the_same_text_with_its_diacritics_and_a_page_renders_to_png():
    body, media_type, _ = await compiled_file(await story(), "cao-bang", "2026-12", TODAY, "pdf")
    assert media_type == "application/pdf" and body.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Kính gửi", "tháng 12 năm 2026", "Xã Hà Quảng", "Giám đốc Công an tỉnh",
                     "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", "TM. ỦY BAN NHÂN DÂN"):
        assert expected in text, expected
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].get_object().values()}
    assert all("DejaVuSerif" in f for f in fonts)
    import pypdfium2
    ARTIFACTS.mkdir(exist_ok=True)
    page = pypdfium2.PdfDocument(body)[0].render(scale=1.5).to_pil()
    page.save(ARTIFACTS / "compiled-report-page-1.png")
    assert page.size[0] > 800 and (ARTIFACTS / "compiled-report-page-1.png").stat().st_size > 10_000


async def test_a_closed_periods_report_is_frozen_and_a_later_report_shows_up_as_a_correction_in_the_next_one():
    store = await story()
    first = await compiled_content(store, "cao-bang", "2026-12", TODAY)
    assert first["frozen"] and first["reporting"]["received"] == 2
    await project([periodic("kh-tinh", "2026-12", "unit:ha-quang", date(2027, 1, 6), date(2026, 12, 14))], store)
    again = await compiled_content(store, "cao-bang", "2026-12", date(2027, 1, 7))
    assert again == first
    january = await compiled_content(store, "cao-bang", "2027-01", date(2027, 1, 7))
    assert january["frozen"] is False
    assert "Kỳ tháng 12 năm 2026: số báo cáo đã nhận 2 → 3." in january["corrections"]


def test_periods_are_named_as_reports_name_them():
    assert [period_label(p) for p in ("2026-12", "2026-Q4", "2026-H1", "2026")] == [
        "tháng 12 năm 2026", "quý IV năm 2026", "6 tháng đầu năm 2026", "năm 2026"]
    assert [previous_period(p) for p in ("2026-01", "2026-Q1", "2026-H2", "2026")] == ["2025-12", "2025-Q4", "2026-H1", "2025"]


async def test_the_report_of_a_period_that_has_closed_is_compiled_once_by_itself():
    store = await story()
    assert await compile_closed_periods(store, date(2026, 12, 20)) == ["cao-bang:2026-11"]
    assert await compile_closed_periods(store, TODAY) == ["cao-bang:2026-12"]
    assert await compile_closed_periods(store, TODAY) == []
    assert (await store.get("compiled_reports", "cao-bang:2026-12"))["content"]["reporting"]["received"] == 2


def test_the_cli_writes_the_file_from_a_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'reporting.sqlite3'}"

    async def fill():
        store = SqliteStore(tmp_path / "reporting.sqlite3")
        await project([province("cao-bang", "Tỉnh Cao Bằng"), commune("truong-ha", "Xã Trường Hà"),
                       plan("kh-tinh", "cao-bang", date(2026, 10, 1))], store)
        await store.close()

    asyncio.run(fill())
    assert main(["--store", url, "--unit", "cao-bang", "--period", "2026-12", "--format", "docx",
                 "--out", str(tmp_path / "bc.docx"), "--today", "2027-01-05"]) == 0
    assert "Xã Trường Hà" in "\n".join(c.text for t in docx.Document(tmp_path / "bc.docx").tables for r in t.rows for c in r.cells)
    assert main(["--store", url, "--unit", "cao-bang", "--period", "2026-13", "--today", "2027-01-05"]) == 2
