"""Compiling a unit's periodic report, freezing it once its period is over, and showing later corrections.

Like an approved period in DHIS2, a closed period's report is frozen the first time it is compiled
after the period's end: the figures it was made from are stored with it, and every later download
renders those same figures. A correction that arrives afterwards (a late or revised report, a task
closed late) does not change it: it shows in the next period's report under "corrections".
"""
from __future__ import annotations

from datetime import date, timedelta
from importlib import import_module

from schemas.periods import bounds
from services.reporting.compiled.gather import gather
from services.reporting.compiled.wording import period_label
from services.reporting.obligations import check_period
from schemas.rejections import Invalid

COMPILED = "compiled_reports"
# media type and the writer's module of each format: a writer (fpdf alone is ≈ 0.7 CPU s to import) is imported when a
# report is first asked for in its format, not at every start of the process
FORMATS = {"docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx_writer", "render_docx"),
           "pdf": ("application/pdf", "pdf_writer", "render_pdf")}


async def compiled_content(store, unit_id: str, period: str, today: date, *, keep: bool = True) -> dict:
    """The report's content: frozen if the period is over (stored on first compile), fresh otherwise.
    `keep=False` compiles as on `today` (a past day) without reading or storing the frozen copy."""
    _, last = check_period(period)
    doc_id = f"{unit_id}:{period}"
    closed = last < today and keep
    if closed:
        frozen = await store.get(COMPILED, doc_id)
        if frozen is not None:
            return frozen["content"]
    content = await gather(store, unit_id, period, today)
    content["corrections"] = await _corrections(store, unit_id, period, today)
    content["frozen"] = closed
    if closed:
        await store.put(COMPILED, doc_id, {"unit_id": unit_id, "period": period, "compiled_on": today.isoformat(), "content": content})
    return content


async def compiled_file(store, unit_id: str, period: str, today: date, fmt: str, *, keep: bool = True) -> tuple[bytes, str, str]:
    """(bytes, media type, file name) of the report in `fmt` (docx or pdf)."""
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}", field="format")
    content = await compiled_content(store, unit_id, period, today, keep=keep)
    media_type, module, function = FORMATS[fmt]
    render = getattr(import_module(f"services.reporting.compiled.{module}"), function)
    return render(content), media_type, f"bao-cao-de-an-06-{unit_id}-{period}.{fmt}"


def previous_period(period: str) -> str:
    first, _ = bounds(period)
    day = first - timedelta(days=1)
    if len(period) == 4:
        return str(day.year)
    rest = period[5:]
    if rest.startswith("Q"):
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if rest.startswith("H"):
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    return f"{day.year}-{day.month:02d}"


async def _corrections(store, unit_id: str, period: str, today: date) -> list[str]:
    """What changed in the previous period's figures since its report was frozen."""
    if "W" in period:
        return []
    before = previous_period(period)
    frozen = await store.get(COMPILED, f"{unit_id}:{before}")
    if frozen is None:
        return []
    old, new = frozen["content"], await gather(store, unit_id, before, today)
    label, lines = period_label(before), []
    for key, name in (("received", "số báo cáo đã nhận"), ("received_on_time", "số báo cáo đúng hạn")):
        if old["reporting"][key] != new["reporting"][key]:
            lines.append(f"Kỳ {label}: {name} {old['reporting'][key]} → {new['reporting'][key]}.")
    for key, name in (("done_on_time", "hoàn thành đúng hạn"), ("done_late", "hoàn thành quá hạn"), ("overdue", "quá hạn")):
        if old["tasks"][0][key] != new["tasks"][0][key]:
            lines.append(f"Kỳ {label}: số nhiệm vụ {name} {old['tasks'][0][key]} → {new['tasks'][0][key]}.")
    return lines
