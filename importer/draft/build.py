"""import_document: wires readers, header, tasks, tables, reporting, targets."""

from __future__ import annotations

from ..vocabulary.agency_directory import Directory, with_level
from ..vocabulary.aliases import defined_names, expand
from ..vocabulary.issue_counted import counted_from_issue
from ..vocabulary.office_codes import full_office_name
from ..vocabulary.named_periods import cited_period, named_periods
from ..vocabulary.week_rule import by_week_rule, week_rule
from ..vocabulary.own_committee import as_issuer
from .model import Draft, DraftTask, DraftWarning, NotAPlan
from ..header.preamble import body_start, read_header
from ..read.lines import MAX_LINE_CHARS, Line
from ..read.readers import read_document
from ..read.text import fold
from ..vocabulary.schedules import find_reporting
from ..body.table_tasks import table_tasks
from ..vocabulary.targets import find_targets
from ..body.assembly import build_tasks
from ..body.closing import without_proposals, without_reporting_duties
from ..body.footnotes import without_footnotes
from ..body.walker import walk
from ..labeller.combine import combine, labelled_tasks
from ..labeller.model import Labeller, shipped

LABELLER_MODE = "weigh"  # how the line labeller joins the rules (labeller.combine.MODES); bench/importer_crf.py

MAX_LINES = 10_000  # lines read of one document: the largest plan of the corpus has 673; a 10,000-line pathological text costs ≈ 5 CPU s
Warn = tuple[int | None, str]


def import_document(data: bytes, filename: str, directory: list[tuple[str, str]] | None = None, *,
                    labeller_mode: str = LABELLER_MODE, labeller: Labeller | None = None) -> Draft:
    """Read a plan document and return its draft; raises PlanImportError subclasses.

    `labeller_mode`/`labeller`: how the line labeller joins the rules, and which trained model (the shipped one
    by default); the benchmark's cross-validation passes its folds' models."""
    lines, reader_notes = read_document(data, filename)
    warns: list[Warn] = [(None, n) for n in reader_notes] + _size_warnings(lines)
    lines = lines[:MAX_LINES]
    plan, year, notes = read_header(lines)
    warns += notes
    walked, walk_warns, used = build_tasks(walk(_body(lines))[0], year)
    tabled, table_warns = table_tasks(lines, year)
    pairs = sorted(walked + tabled, key=lambda pair: pair[0])
    pairs = combine(pairs, lambda: _labelled(_body(lines), year, labeller), labeller_mode)
    pairs = without_reporting_duties(pairs, _body(lines))  # read into the draft's reporting schedule instead
    pairs = without_proposals(pairs, _body(lines))  # "IV. ĐỀ XUẤT, KIẾN NGHỊ": requests to the level above
    warns += walk_warns + table_warns
    tasks = [task for _, task in pairs]
    defined = defined_names(_body(lines))  # "Phòng Tham mưu (PV01)": a lead written "PV01" is that office
    periods = named_periods(_body(lines), year)  # "Thời gian cao điểm: từ … đến …": "Trong thời gian cao điểm"
    weeks = week_rule(_body(lines))  # "Tuần được tính từ thứ Hai đến Chủ nhật; tuần 1 … từ thứ Hai đầu tiên …"
    for task in tasks:
        if not (task.timing.due or task.timing.start or task.timing.recurring or task.timing.condition):
            task.timing = cited_period(task.timing.raw, periods) or task.timing
        task.timing = counted_from_issue(task.timing, plan.issued_on)  # "Trong 30 ngày kể từ ngày ban hành Kế hoạch"
        task.timing = by_week_rule(task.timing, weeks)  # "Tuần 2 tháng 3/2026" by the plan's own weeks
        task.lead = [with_level(full_office_name(name), plan.issuer) for name in expand(task.lead, defined)]
        task.support = [with_level(full_office_name(name), plan.issuer) for name in expand(task.support, defined)]
        task.lead, task.support = ([as_issuer(name, plan.issuer) for name in names] for names in (task.lead, task.support))
    if not tasks and plan.title is None and plan.number is None:
        raise NotAPlan("no plan header (KẾ HOẠCH / Số …) and no tasks found: not a plan document")
    if not tasks:
        raise NotAPlan(_kind_without_tasks(plan))
    warns += _early_deadlines(pairs, plan.issued_on)
    if directory is not None:
        warns += _resolve(pairs, Directory(directory))
    used |= {line for line, _ in tabled}
    own = {line for line, _ in pairs}  # a task's own "báo cáo kết quả định kỳ …" is its cycle, not the plan's schedule
    reporting = find_reporting([line for line in lines if line.number not in own])
    for entry in reporting:
        entry.to = ", ".join(expand([entry.to], defined)) if entry.to else None  # "báo cáo về PC06": that office
    draft = Draft(plan=plan, reporting=reporting, tasks=tasks, targets=find_targets(lines, used, year))
    draft.warnings = [DraftWarning(line=line, message=msg) for line, msg in sorted(warns, key=lambda w: w[0] or 0)]
    return draft


def _labelled(lines: list[Line], year: int | None, labeller: Labeller | None) -> list[tuple[int, DraftTask]]:
    model = labeller or shipped()
    return labelled_tasks(lines, year, model) if model is not None else []


def _kind_without_tasks(plan) -> str:
    """The one-line reason for a document with a header but no tasks."""
    number, title = (plan.number or "").upper(), fold(plan.title or "")
    if "/BC" in number or title.startswith("bao cao"):
        return "the document is a report (Báo cáo) that assigns no tasks, not a plan"
    if "/QĐ" in number or title.startswith("quyet dinh"):
        return "the document is a decision (Quyết định) with no tasks (no appendix or list of tasks found)"
    return "no tasks found: no item names an agency to carry it out or a time; not a plan to import"


def _body(lines: list[Line]) -> list[Line]:
    start = body_start(lines)
    return without_footnotes([line for line in lines if line.number >= start])


def _size_warnings(lines: list[Line]) -> list[Warn]:
    warns: list[Warn] = []
    if len(lines) > MAX_LINES:
        warns.append((None, f"the document has {len(lines)} lines; only the first {MAX_LINES} were read"))
    if any(len(line.text) >= MAX_LINE_CHARS for line in lines):
        warns.append((None, f"lines longer than {MAX_LINE_CHARS} characters were cut"))
    return warns


def _early_deadlines(pairs: list[tuple[int, DraftTask]], issued_on: str | None) -> list[Warn]:
    if not issued_on:
        return []
    floor = issued_on if len(issued_on) == 10 else issued_on[:7] + "-01"
    return [
        (line, f"task {task.code}: deadline {task.timing.due} is before the plan's issue date {issued_on}")
        for line, task in pairs
        if task.timing.due and len(floor) == 10 and task.timing.due < floor
    ]


def _resolve(pairs: list[tuple[int, DraftTask]], directory: Directory) -> list[Warn]:
    warns: list[Warn] = []
    reported: set[str] = set()
    for line, task in pairs:
        for names, ids in ((task.lead, task.lead_ids), (task.support, task.support_ids)):
            for name in names:
                agency_id, approximate = directory.resolve(name)
                if agency_id is not None and agency_id not in ids:
                    ids.append(agency_id)
                    if approximate and name not in reported:
                        reported.add(name)
                        warns.append((line, f"agency '{name}' matched the directory approximately (id {agency_id})"))
                elif agency_id is None and name not in reported:
                    reported.add(name)
                    warns.append((line, f"agency '{name}' is not in the directory"))
    return warns
