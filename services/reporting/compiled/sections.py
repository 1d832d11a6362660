"""The report's body as a sequence of blocks both writers render: headings, paragraphs, tables.

Keeping the wording here once means the DOCX and the PDF say exactly the same thing.
"""
from __future__ import annotations

from services.reporting.compiled.wording import day_vn, percent

TASK_HEAD = ["Đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Quá hạn", "Trong hạn", "Sắp đến hạn",
             "Chờ điều kiện", "Thường xuyên", "Vướng mắc", "Tỷ lệ hoàn thành", "Tỷ lệ đúng hạn"]
TASK_KEYS = ["all", "done_on_time", "done_late", "overdue", "not_yet_due", "due_soon", "waiting", "ongoing", "blocked"]


def blocks(content: dict) -> list[tuple[str, object]]:
    """[(kind, value)]: kind is heading, text, bullet or table ((header, rows))."""
    out: list[tuple[str, object]] = []
    reporting = content["reporting"]
    out.append(("heading", "I. KẾT QUẢ THỰC HIỆN"))
    out.append(("text", f"1. Tình hình thực hiện nhiệm vụ (số liệu đến ngày {day_vn(content['as_of'])}; tỷ lệ hoàn thành "
                        "= số nhiệm vụ hoàn thành ÷ số nhiệm vụ đã đến hạn)."))
    out.append(("table", (TASK_HEAD, [[r["name"], *(str(r[k]) for k in TASK_KEYS), percent(r["completion_rate"]),
                                       percent(r["on_time_rate"])] for r in content["tasks"]])))
    out.append(("text", "2. Kết quả thực hiện các chỉ tiêu."))
    if content["indicators"]:
        rows = [[i["name"], _number(i["target"]), _number(i["value"]), percent(i["progress"]),
                 "Đạt" if i["met"] else ("Chưa đạt" if i["met"] is False else "—")] for i in content["indicators"]]
        out.append(("table", (["Chỉ tiêu", "Mục tiêu", "Kết quả", "Tỷ lệ so với mục tiêu", "Đánh giá"], rows)))
    else:
        out.append(("text", "Chưa có số liệu chỉ tiêu trong kỳ."))
    out.append(("text", f"3. Tình hình thực hiện chế độ báo cáo: phải báo cáo {reporting['expected']}, đã nhận {reporting['received']} "
                        f"({percent(reporting['reporting_rate'])}), đúng hạn {reporting['received_on_time']} "
                        f"({percent(reporting['on_time_reporting_rate'])})."))
    if content["non_reporters"]:
        out.append(("text", "Các đơn vị, cơ quan chưa gửi báo cáo:"))
        out.append(("table", (["Đơn vị, cơ quan", "Kỳ báo cáo", "Hạn gửi"],
                              [[r["name"], r["period"], day_vn(r["deadline"])] for r in content["non_reporters"]])))
    if content["late_reporters"]:
        out.append(("text", "Các đơn vị, cơ quan gửi báo cáo chậm: " + "; ".join(
            f"{r['name']} (gửi ngày {day_vn(r['received_on'])}, hạn {day_vn(r['deadline'])})" for r in content["late_reporters"]) + "."))
    out.append(("text", "4. Kết quả nổi bật do các đơn vị, cơ quan báo cáo:"))
    out += [("bullet", line) for line in content["texts"]["results"]] or [("text", "Chưa có nội dung.")]
    out.append(("heading", "II. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN"))
    out.append(("text", "1. Nhiệm vụ quá hạn (thủ trưởng cơ quan chủ trì chịu trách nhiệm):"))
    if content["overdue"]:
        rows = [[f"{t['code']} {t['content']}".strip(), t["lead"], t["head_title"], day_vn(t["due"]), str(t["days"] or "")]
                for t in content["overdue"]]
        out.append(("table", (["Nhiệm vụ", "Cơ quan chủ trì", "Người đứng đầu", "Hạn", "Số ngày quá hạn"], rows)))
    else:
        out.append(("text", "Không có nhiệm vụ quá hạn."))
    out.append(("text", "2. Khó khăn, vướng mắc do các đơn vị, cơ quan báo cáo:"))
    out += [("bullet", line) for line in content["texts"]["difficulties"]] or [("text", "Không có.")]
    out.append(("heading", "III. ĐỀ XUẤT, KIẾN NGHỊ"))
    out += [("bullet", line) for line in content["texts"]["proposals"]] or [("text", "Không có.")]
    if content.get("corrections"):
        out.append(("text", "Điều chỉnh số liệu kỳ trước (sau khi báo cáo kỳ trước đã chốt):"))
        out += [("bullet", line) for line in content["corrections"]]
    out.append(("heading", "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"))
    out += [("bullet", f"{t['code']} {t['content']} (hạn {day_vn(t['due'])})".strip()) for t in content["next_tasks"]]
    out += [("bullet", line) for line in content["texts"]["next_tasks"]]
    if not content["next_tasks"] and not content["texts"]["next_tasks"]:
        out.append(("text", "Tiếp tục thực hiện các nhiệm vụ theo Kế hoạch."))
    return out


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
