"""Benchmark the plan importer: seconds per import and accuracy per seed.

    python bench/importer.py [--runs N] [--seeds DIR]

Prints JSON: for each seed the mean/min seconds per import over N runs and
the scorer's figures against the seed's expected.json; a synthetic 60-task plan
in every format (text, .docx with Word tables, .pdf with the table's borders hidden and drawn, a browser's
letter-spaced print, glyph by glyph and with its table's cells letter-spaced too, web-copied text, hard-wrapped
text, and .doc where antiword is installed), each beside the raw library call it rides on; and every rendition of
the fixture manifest, timed and scored. CPU seconds include the children's (antiword).

    python bench/importer.py --borderless    # the corpus tables printed without borders, scored
    python bench/importer.py --doc           # the .doc renditions (tests/fixtures/plans/doc), timed and scored
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from importer import import_document  # noqa: E402
from tests.unit.importer.scoring import score, summary  # noqa: E402

AGENCIES = ["Công an huyện", "Phòng Tư pháp", "Văn phòng HĐND và UBND huyện", "Phòng Văn hóa và Thông tin",
            "Phòng Tài chính - Kế hoạch", "Bảo hiểm xã hội huyện"]
TIMES = ["Quý I năm 2024", "Trong tháng 5/2024", "Trước ngày 30/6/2024", "Thường xuyên",
         "Từ tháng 3 năm 2024", "6 tháng đầu năm 2024", "Quý III/2024 và thường xuyên", "Theo Kế hoạch của UBND tỉnh"]


def synthetic_plan(tasks: int = 60) -> str:
    """A plan with `tasks` tasks: a third labelled, a third in agency sections, a third in a table."""
    out = ["ỦY BAN NHÂN DÂN", "HUYỆN THỬ NGHIỆM", "Số: 99/KH-UBND", "Thử Nghiệm, ngày 15 tháng 1 năm 2024", "KẾ HOẠCH",
           "Triển khai Đề án 06 năm 2024", "Căn cứ Kế hoạch số 10/KH-UBND ngày 05/01/2024 của UBND tỉnh;",
           "I. NHIỆM VỤ CỤ THỂ"]
    third = tasks // 3
    for i in range(third):
        out += [f"{i + 1}. Nhiệm vụ số {i + 1}: rà soát, cập nhật, làm sạch dữ liệu dân cư phục vụ giải quyết thủ tục hành chính.",
                f"- Cơ quan chủ trì: {AGENCIES[i % 6]}.", f"- Cơ quan phối hợp: {AGENCIES[(i + 1) % 6]}, UBND các xã, thị trấn.",
                f"- Thời gian hoàn thành: {TIMES[i % 8]}."]
    out.append("II. PHÂN CÔNG NHIỆM VỤ")
    for a, agency in enumerate(AGENCIES):
        out.append(f"{a + 1}. {agency}")
        for j in range(third // 6 + (1 if a < third % 6 else 0)):
            out.append(f"- Phối hợp với {AGENCIES[(a + 2) % 6]} triển khai việc số {j + 1} của đơn vị, hoàn thành trước ngày 3{j % 2}/{4 + j % 3}/2024.")
    out += ["III. BẢNG PHÂN CÔNG", "STT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành"]
    for k in range(tasks - 2 * third):
        out.append(f"{k + 1}\tKết nối cơ sở dữ liệu chuyên ngành số {k + 1} với CSDL quốc gia về dân cư\t{AGENCIES[k % 6]}\tCông an huyện\t{TIMES[k % 8]}")
    out += ["IV. TỔ CHỨC THỰC HIỆN", "Định kỳ trước ngày 20 hằng tháng báo cáo kết quả về Công an huyện."]
    return "\n".join(out) + "\n"


def as_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    table = None
    for line in text.splitlines():
        if "\t" in line:
            cells = line.split("\t")
            table = table or document.add_table(rows=0, cols=len(cells))
            for cell, value in zip(table.add_row().cells, cells):
                cell.text = value
        else:
            table = None
            document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def as_blocks(text: str) -> list:
    """The synthetic plan as document blocks (tests/fixtures/plans/corpus/documents.py): tab rows a table."""
    blocks, rows = [], []
    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            blocks.append(("t", rows))
            rows = []
        blocks.append(("p", line))
    return blocks + ([("t", rows)] if rows else [])


def renditions(text: str) -> list[tuple[str, bytes]]:
    """The same 60-task plan in every format the importer reads."""
    from tests.fixtures.plans.corpus import documents

    return [("plan.txt", text.encode()), ("plan.docx", as_docx(text)),
            ("plan.pdf", documents.to_pdf(as_blocks(text), borders=False)),  # the table's borders hidden
            ("plan.web.md", documents.to_web_text(as_blocks(text))),
            ("plan.wrapped.txt", documents.to_wrapped_text(as_blocks(text), table="tabs")),
            ("plan.tables.pdf", documents.to_pdf(as_blocks(text))),  # the table drawn
            ("plan.spaced.pdf", documents.to_pdf(as_blocks(text), spaced=True)),  # a browser's print, table unspaced
            ("plan.glyph.pdf", documents.to_glyph_pdf(as_blocks(text))),  # every glyph on its own, table unspaced
            ("plan.spaced-cells.pdf", spaced_cells_pdf(as_blocks(text)))] + _doc(text)


def spaced_cells_pdf(blocks: list) -> bytes:
    """A browser's print whose table is letter-spaced too: every line, the bordered table's cell lines included,
    drawn by the corpus's fallback-font line drawer (documents.fallback_glyph_line: plain letters in runs, every
    other glyph on its own), each row as high as its longest cell."""
    from fpdf import FPDF

    from tests.fixtures.plans.corpus import documents

    pdf = FPDF(format="A4")
    documents._start(pdf)
    for kind, item in documents.numbered_text(blocks):
        if kind != "t":
            documents._spaced_lines(pdf, item.strip())
            continue
        pdf.set_font("dv", size=8)
        widths = [14, 66, 38, 38, 34][:len(item[0])]
        for row in item:
            cells = [pdf.multi_cell(w - 4, 4, text, dry_run=True, output="LINES") for text, w in zip(row, widths)]
            height = 4 * max(len(lines) for lines in cells) + 2
            if pdf.get_y() + height > pdf.h - 20:
                pdf.add_page()
            x, y = pdf.l_margin, pdf.get_y()
            for lines, width in zip(cells, widths):
                pdf.rect(x, y, width, height)
                for n, line in enumerate(lines):
                    documents.fallback_glyph_line(pdf, x + 1, y + 4 + 4 * n, line, spacing=0.3)
                x += width
            pdf.set_y(y + height)
        pdf.set_font("dv", size=10)
    return bytes(pdf.output())


SYNTHETIC_DOC = ROOT / "tests" / "fixtures" / "plans" / "doc" / "synthetic-60-task-plan.doc"


def _doc(text: str) -> list[tuple[str, bytes]]:
    """The 60-task plan's .docx saved as Word 97 by LibreOffice (checked in: tests/fixtures/plans/doc/make_doc.py),
    where antiword is there to read it and the file is of this text."""
    import shutil

    if shutil.which("antiword") is None or not SYNTHETIC_DOC.exists() or text != synthetic_plan(60):
        return []
    return [("plan.doc", SYNTHETIC_DOC.read_bytes())]


def doc_renditions(runs: int) -> dict:
    """The .doc renditions of the corpus plans, timed (antiword's CPU included) beside antiword alone, scored."""
    from tests.unit.importer.plan_cases import PLANS

    report = corpus(runs, PLANS / "doc" / "manifest.json")
    for key, row in report["plans"].items():
        data = (PLANS / "doc" / key).read_bytes() if (PLANS / "doc" / key).exists() else None
        row.update(timed_raw(data, key, runs) if data else {})
    return report


def corpus(runs: int, manifest: Path | None = None) -> dict:
    """Every fixture plan rendition of the manifest, timed, with its scores."""
    from tests.unit.importer.plan_cases import MANIFEST, document, entry_id, manifest_entries

    out = {}
    for entry in manifest_entries(manifest or MANIFEST):
        if not entry["path"].exists():
            continue
        data, name = document(entry)
        expected = json.loads(entry["reading_path"].read_text(encoding="utf-8"))
        try:
            times, draft = timed(data, name, runs)
        except Exception as error:  # a refused rendition is a figure too
            out[entry_id(entry)] = {"error": str(error)}
            continue
        out[entry_id(entry)] = {**figures(times), "round": entry["round"], **summary(score(draft, expected))}
    total = sum(v.get("mean_s", 0) for v in out.values())
    return {"renditions": len(out), "total_mean_s": round(total, 3), "plans": out}


def borderless() -> dict:
    """Every corpus plan that has a table, printed with the table's borders hidden (documents.to_pdf(blocks,
    borders=False), made here, not in the manifest), read and scored: how far the borderless-table rules carry."""
    from tests.fixtures.plans.corpus import documents
    from tests.fixtures.plans.corpus.make_corpus import (PLANS_A, PLANS_B, PLANS_C, PLANS_D, PLANS_E, PLANS_F, PLANS_G,
                                                         PLANS_H, PLANS_I, PLANS_J, PLANS_K, PLANS_L, PLANS_M)
    from tests.unit.importer.plan_cases import PLANS

    out, started = {}, time.process_time()
    for plans in (PLANS_A, PLANS_B, PLANS_C, PLANS_D, PLANS_E, PLANS_F, PLANS_G, PLANS_H, PLANS_I, PLANS_J, PLANS_K,
                  PLANS_L, PLANS_M):
        for slug, (build, _) in plans.items():
            _, blocks, _, _ = build()
            if not any(b[0] == "t" and len(b[1]) > 2 for b in blocks):
                continue
            expected = json.loads((PLANS / "corpus" / f"{slug}.expected.json").read_text(encoding="utf-8"))
            try:
                draft = import_document(documents.to_pdf(documents.deep(blocks), borders=False), f"{slug}.pdf")
            except Exception as error:
                out[slug] = {"found": 0, "required": len(expected["tasks"]), "error": str(error)[:80]}
                continue
            result = score(draft, expected)
            out[slug] = {"found": result["found"], "required": result["required"], "invented": len(result["invented"]),
                         "timing": round(result["timing_accuracy"], 3), "lead": round(result["lead_accuracy"], 3)}
    found, required = sum(v["found"] for v in out.values()), sum(v["required"] for v in out.values())
    return {"plans": len(out), "found": found, "required": required,
            "invented": sum(v.get("invented", 0) for v in out.values()),
            "cpu_s": round(time.process_time() - started, 2), "per_plan": out}


def raw_read(data: bytes, name: str) -> None:
    """The library call the reader rides on, alone: pypdf's plain text of every page, python-docx's paragraphs and
    tables, or decoding the bytes."""
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        for page in PdfReader(io.BytesIO(data)).pages:
            page.extract_text()
    elif name.endswith(".docx"):
        import docx

        document = docx.Document(io.BytesIO(data))
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    elif name.endswith(".doc"):
        import subprocess
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".doc") as handle:
            handle.write(data)
            handle.flush()
            subprocess.run(["antiword", "-x", "db", handle.name], check=True, capture_output=True)
    else:
        data.decode("utf-8")


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (antiword for a .doc)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed_raw(data: bytes, name: str, runs: int) -> dict:
    cpu = []
    for _ in range(runs):
        started = _cpu()
        raw_read(data, name)
        cpu.append(_cpu() - started)
    return {"raw_cpu_mean_s": round(statistics.mean(cpu), 4), "raw_cpu_min_s": round(min(cpu), 4)}


