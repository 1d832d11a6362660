"""How Vietnamese text is compared across services: NFC, no tone marks, lower case, one space, en dash = hyphen."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """ "Trong vòng 15 Ngày" -> "trong vong 15 ngay"; "Thành uỷ" and "Thành ủy" fold alike."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("–", "-"))
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip()
