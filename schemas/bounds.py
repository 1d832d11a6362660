"""Bounded field types shared by the event and command models: every string, list and number has a limit.

An event field takes the bound of the command field it is copied from, so an accepted command always makes a valid event.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

Key = Annotated[str, Field(min_length=1, max_length=100)]  # an id a client chooses (unit, agency, plan), a correlation id
Id = Annotated[str, Field(min_length=1, max_length=200)]
ItemKey = Annotated[str, Field(min_length=1, max_length=250)]  # ids notify makes from a task id: items, escalations, digests
Name = Annotated[str, Field(min_length=1, max_length=300)]
HeadTitle = Annotated[str, Field(min_length=1, max_length=200)]  # "Chủ tịch UBND", "Giám đốc Sở"
PersonName = Annotated[str, Field(max_length=200)]
UnitCode = Annotated[str, Field(max_length=20)]  # official code of a unit: '04', '01392'
Word = Annotated[str, Field(min_length=1, max_length=40)]  # a word from a short fixed vocabulary: "email", "link", "completed"
Line = Annotated[str, Field(max_length=1000)]
Remark = Annotated[str, Field(max_length=4000)]  # a person's note, reason or summary
Text = Annotated[str, Field(max_length=10_000)]
Period = Annotated[str, Field(max_length=20, pattern=r"^\d{4}(-(\d{2}(-\d{2})?|W\d{2}|Q[1-4]|H[12]))?$",
                              description="a reporting period: 2026, 2026-H2, 2026-Q4, 2026-11, 2026-W45 or 2026-11-29")]
MAX_ITEMS = 5_000  # items one digest may name: ordinary task ids make that well under the event size limit



def _cut(max_length: int) -> BeforeValidator:
    return BeforeValidator(lambda v: v[:max_length] if isinstance(v, str) else v)


# Strings cut to their bound rather than refused: text echoed from a refused input into an answer (a reply to a
# command must never fail to be built because the command it answers was oversized).
EchoedId = Annotated[str, _cut(200), Field(max_length=200)]
EchoedLine = Annotated[str, _cut(1000), Field(max_length=1000)]
EchoedText = Annotated[str, _cut(10_000), Field(max_length=10_000)]
