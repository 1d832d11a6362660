"""What the importer's plan tests share: the fixture plans, their readings, and the score assertions."""
from __future__ import annotations

import json
from pathlib import Path

from importer import import_document
from importer.vocabulary.agency_directory import agency_key

from .scoring import score

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"


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
