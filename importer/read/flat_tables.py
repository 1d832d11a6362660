"""Tables that arrive flattened, one cell a line (a Word or web table pasted as plain text).

A run of three or more short lines that are all column names ("STT", "Nội dung nhiệm vụ", "Đơn vị
chủ trì", …; or a targets table's "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2026") is a header of that many columns. Each row then starts with a line shaped like the
first column (a row number, or a time when the first column is a time); its cells follow one a
line, an empty line standing for an empty cell, and a line cut at the text width continuing onto
the next. A heading line in capitals where a row should start is a group row, and so is a short line with a row
starting right after it ("Tháng 02/2026"). The table ends at
the first line that cannot start a row. Rows come out tab-separated, as a .docx table would.
"""
from __future__ import annotations

from .flat_groups import group_title, is_group_title, is_short_group, lone_key_group, numbered_group
from .flat_header import header_at, row_start, sub_header
from .flat_rows import counted_row, next_row_start, page_break, refit_row, row_cells, shifted_row
from .piped_cells import unpipe
from .text import fold


def rebuild_tables(lines: list[str]) -> list[str]:
    lines = unpipe(lines)
    width = max((len(line.strip()) for line in lines if "\t" not in line), default=0)
    out: list[str] = []
    i = 0
    while i < len(lines):
        columns = header_at(lines, i)
        if not columns:
            out.append(lines[i])
            i += 1
            continue
        header = [line.strip() for line in lines[i:i + columns]]
        out.append("\t".join(header))
        starts = row_start(fold(lines[i].strip()))
        i += columns
        sub = sub_header(lines, i, columns)
        periods = sub is not None and any(c.isdigit() for c in sub[0])  # numbered periods: every cell a line
        exact = 0  # rows so far written cell by cell to the last column, one blank line after (-1: a row was not)
        if sub is not None:
            out.append("\t".join(sub[0]))
            i = sub[1]
        while True:
            while i < len(lines) and not lines[i].strip():
                i += 1
            if i >= len(lines):
                break
            resumed = page_break(lines, i, header)
            if resumed is not None:
                i = resumed
                continue
            group = lone_key_group(lines, i, starts) if not starts(lines[i]) else None
            if group is not None:
                out.append(group[0] + "\t" * (columns - 2))
                i = group[1]
                continue
            if not starts(lines[i]) and (is_group_title(lines[i]) or is_short_group(lines, i, starts)):
                title, i = group_title(lines, i, starts)
                out.append(title + "\t" * (columns - 1))
                continue
            numbered = numbered_group(lines, i, starts) if not starts(lines[i]) else None
            if numbered is not None:
                out.append(numbered[0] + "\t" * (columns - 1))
                i = numbered[1]
                continue
            if not starts(lines[i]):
                break
            begin = i
            cells, i = row_cells(lines, i, columns, width)
            after = i
            while after < len(lines) and not lines[after].strip():
                after += 1
            counted = counted_row(lines, begin, after, columns, width) \
                if periods and after < len(lines) and starts(lines[after]) else None
            if counted is None and exact >= 2 and after - i == 2 and after < len(lines) and starts(lines[after]):
                counted = shifted_row(cells, width)  # a cell cut before a capital in a table written cell by cell
            exact = exact + 1 if exact >= 0 and after - i == 1 and len(cells) == columns else -1
            if counted is not None:
                cells = counted
            elif after < len(lines) and not (starts(lines[after]) or is_group_title(lines[after])
                                           or is_short_group(lines, after, starts)
                                           or lone_key_group(lines, after, starts)
                                           or numbered_group(lines, after, starts)
                                           or page_break(lines, after, header) is not None):
                resume = next_row_start(lines, after, starts)
                if resume is not None:  # the row ran over: a cut the width test missed
                    cells, i = refit_row(lines, begin, resume, columns), resume
            out.append("\t".join(cells + [""] * (columns - len(cells))))
    return out
