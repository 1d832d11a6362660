"""What the walk yields: task candidates (an item with its lines and field labels) and the agency scopes
("1. Công an xã", "Văn phòng Sở có trách nhiệm:") whose items belong to that agency."""

from __future__ import annotations

from dataclasses import dataclass, field

from .structure import Label


@dataclass
class Scope:
    names: list[str]
    line: int
    depth: int  # stack depth of the heading frame; -1 for an unmarked heading
    title: str
    item_kind: str | None = None
    has_time_label: bool = False
    support: list[str] = field(default_factory=list)  # "X chủ trì, phối hợp với Y:" headings


@dataclass
class Candidate:
    line: int
    code: str
    kind: str | None
    parts: list[str]
    top: str  # title of the enclosing top-level (roman) section
    section: str | None
    scope: Scope | None
    labels: list[tuple[Label, int]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    heading_time: str | None = None  # "Tháng 8/2024:" heading above the item

    @property
    def content(self) -> str:
        return " ".join(p for p in self.parts if p).strip()

