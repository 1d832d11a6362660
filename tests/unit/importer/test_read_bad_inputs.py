"""Bad documents through both doors: `tiendo plans import` (non-zero exit, one specific line on stderr, nothing on
stdout) and POST /drafts (422 problem+json on `file` with the same reason, no draft stored). test_bad_inputs.py
checks the importer's own exceptions; tests/integration/bad_inputs.py the cases both doors had before."""
from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest

from services.plans.bootstrap import create_app
from services.plans.entrypoints.import_cli import main
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.fixtures.plans.compound_files import encrypted_office_document, word97_document
from tests.support.auth import bearer

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "plans" / "corpus"
DOCX, PDF = CORPUS / "binh-dinh-province-decision-2025.docx", CORPUS / "binh-dinh-province-decision-2025.pdf"


def _scanned_pdf() -> bytes:
    """A page that is only a picture, as a scanner makes it."""
    from fpdf import FPDF
    from PIL import Image

    picture = Image.new("L", (400, 560), 255)
    picture.paste(0, (40, 40, 360, 60))  # a dark band where a scanned line of text would be
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=190)
    return bytes(pdf.output())


def _locked_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF.read_bytes())))
    writer.encrypt(user_password="mat-khau", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


REPORT = ("ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH\nSố: 45/BC-UBND\nHòa Bình, ngày 20 tháng 6 năm 2025\nBÁO CÁO\n"
          "Kết quả thực hiện Đề án 06 sáu tháng đầu năm 2025\nI. KẾT QUẢ ĐẠT ĐƯỢC\n1. Đã cấp 1.250 thẻ căn cước.\n"
          "2. Đã kích hoạt 980 tài khoản định danh điện tử mức 2.\nII. TỒN TẠI, HẠN CHẾ\nMột số thôn còn chậm.\n")
DECISION = ("ỦY BAN NHÂN DÂN\nHUYỆN ĐỨC TRỌNG\nSố: 210/QĐ-UBND\nĐức Trọng, ngày 03 tháng 3 năm 2024\nQUYẾT ĐỊNH\n"
            "Về việc kiện toàn Tổ công tác triển khai Đề án 06 huyện Đức Trọng\nĐiều 1. Kiện toàn Tổ công tác gồm các ông, bà có tên sau.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\nĐiều 3. Chánh Văn phòng HĐND và UBND huyện chịu trách nhiệm thi hành.\n")

# (case, file name, bytes, CLI exit code, words the one-line reason must hold)
CASES = [
    ("scanned-pdf", "scan.pdf", _scanned_pdf(), 3, "no text layer"),
    ("password-pdf", "locked.pdf", _locked_pdf(), 3, "password-protected"),
    ("password-docx", "locked.docx", encrypted_office_document(), 3, "password-protected"),
    ("truncated-docx", "cut.docx", DOCX.read_bytes()[: DOCX.stat().st_size // 2], 3, "cut short"),
    ("truncated-pdf", "cut.pdf", PDF.read_bytes()[: PDF.stat().st_size // 2], 3, "cut short"),
    ("word-97-doc", "plan.doc", word97_document(), 3, "Word 97-2003 document (.doc)"),
    ("empty-file", "plan.docx", b"", 3, "the file is empty"),
    ("a-report", "bao-cao.txt", REPORT.encode(), 4, "report"),
    ("a-decision-without-tasks", "quyet-dinh.txt", DECISION.encode(), 4, "decision"),
]
WAY_OUT = {"scanned-pdf": "OCR", "password-docx": "remove the password", "word-97-doc": "save it as .docx",
           "truncated-docx": "save it again", "truncated-pdf": "export it again", "password-pdf": "without one"}


@pytest.mark.parametrize("case,name,data,code,words", CASES, ids=[c[0] for c in CASES])
def test_the_cli_refuses_with_one_specific_line(case, name, data, code, words, tmp_path, capsys):
    path = tmp_path / name
    path.write_bytes(data)
    assert main([str(path), "--json"]) == code
    out, err = capsys.readouterr()
    assert out == ""
    line = err.strip()
    assert "\n" not in line and words in line and name in line
    assert WAY_OUT.get(case, "") in line


@pytest.fixture
async def api():
    store = MemoryStore()
    app = await create_app(ServiceSettings(environment="test", store_url="memory://"), store=store)
    secret = app.state.runtime.settings.token_secret
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://plans",
                                 headers=bearer(secret, "administrator", "test-admin")) as client:
        for unit in ({"unit_id": "lam-dong", "name": "Tỉnh Lâm Đồng", "level": "province"},
                     {"unit_id": "hoa-binh", "name": "Xã Hòa Bình", "level": "commune", "parent_id": "lam-dong"}):
            assert (await client.post("/units", json=unit)).status_code == 201
        client.headers.update(bearer(secret, "standing_body", "lam-dong"))
        yield client, store


async def test_the_draft_api_refuses_each_with_its_reason_and_stores_nothing(api):
    client, store = api
    for case, name, data, _, words in CASES:
        response = await client.post("/drafts", data={"unit_id": "hoa-binh"}, files={"file": (name, data)})
        assert response.status_code == 422, (case, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["field"] == "file" and words in body["detail"] and WAY_OUT.get(case, "") in body["detail"], (case, body)
    assert await store.find("drafts") == []
    good = await client.post("/drafts", data={"unit_id": "hoa-binh"}, files={"file": (DOCX.name, DOCX.read_bytes())})
    assert good.status_code == 201, good.text  # the same door still takes a plan
