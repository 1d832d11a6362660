"""Task-table header rows: which column holds what.

Header cells are recognised by keywords, so column order and wording vary
freely; a second header row ("Thực hiện | Hoàn thành") or a "Thời gian bắt
đầu | Thời gian kết thúc" pair splits the timing into start and due columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..read.text import fold, unify_dashes
from .year_columns import year_columns
from .role_matrix import Body, body_columns

_COLUMNS = [
    ("stt", re.compile(r"^(?:stt|tt|so tt|so thu tu)$")),
    ("leader", re.compile(r"lanh dao|nguoi phu trach|can bo phu trach|dong chi")),  # a person, not the lead agency
    ("note", re.compile(r"^ghi chu$")),
    ("lead", re.compile(r"chu tri|dau moi|don vi thuc hien|co quan thuc hien|bo phan thuc hien|trach nhiem|phu trach|phan cong|ai lam|ai thuc hien|nguoi thuc hien|^don vi$|^co quan$|^bo phan$"
                       r"|^luc luong(?: thuc hien| chu tri| chinh)?$")),  # "Lực lượng thực hiện": the force that does it
    ("support", re.compile(r"phoi hop|cung tham gia|cung thuc hien")),  # "Đơn vị cùng tham gia"
    ("time", re.compile(r"thoi gian|thoi han|tien do|hoan thanh|moc|khi nao|bao gio")),
    # "Nhóm nhiệm vụ", "Lĩnh vực": the group a row belongs to, when another column holds the task (header_row)
    ("group", re.compile(r"^(?:nhom|linh vuc)(?: nhiem vu| cong viec| giai phap| linh vuc)?$")),
    ("content", re.compile(r"noi dung|nhiem vu|cong viec|giai phap|hoat dong|viec can lam")),
    ("product", re.compile(r"^(?:san pham|ket qua dau ra|ket qua)$")),  # named, so a header of column names is one
]
_START_WORDS = re.compile(r"^(?:thuc hien|bat dau|tu ngay|khoi cong)$")
_DUE_WORDS = re.compile(r"^(?:hoan thanh|ket thuc|den ngay|thoi han)$")


def column_name(folded: str) -> bool:
    """Is a folded cell a column's name ("chu tri", "bat dau", "san pham")?"""
    return len(folded) <= 40 and (any(p.search(folded) for _, p in _COLUMNS) or bool(_START_WORDS.match(folded))
                                  or bool(_DUE_WORDS.match(folded)))


@dataclass
class Columns:
    index: dict[str, int] = field(default_factory=dict)
    start: int | None = None
    due: int | None = None
    marks: list[Mark] = field(default_factory=list)  # the period columns ticked "x"
    paired: bool = False  # the lead column's header is "Chủ trì / Phối hợp": its cells read "lead / partners"
    quarters: bool = False  # the time column's header counts quarters ("Thời gian (quý)"): numbered periods are quarters
    weeks: bool = False  # every period column is a week ("Tuần 1 (02/3 - 08/3)")
    years: list[tuple[int, int]] = field(default_factory=list)  # (column, year) of ticked year columns ("2026 | 2027")
    bodies: list[Body] = field(default_factory=list)  # a responsibility matrix's body columns (role_matrix)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(r"^quy\s*(i{1,3}|iv|[1-4])$")
_MONTH = re.compile(r"^thang\s*(\d{1,2})$")
# "Tuần 1 (01/7-05/7)", "Đợt 2 (từ 10/3 đến 20/3)": a period column whose header writes its days
_SPAN = re.compile(r"^(?:tuan|dot|ky|giai doan)\s*\d{0,2}\s*\(?\s*(?:tu\s+)?(\d{1,2})/(\d{1,2})\s*(?:-|–|den)\s*"
                   r"(\d{1,2})/(\d{1,2})\s*\)?$")

Mark = tuple[int, tuple[int, int], tuple[int, int]]  # (column, (first month, day), (last month, day)); day 0 = the last


def _mark_column(i: int, cell: str) -> Mark | None:
    folded = unify_dashes(fold(cell)).strip()
    quarter, month, span = _QUARTER.match(folded), _MONTH.match(folded), _SPAN.match(folded)
    if quarter:
        n = _ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        return i, (3 * n - 2, 1), (3 * n, 0)
    if month and 1 <= int(month.group(1)) <= 12:
        return i, (int(month.group(1)), 1), (int(month.group(1)), 0)
    if span:
        d1, m1, d2, m2 = (int(g) for g in span.groups())
        if 1 <= m1 <= m2 <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31:
            return i, (m1, d1), (m2, d2)
    return None


def _mark_columns(cells: list[str]) -> list[Mark]:
    """"Quý I | Quý II | …", "Tháng 1 | Tháng 2 | …" or "Tuần 1 (01/7-05/7) | …" columns, where an "x" says when
    the task is done."""
    marks = [m for m in (_mark_column(i, cell) for i, cell in enumerate(cells)) if m]
    return marks if len(marks) >= 2 else []