def timed(data: bytes, name: str, runs: int) -> tuple[list[tuple[float, float]], object]:
    """(wall, CPU) seconds per run: on a shared machine the CPU time is the steadier figure."""
    times, draft = [], None
    for _ in range(runs):
        started, cpu = time.perf_counter(), _cpu()
        draft = import_document(data, name)
        times.append((time.perf_counter() - started, _cpu() - cpu))
    return times, draft


def figures(times: list[tuple[float, float]]) -> dict:
    wall, cpu = [w for w, _ in times], [c for _, c in times]
    return {"runs": len(times), "mean_s": round(statistics.mean(wall), 4), "min_s": round(min(wall), 4),
            "max_s": round(max(wall), 4), "cpu_mean_s": round(statistics.mean(cpu), 4), "cpu_min_s": round(min(cpu), 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    parser.add_argument("--synthetic-only", action="store_true", help="only the 60-task plan in every format")
    parser.add_argument("--borderless", action="store_true", help="only the corpus tables printed without borders")
    parser.add_argument("--doc", action="store_true", help="only the .doc renditions (needs antiword)")
    args = parser.parse_args()
    if args.doc:
        print(json.dumps({"load_average": os.getloadavg(), **doc_renditions(max(1, args.runs // 4))}, ensure_ascii=False,
                         indent=1))
        return
    if args.borderless:
        print(json.dumps({"load_average": os.getloadavg(), **borderless()}, ensure_ascii=False, indent=1))
        return
    seeds = Path(args.seeds)
    report: dict = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
                    "load_average": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "seeds": {}, "synthetic": {}}
    for path in [] if args.synthetic_only else sorted(seeds.glob("*.txt")):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        times, draft = timed(path.read_bytes(), path.name, args.runs)
        report["seeds"][path.stem] = {**figures(times), "tasks": len(draft.tasks), **summary(score(draft, expected))}
    text = synthetic_plan(60)
    for name, data in renditions(text):
        times, draft = timed(data, name, args.runs)
        report["synthetic"][name] = {**figures(times), **timed_raw(data, name, args.runs), "bytes": len(data),
                                     "tasks": len(draft.tasks)}
    if not args.synthetic_only:
        report["corpus"] = corpus(max(1, args.runs // 4))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
