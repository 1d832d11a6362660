"""Walk the lines once and collect task candidates.

A candidate is a numbered/bulleted item (or a plain paragraph) with the
lines that continue it and the field labels that follow it. Agency headings
("1. Công an xã", "Văn phòng Sở có trách nhiệm:") open a scope whose items
belong to that agency. Deciding which candidates are tasks happens later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .candidates import Candidate, Scope
from .closing import reporting_duty
from .field_blocks import field_blocks, field_key, field_row
from .headings import addressee_lines
from .paragraph_shapes import ASSIGNS, in_capitals, lead_heading, named_paragraph, next_paragraph, titled
from .role_cues import opens_assignment
from .time_cues import heading_period, is_time, numbered_period
from ..read.lines import Line
from .structure import Label, Marker, parse_labels, parse_marker
from ..read.text import fold


@dataclass
class _Frame:
    kind: str
    token: str
    title: str
    children: dict[str, int] = field(default_factory=dict)


class Walker:
    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.top = ""
        self.scope: Scope | None = None
        self.current: Candidate | None = None
        self.candidates: list[Candidate] = []
        self.scopes: list[Scope] = []
        self.unmarked: dict[str, int] = {}
        self.heading_time: str | None = None
        self.before_item: set[int] = set()  # lines whose next text line is a numbered or dashed item
        self.time_depth: int | None = None  # stack depth of a numbered period heading ("1. Quý I năm 2026")
        self.content_fields: set[int] = set()  # "- Nhiệm vụ: …" lines: the task field of a block of field lines
        self.field_starts: set[int] = set()  # field lines that open a block whose "Nhiệm vụ:" line follows them
        self.pending: list[tuple[Label, int]] = []  # fields read before their block's "Nhiệm vụ:" line

    def run(self, lines: list[Line]) -> list[Candidate]:
        text = [line for line in lines if line.text or line.cells]
        self.before_item = {a.number for a, b in zip(text, text[1:])
                            if b.cells is None and parse_marker(b.text) is not None}
        self.content_fields, self.field_starts = field_blocks(text)
        addressees = addressee_lines(lines)
        for line in lines:
            if line.number in addressees:
                self._close()  # "Kính gửi: - X; - Y.": to whom the letter goes, no items
                self.scope = None  # "Nơi nhận: - X; - Lưu: VT.": nor does a heading above reach past the recipients
                continue
            field = field_row(line) if line.cells is not None and self.current is not None else None
            if field is not None:
                self._line(field)  # "Đơn vị chủ trì | Công an phường": a field of the item above, as its line would be
                continue
            if line.cells is not None:
                self._close()
                continue
            if line.text:
                self._line(line)
        self._close()
        self._flush_pending()
        return self.candidates

    def _flush_pending(self) -> None:
        """Fields with no "Nhiệm vụ:" line after them stay with the item before them, as any field line does."""
        if self.pending and self.candidates:
            self.candidates[-1].labels += self.pending
        self.pending = []

    def _field(self, labels: list[Label], line: Line) -> None:
        """A field line: the open item's, unless it repeats a field the item has (or opens the fields of a block
        whose "Nhiệm vụ:" line follows): then it is the next block's, read before its task line."""
        current = self.current
        keys = {field_key(label) for label, _ in current.labels}
        opened_by_field = current.line in self.content_fields
        if not self.pending and (any(field_key(label) in keys for label in labels) and opened_by_field
                                 or line.number in self.field_starts and not opened_by_field):
            self._close()
            self.pending = [(label, line.number) for label in labels]
            return
        if self.pending:
            self.pending += [(label, line.number) for label in labels]
            return
        for label in labels:
            current.labels.append((label, line.number))
            if label.kind == "time" and current.scope is not None:
                current.scope.has_time_label = True

    def _close(self) -> None:
        if self.current is not None:
            self.candidates.append(self.current)
        self.current = None

    def _line(self, line: Line) -> None:
        labels = parse_labels(line.text) or self._lettered_field(line.text)
        if labels and (self.current is not None or self.pending):
            if self.current is None:
                self.pending += [(label, line.number) for label in labels]
                return
            self._field(labels, line)
            return
        marker = parse_marker(line.text)
        if marker is not None:
            self._marker(marker, line)
        else:
            self._plain(line)

    def _lettered_field(self, text: str) -> list[Label]:
        """"a) Đơn vị chủ trì: X", "(c) Thời hạn: …" under a numbered item: a field of that item, not a sub-item.
        The marker says "sub-item" and the role word with its colon says "field"; the field wins when an item of
        another numbering kind (or an unnumbered paragraph) is open, since a sub-item whose whole text is a field's
        label and value names no work."""
        marker = parse_marker(text)
        if marker is None or marker.kind not in _SUB_ITEM_KINDS or self.current is None \
                or self.current.kind == marker.kind:
            return []
        return parse_labels(marker.body)

    def _push(self, marker: Marker) -> None:
        kinds = [f.kind for f in self.stack]
        if marker.kind in kinds:
            del self.stack[kinds.index(marker.kind):]
        elif not marker.is_bullet:
            while self.stack and self.stack[-1].kind.startswith("bullet"):
                self.stack.pop()  # a numbered item after a dashed list ("Kính gửi: - …; - …") is not one of its dashes
        parent = self.stack[-1] if self.stack else None
        token = marker.token
        if marker.is_bullet or marker.kind == "num)" and parent and parent.kind == "alpha":
            siblings = parent.children if parent else {}
            siblings[marker.kind] = siblings.get(marker.kind, 0) + 1
            token = f"{marker.kind[-1]}{siblings[marker.kind]}" if marker.is_bullet else token
            if marker.kind == "num)" and parent and parent.token == "k" and token == "1":
                token = "l"  # OCR of "l)" after "k)"
        self.stack.append(_Frame(marker.kind, token, marker.body))
        if self.time_depth is not None and len(self.stack) - 1 <= self.time_depth:
            self.heading_time = self.time_depth = None  # a sibling or a higher item ends the period heading
        if self.scope is not None and self.scope.depth >= len(self.stack) - 1 and self.scope.depth >= 0:
            self.scope = None

    def _code(self) -> str:
        return ".".join(f.token for f in self.stack)

    def _group_title(self) -> str | None:
        for frame in reversed(self.stack[:-1]):
            if not frame.kind.startswith("bullet"):
                return frame.title
        return None

    def _marker(self, marker: Marker, line: Line) -> None:
        if marker.kind == "roman" or (marker.kind == "ALPHA" and in_capitals(marker.body)):
            self._close()
            self._flush_pending()
            self.stack = []
            self.scope = None
            self.heading_time = None
            self._push(marker)
            self.top = marker.body
            heading = lead_heading(marker.body, line.strong) if marker.body.rstrip().endswith(":") else None
            if heading is not None:  # "II. Công an xã chủ trì thực hiện các nhiệm vụ sau:": the lead of what follows
                self._open_scope(heading, 0, marker.body, line)
            return
        scope = self.scope
        if scope and scope.depth == -1 and not marker.is_bullet and marker.kind != scope.item_kind:
            self.scope = scope = None
        if scope and scope.item_kind and marker.kind != scope.item_kind and self.current is not None \
                and self.current.scope is scope and _deeper(self.stack, marker.kind, scope.item_kind):
            self.current.parts.append(marker.body)
            self.current.lines.append(line.number)
            return
        period = numbered_period(marker.body, line.strong) if marker.kind != "task" and not marker.is_bullet else None
        if period is not None:
            self._close()  # "1. Quý I năm 2026", "1. Giai đoạn 1: Từ …": the time of the items below it
            self._push(marker)
            self.heading_time, self.time_depth = period, len(self.stack) - 1
            return
        heading = lead_heading(marker.body, line.strong) if marker.kind != "task" else None
        self._close()
        self._push(marker)
        if heading is not None:
            self._open_scope(heading, len(self.stack) - 1, marker.body, line)
            return
        if self.scope is not None and self.scope.item_kind is None:
            self.scope.item_kind = marker.kind
        self.current = self._candidate(line, marker.body, marker.kind)

    def _open_scope(self, heading: tuple, depth: int, title: str, line: Line) -> None:
        names, rest, *support = heading
        self.scope = Scope(names, line.number, depth, title, support=support[0] if support else [])
        self.scopes.append(self.scope)
        if rest:
            self.current = self._candidate(line, rest, None)

    def _candidate(self, line: Line, text: str, kind: str | None) -> Candidate:
        code = self._code()
        if kind is None:
            count = self.unmarked[code] = self.unmarked.get(code, 0) + 1
            code = f"{code}.p{count}" if count > 1 or not self.scope else code
        section = self.scope.title if self.scope else self._group_title()
        labels, self.pending = (self.pending, []) if line.number in self.content_fields else ([], self.pending)
        self._flush_pending()
        return Candidate(line.number, code, kind, [text], self.top, section, self.scope, lines=[line.number],
                         heading_time=self.heading_time, labels=labels)

    def _item_above(self, current: Candidate | None) -> Candidate | None:
        """The numbered item whose bullet sub-points end just before this line."""
        if current is None or not (current.kind or "").startswith("bullet") or current.labels:
            return None
        parent_code = current.code.rsplit(".", 1)[0]
        for c in reversed(self.candidates):
            if c.code == parent_code and c.kind and not c.kind.startswith("bullet"):
                return c if not c.labels else None
            if not c.code.startswith(parent_code):
                return None
        return None

    def _group_period(self, line: Line) -> bool:
        """A bare period line over items ("Quý II/2026") heads them when no item is open, a group period is in force
        or it is in capitals ("THÁNG 5/2026"); after an open item it is otherwise that item's time."""
        return line.number in self.before_item and (self.current is None or self.heading_time or in_capitals(line.text))

    def _plain(self, line: Line) -> None:
        text = line.text
        if (line.strong or text.endswith(":") or self._group_period(line)) and is_time(text):
            self._close()
            self.heading_time = text.strip(" :.;")  # "Tháng 8/2024:": the time of the items below
            return
        period = heading_period(text) if line.strong or in_capitals(text) or text.endswith(":") else None
        if period is not None:  # "NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN" after "QUÝ IV/2026": the nearer heading's time
            self._close()
            self.heading_time = period
            return
        if (line.strong or text.endswith(":")) and len(text) < 150:
            heading = lead_heading(text, True)
            if heading is not None:
                self._close()
                self._open_scope(heading, -1, text, line)
                return
        heading = named_paragraph(text)
        if heading is not None:
            self._close()  # "Phòng X: Tham mưu …; hoàn thành trong tháng 6/2026.": the named unit's task
            self._open_scope(heading, -1, text, line)
            return
        current = self.current
        if titled(current) and text[:1].isupper() and len(text) > 80:
            self._close()  # "2. Công tác cấp căn cước" / "Công an xã tổ chức …": the paragraph under a numbered title
            self.current = self._candidate(line, text, "para")
            self.current.section = current.content
            return
        parent = self._item_above(current) if ASSIGNS.match(fold(text)) else None
        if parent is not None:
            parent.parts.append(text)  # "Giao X chủ trì …" after the item's "- " sub-points
            parent.lines.append(line.number)
            self._close()
            return
        if current is not None and text[:1].isupper() and reporting_duty(text):
            current = None  # "Định kỳ … các cơ quan báo cáo … về …": the plan's reporting duty, not the item's text
            if self.scope is not None and self.scope.item_kind is not None:
                self.scope = None  # … nor one of the marked items under the agency heading above it
        if next_paragraph(current, self.scope, text):
            self._close()  # "X chủ trì thực hiện các nhiệm vụ sau:" over paragraphs: each paragraph is one task
            self.current = self._candidate(line, text, None)
            return
        if current is not None and not current.labels and not opens_assignment(text):
            current.parts.append(text)
            current.lines.append(line.number)
            return
        if current is not None and current.labels and text[:1].islower():
            label, number = current.labels[-1]
            label.value = f"{label.value} {text}"
            return
        self._close()
        self.current = self._candidate(line, text, None)


_SUB_ITEM_KINDS = ("alpha", "(alpha)", "num)", "(num)")


def _deeper(stack: list[_Frame], kind: str, item_kind: str) -> bool:
    """Is kind below item_kind (a sub-point of the current item)?"""
    kinds = [f.kind for f in stack]
    if kind in kinds:
        return kinds.index(kind) > kinds.index(item_kind) if item_kind in kinds else False
    return True


def walk(lines: list[Line]) -> tuple[list[Candidate], list[Scope]]:
    walker = Walker()
    candidates = walker.run(lines)
    return candidates, walker.scopes

