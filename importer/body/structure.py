"""Line-level structure: numbering markers and field labels (agency headings: headings.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocabulary.agencies import is_head
from .headings import agency_heading  # noqa: F401  (re-exported: walker and tests import it from here)
from ..read.text import fold

_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("task", re.compile(r"^(?:nhiệm vụ|nv)\s*(?:số\s*)?(\d{1,3})\s*[:.)\-–]\s*", re.I)),
    ("group", re.compile(r"^nhóm\s+(\d{1,2}|[IVX]{1,4})\s*[:.)\-–]\s*", re.I)),  # "Nhóm 1: Phục vụ …"
    ("roman", re.compile(r"^([IVXL]{1,5})\s*[.):\-–]\s+")),
    ("multi", re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,4})\.?\)?\s+")),
    ("num.", re.compile(r"^(\d{1,3})\s*\.\s+")),
    ("num)", re.compile(r"^(\d{1,3})\s*\)\s*")),
    ("ALPHA", re.compile(r"^([A-Z])\s*[.)]\s+")),
    ("alpha", re.compile(r"^([a-zđ])\s*[).]\s+")),
    ("(num)", re.compile(r"^\((\d{1,3})\)\.?\s*")),  # "(1) …" and "(1). …"
    ("(alpha)", re.compile(r"^\(([a-zđ])\)\.?\s*")),
    ("bullet", re.compile(r"^([-–+•*·▪●○■□◦✓])\s*")),
]
_BULLET_NAMES = {"-": "b", "–": "b", "+": "+", "*": "*"}


@dataclass
class Marker:
    kind: str  # roman, multi2.., num., num), ALPHA, alpha, (num), (alpha), bullet-
    token: str
    body: str

    @property
    def is_bullet(self) -> bool:
        return self.kind.startswith("bullet")


def parse_marker(text: str) -> Marker | None:
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if not m or len(text) <= m.end():
            continue
        token = m.group(1)
        if kind == "multi":
            kind = f"multi{token.count('.') + 1}"
        elif kind == "bullet":
            kind = "bullet" + _BULLET_NAMES.get(token, "o")
        return Marker(kind, token, text[m.end():].strip())
    return None


@dataclass
class Label:
    kind: str  # lead | support | exec | time | other (product, note)
    value: str
    role: str = "auto"  # for time: start | due | auto


_BULLET_PREFIX = re.compile(r"^[-–+•*·]\s*")
_AGENCY_LABEL = re.compile(
    r"^(?P<prefix>(?:cac\s+)?(?:co quan|don vi|bo phan|to chuc|ca nhan)(?:\s*,\s*(?:co quan|don vi|to chuc))*\s*)?"
    r"(?P<kw>chu tri|phoi hop|p\s*/\s*h|thuc hien|trien khai|trach nhiem|phu trach|giao(?= ?:))"
    r"(?:\s+(?:thuc hien|chinh|trien khai))?\s*(?P<sep>:|[.\-–](?!\w))?\s*"
)
_TIME_LABEL = re.compile(
    r"^(?:thoi gian|thoi han|tien do|moc thoi gian|han hoan thanh|(?:hoan thanh|han)(?=\s*:))"
    r"(?P<words>(?:\s+(?:thuc hien|hoan thanh|thuc|trien khai|bat dau|ket thuc|du kien|xong|thuc hien/hoan thanh))*)"
    r"\s*(?P<sep>:|[.\-–](?!\w))?\s*"
)
# "Thời gian hoàn thành trước ngày …" written as a sentence, without a colon
_TIME_SENTENCE = re.compile(
    r"^(?:truoc|trong|tu|cham nhat|xong|vao|den|het|ngay|khi|theo|thuong xuyen|hang|dinh ky|thang|quy|nam|sau)\b"
)


_OTHER_LABEL = re.compile(r"^(?:san pham|ket qua(?:\s*/\s*san pham)?|hinh thuc|ghi chu|kinh phi|nguon kinh phi)\s*:\s*(?=\S)")


def parse_label(text: str) -> Label | None:
    """Recognise "Cơ quan chủ trì: …", "- Thời gian hoàn thành …" and variants."""
    text = _BULLET_PREFIX.sub("", text, count=1)
    folded = fold(text)
    other = _OTHER_LABEL.match(folded)
    if other:
        return Label("other", text[other.end():].strip())  # "Sản phẩm: …": a field of the task, not a task
    m = _TIME_LABEL.match(folded)
    if m:
        value = text[m.end():].strip()
        plain = value[:1].isupper() or value[:1].isdigit() or _TIME_SENTENCE.match(fold(value))
        if value and (m.group("sep") or plain and len(text) < 200):
            words = m.group("words") or ""
            role = "start" if "bat dau" in words else "auto"
            return Label("time", value, role)
        return None
    m = _AGENCY_LABEL.match(folded)
    if not m or not text[m.end():].strip():
        return None
    kw, prefix, sep = m.group("kw"), m.group("prefix"), m.group("sep")
    if kw in ("thuc hien", "trien khai") and not prefix and sep != ":":
        return None  # "Thực hiện …" opens a sentence; "Thực hiện: X (chủ trì), Y" names who does it
    if not (sep == ":" or (prefix and (sep or is_head(text[m.end():])))):
        return None
    # "Giao: X; phối hợp: Y": the office a task is assigned to leads it, as "Chủ trì: X" does
    kind = {"chu tri": "lead", "phu trach": "lead", "giao": "lead", "phoi hop": "support"}.get(kw, "exec")
    if kw.startswith("p") and "/" in kw:
        kind = "support"  # "p/h:", the short form of "phối hợp:"
    return Label(kind, text[m.end():].strip())


_NEXT_LABEL = re.compile(
    r"[;.]\s*(?=(?:(?:co quan|don vi)\s+)?(?:chu tri|phoi hop|thoi gian|thoi han|tien do)[^:;]{0,25}:|(?:p\s*/\s*h|han)\s*:)")


def _unbracket(text: str) -> str:
    """"(Chủ trì: X; Thời gian: Y)" and its wrapped halves: the brackets are not part of the values."""
    if text.startswith("("):
        text = text[1:].lstrip()
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text


# ". Hoàn thành trong Quý II/2026", ". Hằng tháng", ". Sau khi …": a sentence of time closing a line of role labels
_TIME_AFTER_NAMES = re.compile(r"\.\s+(?=(?:hoan thanh|xong)\b|" + _TIME_SENTENCE.pattern.removeprefix("^") + ")")


def _time_sentence(label: Label) -> list[Label]:
    """"Phối hợp: Y. Hoàn thành trong Quý II/2026." -> the partners Y and the time. Two cues compete (the label says
    "agencies up to the line's end", the full stop and a capitalised time word say "a sentence of its own"); the
    sentence wins, since agencies are listed with commas and a name never opens with a time word."""
    if label.kind == "time" or label.kind == "other":
        return [label]
    m = _TIME_AFTER_NAMES.search(fold(label.value))
    if not m or not label.value[m.end():m.end() + 1].isupper():
        return [label]
    time = label.value[m.end():].strip(" ;.")
    label.value = label.value[: m.start()].strip(" ;.")
    return [label, Label("time", time)]


def parse_labels(text: str) -> list[Label]:
    """parse_label, also splitting "Chủ trì: X; phối hợp: Y; thời hạn: Z" on one line, and a closing sentence of
    time ("Chủ trì: X. Phối hợp: Y. Hoàn thành trong Quý II/2026.")."""
    label = parse_label(_unbracket(text))
    if label is None:
        return []
    folded = fold(label.value)
    cuts = [m.start() for m in _NEXT_LABEL.finditer(folded)]
    pieces = [label.value[a:b] for a, b in zip([0] + cuts, cuts + [len(folded)])]
    label.value = pieces[0].strip(" ;.") if cuts else label.value
    labels = [label] + [m for m in (parse_label(p.strip(" ;.")) for p in pieces[1:]) if m is not None]
    return [piece for one in labels for piece in _time_sentence(one)]
