"""What the importer's plan tests share: the fixture plans, their readings, the score assertions, and the drafts
of made-up plans read by the rules alone."""
from __future__ import annotations

import json
from pathlib import Path

from importer import import_document
from importer.vocabulary.agency_directory import agency_key

from .scoring import score

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"
MANIFEST = PLANS / "manifest.json"


def task_rows(draft) -> list[tuple]:
    """Each drafted task as (its text's opening, lead, partners, due, start, recurring): what the form tests compare."""
    return [(t.content[:24], t.lead, t.support, t.timing.due, t.timing.start, t.timing.recurring) for t in draft.tasks]


def rules_draft(text: str, name: str = "plan.txt"):
    """The draft of a made-up plan's text read by the rules alone (`labeller_mode="off"`): a form test on it fails
    when its rule breaks, whatever the labeller would have drafted."""
    return import_document(text.encode(), name, labeller_mode="off")


def _path(name: str) -> Path:
    """A manifest path: relative to tests/fixtures/plans, or 'seeds:' for shared/seeds."""
    from tests.support.seeds import SEEDS

    return SEEDS / name[len("seeds:"):] if name.startswith("seeds:") else PLANS / name


def manifest_entries(manifest: Path = MANIFEST) -> list[dict]:
    """Every fixture plan rendition: {file, reading, rendition, round, path, reading_path}."""
    out = []
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        if "include" in entry:
            out += [{"round": entry["round"], **e} for e in manifest_entries(PLANS / entry["include"])]
            continue
        out.append({**entry, "path": _path(entry["file"]), "reading_path": _path(entry["reading"])})
    return out


def entry_id(entry: dict) -> str:
    name = entry["file"].rsplit("/", 1)[-1].removeprefix("seeds:")
    return name if entry["rendition"] in name else f"{name}[{entry['rendition']}]"


def document(entry: dict) -> tuple[bytes, str]:
    """(bytes, filename) of a manifest entry: the file itself, or a rendering made from it."""
    render = RENDERINGS.get(entry["rendition"])
    if render is None:
        return entry["path"].read_bytes(), entry["path"].name
    return render(entry["file"]), f"rendered.{entry['rendition'].rsplit('-', 1)[-1]}"


def expected_for(name: str) -> dict:
    return json.loads((PLANS / f"{name.rsplit('.', 1)[0]}.expected.json").read_text(encoding="utf-8"))


def import_case(name: str):
    """(draft, expected reading) of one fixture plan."""
    return import_document((PLANS / name).read_bytes(), name), expected_for(name)


def assert_scores(draft, expected, *, all_found: bool = False) -> None:
    result = score(draft, expected)
    if all_found:
        assert result["missing"] == [] and result["found_rate"] == 1.0
    assert result["found_rate"] >= 0.95, result["missing"]
    assert result["invented"] == []
    assert result["lead_accuracy"] >= 0.95, result["lead_mismatches"]
    assert result["timing_accuracy"] >= 0.95, result["timing_mismatches"]
    assert result["support_accuracy"] >= 0.9, result["support_mismatches"]


def assert_header(draft, expected) -> None:
    want = expected["plan"]
    assert draft.plan.number == want["number"]
    assert draft.plan.issued_on == want["issued_on"]
    assert agency_key(draft.plan.issuer) == agency_key(want["issuer"])


def pipe_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def pipe_plan_as_docx(name: str, cell=lambda text: text, paragraph=str.strip) -> bytes:
    """A fixture plan as Word: its lines as paragraphs, each pipe table as a real Word table.

    `cell` and `paragraph` turn a table cell's or a line's text into what the document holds.
    """
    import io

    import docx

    document = docx.Document()
    table = None
    for raw in (PLANS / name).read_text(encoding="utf-8").splitlines():
        if raw.startswith("|"):
            if set(raw.strip()) <= set("|-: "):
                continue
            cells = pipe_cells(raw)
            if table is None:
                table = document.add_table(rows=0, cols=len(cells))
            for target, text in zip(table.add_row().cells, cells):
                target.text = cell(text)
            continue
        table = None
        if raw.strip():
            document.add_paragraph(paragraph(raw))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cell_lines(text: str) -> str:
    import re

    return re.sub(r"<br\s*/?>", "\n", text)


def _table_as_xlsx(name: str) -> bytes:
    """A plan's pipe table as a worksheet, with the title rows above it."""
    import io
    import re

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    lines = (PLANS / name).read_text(encoding="utf-8").splitlines()
    sheet.append(["KẾ HOẠCH"])
    sheet.append([next(line for line in lines if line.strip() and not line.startswith("|")).strip("# *")])
    for raw in lines:
        if raw.startswith("|") and not set(raw) <= set("|-: "):
            sheet.append([_cell_lines(c) or None for c in pipe_cells(raw)])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _xlsx_value(text):
    """Full dd/mm/yyyy dates become real date cells, as Excel stores them."""
    import datetime as dt
    import re

    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        day, month, year = map(int, m.groups())
        try:
            return dt.datetime(year, month, day)
        except ValueError:
            return text  # an impossible date stays the text the clerk typed
    return text or None


def _sheet_as_xlsx(name: str) -> bytes:
    """A plan sheet: every line a row, table rows as cells with real date cells."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for raw in (PLANS / name).read_text(encoding="utf-8").splitlines():
        if raw.startswith("|"):
            if not set(raw.strip()) <= set("|-: "):
                sheet.append([_xlsx_value(c) for c in pipe_cells(raw)])
        elif raw.strip():
            sheet.append([raw.strip()])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _city_as_docx(name: str) -> bytes:
    """The task table as a Word table whose agency cell has two lines ("Phối hợp:" on its own line)."""
    import re

    return pipe_plan_as_docx(name, cell=lambda text: re.sub(r"\.?;? ([Pp]hối hợp:)", r".\n\1", text))


RENDERINGS = {
    "pipes-as-docx": lambda name: pipe_plan_as_docx(
        name, cell=_cell_lines, paragraph=lambda raw: raw.replace("**", "").replace("*", "").lstrip("# ").strip()),
    "table-as-xlsx": _table_as_xlsx,
    "sheet-as-xlsx": _sheet_as_xlsx,
    "city-as-docx": _city_as_docx,
}
