"""Bounded field types shared by the event models: every string, list and number has a limit."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

Id = Annotated[str, Field(min_length=1, max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=300)]
Line = Annotated[str, Field(max_length=1000)]
Text = Annotated[str, Field(max_length=10_000)]
Period = Annotated[str, Field(max_length=20, pattern=r"^\d{4}(-(\d{2}(-\d{2})?|W\d{2}|Q[1-4]|H[12]))?$",
                              description="a reporting period: 2026, 2026-H2, 2026-Q4, 2026-11, 2026-W45 or 2026-11-29")]
