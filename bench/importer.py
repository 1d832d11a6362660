"""Benchmark the plan importer: seconds per import and accuracy per seed.

    python bench/importer.py [--runs N] [--seeds DIR]

Prints JSON: for each seed the mean/min seconds per import over N runs and
the scorer's figures against the seed's expected.json; then a synthetic
60-task plan (text, .docx and .pdf renderings of the same plan).
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from importer import import_document  # noqa: E402
from tests.unit.importer.pdfgen import make_pdf, wrap  # noqa: E402
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


def as_pdf(text: str) -> bytes:
    lines = [w for line in text.splitlines() if "\t" not in line for w in wrap(line, 90)]
    return make_pdf([lines[i:i + 50] + [str(n + 1)] for n, i in enumerate(range(0, len(lines), 50))])


def timed(data: bytes, name: str, runs: int) -> tuple[list[float], object]:
    times, draft = [], None
    for _ in range(runs):
        started = time.perf_counter()
        draft = import_document(data, name)
        times.append(time.perf_counter() - started)
    return times, draft


def figures(times: list[float]) -> dict:
    return {"runs": len(times), "mean_s": round(statistics.mean(times), 4), "min_s": round(min(times), 4),
            "max_s": round(max(times), 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    args = parser.parse_args()
    seeds = Path(args.seeds)
    report: dict = {"python": platform.python_version(), "machine": platform.machine(), "seeds": {}, "synthetic": {}}
    for path in sorted(seeds.glob("*.txt")):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        times, draft = timed(path.read_bytes(), path.name, args.runs)
        report["seeds"][path.stem] = {**figures(times), "tasks": len(draft.tasks), **summary(score(draft, expected))}
    text = synthetic_plan(60)
    for name, data in (("plan.txt", text.encode()), ("plan.docx", as_docx(text)), ("plan.pdf", as_pdf(text))):
        times, draft = timed(data, name, args.runs)
        report["synthetic"][name] = {**figures(times), "bytes": len(data), "tasks": len(draft.tasks)}
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