def _all_weeks(cells: list[str], marks: list[Mark]) -> bool:
    return bool(marks) and all(fold(cells[i]).strip().startswith("tuan") for i, _, _ in marks)


# "Nhiệm vụ của tỉnh", "Nhiệm vụ theo Kế hoạch số …", "Nhiệm vụ tại Phụ lục …": the task of the plan carried out
_CITED = re.compile(r"\b(?:cua|theo|tai)\s+(?:ubnd\s+)?(?:tinh|huyen|thanh pho|cap tren|trung uong|ke hoach|quyet dinh|"
                    r"chi thi|phu luc|van ban)\b|\bcap tren giao\b")


def _cited_columns(cells: list[str]) -> set[int]:
    """A header naming another plan's task cites it; it is not the content when another header names the content.
    Two cues compete there ("nhiệm vụ" says content, "của tỉnh" says a reference): the reference wins, since the
    row's other content column holds what this plan does, and a citation is only where it comes from."""
    content = dict(_COLUMNS)["content"]
    candidates = [i for i, c in enumerate(cells) if len(fold(c).strip()) <= 60 and content.search(fold(c).strip())]
    cited = {i for i in candidates if _CITED.search(fold(cells[i]))}
    return cited if len(cited) < len(candidates) else set()


# a cell that holds a value, not a column's name: a field label with its value ("Chủ trì: X; Phối hợp: Y") or a day
_VALUE_CELL = re.compile(r"^(?:chu tri|phoi hop|thoi gian|thoi han)\s*:\s*\S|\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}\b")


def _holds_values(cells: list[str]) -> bool:
    """A task row whose cells happen to hold a column's words ("Danh mục nhiệm vụ đề xuất" in a product cell,
    "Chủ trì: X" in its roles cell) is no header: two cues compete there (the words say "column names", the labelled
    value and the dated cell say "a row"), and the values win, since a header names its columns and dates none
    (period columns such as "Tuần 1 (01/7-05/7)" write days and months only, and are read before this)."""
    return any(_VALUE_CELL.search(fold(c).strip()) for i, c in enumerate(cells) if not _mark_column(i, c))


def header_row(cells: list[str]) -> Columns | None:
    cols = Columns()
    if _holds_values(cells):
        return None
    cited = _cited_columns(cells)
    for i, cell in enumerate(cells):
        folded = fold(cell).strip()
        if len(folded) > 60 or i in cited:
            continue
        if _mark_column(i, cell):
            continue
        if "content" not in cols.index and _ROLES_IN_BRACKET.search(folded) \
                and dict(_COLUMNS)["content"].search(folded.split("(")[0]):
            cols.index["content"] = i  # "Nhiệm vụ cụ thể (đơn vị thực hiện, thời hạn)": the task, its roles inside
            continue
        for name, pattern in _COLUMNS:
            if folded and pattern.search(folded) and name not in cols.index:
                cols.index[name] = i
                break
    if "lead" not in cols.index and "leader" in cols.index:
        # "Người phụ trách" and no column of lead agencies: the post or person in charge leads the row ("Trưởng
        # Công an xã"). Two cues compete (the header says "a person, not an agency", no other column says who does
        # the work); the row's only answer to "who" wins: beside a lead column the leader column is still no lead
        cols.index["lead"] = cols.index.pop("leader")
    _level_columns(cells, cols)
    bodies = [] if "lead" in cols.index else body_columns(cells, set(cols.index.values()))
    named = [c for i, c in enumerate(cells) if c.strip() and i not in dict(bodies)]
    only_names = all(len(c) <= 40 and any(p.search(fold(c).strip()) for _, p in _COLUMNS) for c in named)
    if {"content", "lead"} <= cols.index.keys() or {"content", "time"} <= cols.index.keys() and only_names \
            or _roles_in_content(cells, cols):
        # without a lead column (every cell a column name), the lead comes from group rows ("1. X chủ trì")
        _time_pair(cells, cols)
        cols.paired = "support" not in cols.index and bool(_PAIRED.search(fold(cells[cols.index.get("lead", 0)])))
        _revised_time(cells, cols)
        cols.marks = _mark_columns(cells)
        cols.weeks = _all_weeks(cells, cols.marks)
        cols.years = year_columns(cells)
        cols.bodies = bodies
        cols.quarters = "quy" in fold(cells[cols.index["time"]]).replace(" ", "") if "time" in cols.index else False
        return cols
    return None


# "Nhiệm vụ cụ thể (đơn vị thực hiện, thời hạn)": the task column says its cells hold each task's roles and time
_ROLES_IN_BRACKET = re.compile(r"\((?:[^()]*\b(?:don vi|chu tri|phan cong|thoi han|thoi gian)\b)[^()]*\)")


