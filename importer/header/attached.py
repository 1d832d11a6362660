"""A sheet or appendix with no "Số:" line of its own names the plan it belongs to:

    "(Ban hành kèm theo Kế hoạch số 97/KH-UBND ngày 22/02/2024 của UBND thị xã Buôn Hồ)"

That plan's number, date and issuer are the document's.
"""

from __future__ import annotations

import re

from ..read.text import clean_spaces, fold

_ATTACHED = re.compile(
    r"^\(?\s*(?:ban hanh\s+)?kem theo\s+(?:ke hoach|quyet dinh|chuong trinh|phuong an)\s+(?:so\s*:?\s*)?"
    r"(?P<number>\d{1,5}/[a-z][a-z0-9\-]*)"
    r"(?:\s+ngay\s+(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})\s*[/\-.]\s*(?P<y>\d{4}))?"
    r"(?:\s+cua\s+(?P<issuer>[^();]{3,80}))?"
)


def attached_to(texts: list[tuple[int, str]]) -> tuple[str, str | None, str | None] | None:
    """(number, issued_on, issuer) of the plan the document is attached to, if it says so."""
    for _, text in texts:
        folded = fold(text)
        m = _ATTACHED.match(folded)
        if not m:
            continue
        number = clean_spaces(text[m.start("number"): m.end("number")])
        issued = f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}" if m.group("y") else None
        issuer = clean_spaces(text[m.start("issuer"): m.end("issuer")]).strip(" .)") if m.group("issuer") else None
        return number, issued, issuer
    return None
