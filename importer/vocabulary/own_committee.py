"""The issuing People's Committee named by its level alone ("UBND xã", "Ủy ban nhân dân xã") in its own plan: the
issuer ("UBND xã Long Phú"), as "Công an xã" in a commune's plan is that commune's police.

Two cues compete: the name as written (a committee of some commune) and the plan's issuer (the committee of this
commune). The issuer wins when it is a People's Committee of the same level, since a plan assigns work to its own
committee by its level alone and names another commune's committee with its place; an issuer of another kind (a
working group, a Party committee) leaves the name as written.
"""
from __future__ import annotations

import re

from .agency_directory import agency_key

_BARE = re.compile(r"^ủy ban nhân dân (xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh)$")


def as_issuer(name: str, issuer: str | None) -> str:
    """"UBND xã" in a plan issued by "UBND xã Long Phú" -> "UBND xã Long Phú"; any other name unchanged."""
    bare = _BARE.match(agency_key(name).replace("uỷ", "ủy"))
    if bare is None or not issuer:
        return name
    own = agency_key(issuer).replace("uỷ", "ủy")
    return issuer if own.startswith(f"ủy ban nhân dân {bare.group(1)} ") else name