def _roles_in_content(cells: list[str], cols: Columns) -> bool:
    """A table with no lead or time column whose task column's header names, in brackets, the roles and time its
    cells hold ("Nhiệm vụ cụ thể (đơn vị thực hiện, thời hạn)"): each task cell brings its own."""
    i = cols.index.get("content")
    return i is not None and not ({"lead", "time"} & cols.index.keys()) and bool(_ROLES_IN_BRACKET.search(fold(cells[i])))


_LEVEL = re.compile(r"^cap (?:trung uong|tinh|huyen|xa)$")


def _level_columns(cells: list[str], cols: Columns) -> None:
    """A column per responsible level ("Cấp tỉnh | Cấp xã") and no column naming the lead: the highest level's
    cell leads the row, the next level's carries the task out at its level (the row's partners). Two cues compete
    (no header word of a lead; two columns that each name who acts); the order of the levels wins, since a plan
    assigns a task from the top: the higher level leads and the lower does it where it is."""
    levels = [i for i, c in enumerate(cells) if _LEVEL.match(fold(c).strip())]
    if len(levels) < 2 or "lead" in cols.index:
        return
    cols.index["lead"] = levels[0]
    cols.index.setdefault("support", levels[1])


_PAIRED = re.compile(r"chu tri\s*/\s*phoi hop")
_START_HEADER = re.compile(r"\b(?:bat dau|tu ngay|khoi dau)\b")
_DUE_HEADER = re.compile(r"\b(?:ket thuc|hoan thanh|den ngay|thoi han)\b")


def _time_pair(cells: list[str], cols: Columns) -> None:
    """"Thời gian bắt đầu | Thời gian kết thúc" in one header row: a start and a due column."""
    starts = [i for i, c in enumerate(cells) if _START_HEADER.search(fold(c))]
    dues = [i for i, c in enumerate(cells) if _DUE_HEADER.search(fold(c)) and i not in starts]
    if starts and dues:
        cols.start, cols.due = starts[0], dues[0]


_REVISED = re.compile(r"\b(?:dieu chinh|gia han|sua doi|moi)\b")


def _revised_time(cells: list[str], cols: Columns) -> None:
    """An amendment's "Thời gian theo Kế hoạch số … | Thời gian điều chỉnh": the revised column is the time."""
    revised = [i for i, c in enumerate(cells) if _REVISED.search(fold(c)) and dict(_COLUMNS)["time"].search(fold(c))]
    if "time" in cols.index and revised and cols.start is None:
        cols.index["time"] = revised[-1]


_PERIOD_NUMBER = re.compile(r"^\d{1,2}$")


def _numbered_periods(cells: list[str], cols: Columns) -> bool:
    """A second header row of bare numbers "1 | 2 | … | 12" starting under the time column ("Thời gian thực hiện năm
    2026 (tháng)" merged over them): one period column each, months, or quarters when the time header names them.
    The time column's own cell then holds the first period's tick ("x"), not a time."""
    time = cols.index.get("time")
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
    if time is None or cols.marks or len(filled) < 2 or filled[0][0] != time \
            or not all(_PERIOD_NUMBER.match(c) for _, c in filled):
        return False
    numbers = [int(c) for _, c in filled]
    last = 4 if cols.quarters else 12
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))) or not 1 <= numbers[0] <= numbers[-1] <= last:
        return False
    cols.marks = [(i, (3 * n - 2, 1), (3 * n, 0)) if cols.quarters else (i, (n, 1), (n, 0)) for (i, _), n
                  in zip(filled, numbers)]
    del cols.index["time"]
    return True


def _named_periods(cells: list[str], cols: Columns) -> bool:
    """A second header row of period columns that write their days ("Tuần 1 (02/3 - 08/3) | Tuần 2 (09/3 - 15/3) |
    …"), blank under the columns the first row named, starting under the time column ("Thời gian thực hiện tháng
    3/2026" merged over them): one period column each, as when the first row names them; the time column's own cell
    then holds the first period's tick."""
    time = cols.index.get("time")
    filled = [i for i, c in enumerate(cells) if c.strip()]
    marks = _mark_columns(cells)
    if time is None or cols.marks or not marks or filled != [m[0] for m in marks] or filled[0] != time:
        return False
    cols.marks, cols.weeks = marks, _all_weeks(cells, marks)
    del cols.index["time"]
    return True


def subheader_row(cells: list[str], cols: Columns) -> bool:
    if _numbered_periods(cells, cols) or _named_periods(cells, cols):
        return True
    found = False
    for i, cell in enumerate(cells):
        folded = fold(cell).strip()
        if _START_WORDS.match(folded):
            cols.start, found = i, True
        elif _DUE_WORDS.match(folded):
            cols.due, found = i, True
        elif folded:
            return False
    return found
