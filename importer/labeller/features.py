"""Segment features that hold across layouts: role words, agency-name shapes, date shapes, numbering
depth and style, table column and its header words, position, length, punctuation — and the same
for the neighbouring segments. No plan's wording or names."""
from __future__ import annotations

import re

from ..read.text import fold
from ..vocabulary.agencies import is_head
from .inline import TASK_VERB, is_time, subject_roles
from .segments import Segment

_NUMBERING = [
    ("roman", re.compile(r"^[ivx]{1,4}[.)]\s")),
    ("arabic-deep", re.compile(r"^\d{1,2}(?:\.\d{1,2}){2,}[.)]?\s")),
    ("arabic-2", re.compile(r"^\d{1,2}\.\d{1,2}[.)]?\s")),
    ("arabic", re.compile(r"^\d{1,2}[.)]\s")),
    ("paren-number", re.compile(r"^\(\d{1,2}\)\s")),
    ("letter", re.compile(r"^[a-zđ][.)]\s")),
    ("dash", re.compile(r"^[-–—]\s*")),
    ("plus", re.compile(r"^\+\s*")),
    ("star", re.compile(r"^[*•·]\s*")),
    ("task-word", re.compile(r"^(?:nhiem vu|noi dung|cong viec|viec)\s*(?:so\s*)?\d{1,2}\b")),
    ("group-word", re.compile(r"^(?:nhom|phan|muc|chuong|phu luc)\s+[\divx]+\b")),
]
_ROLE_WORDS = {
    "lead": re.compile(r"\b(?:chu tri|phu trach|don vi thuc hien|co quan thuc hien|ai lam|chinh)\b"),
    "support": re.compile(r"\bphoi hop\b"),
    "assign": re.compile(r"^(?:giao|de nghi|yeu cau)\b"),
    "do": re.compile(r"\bthuc hien\b"),
}
_DATE_SHAPES = {
    "dmy": re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}\b"),
    "dm": re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}\b(?!\s*/)"),
    "month": re.compile(r"\bthang\s*\d{1,2}\b"),
    "quarter": re.compile(r"\bquy\s*(?:[ivx]{1,3}|\d)\b"),
    "year": re.compile(r"\b20\d{2}\b"),
    "before": re.compile(r"\b(?:truoc|cham nhat|han|hoan thanh|xong)\b"),
    "recurring": re.compile(r"\b(?:thuong xuyen|hang (?:thang|quy|nam|tuan|ngay)|dinh ky)\b"),
    "week": re.compile(r"\btuan\b"),
    "when": re.compile(r"\b(?:khi|sau khi|ngay sau)\b"),
}
_FIELD_LABELS = re.compile(
    r"^(?:(?:co quan|don vi)\s+)?(?:chu tri|phoi hop|thuc hien|phu trach|thoi gian|thoi han|tien do|san pham"
    r"|ket qua|ghi chu|noi dung|nhiem vu|trach nhiem|hoan thanh|moc thoi gian|dau moi)\b")
# a sentence that opens by assigning: "[Về …:] [Giao] X chủ trì …" (folded, numbering stripped)
ASSIGNS_OPEN = re.compile(r"^(?:(?:ve|doi voi)\s+[^:]{2,60}:\s+)?(?:(?:giao(?: cho)?|de nghi)\s+)?[^;:()]{3,90}?\s+chu tri\b")
ITEMS_FOLLOW = re.compile(r"(?:\bcac (?:nhiem vu|noi dung|cong viec)|\bsau|:)\s*$")
_AGENCY_WORDS = re.compile(r"\b(?:cong an|ubnd|uy ban|phong|so|ban|doan|hoi|van phong|trung tam|cong chuc|bhxh)\b")


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    return str(next((i for i, e in enumerate(edges) if n <= e), len(edges)))


def numbering_style(folded: str) -> str:
    return next((name for name, pattern in _NUMBERING if pattern.match(folded)), "none")


def numbering_end(text: str) -> int:
    """Where an item's text begins after its number or bullet ("b) ", "1.2. ", "- ", "Nhiệm vụ 3")."""
    folded = fold(text).lower()
    for _, pattern in _NUMBERING[:-2]:
        m = pattern.match(folded)
        if m:
            return m.end()
    return 0


def _strip_numbering(folded: str) -> str:
    for _, pattern in _NUMBERING:
        m = pattern.match(folded)
        if m:
            return folded[m.end():].lstrip(" .:)")
    return folded


def own_features(segment: Segment, position: float) -> dict[str, object]:
    """Features of one segment alone."""
    text = segment.text
    folded = fold(text).lower()
    body = _strip_numbering(folded)
    words = body.split()
    label, colon, _ = body.partition(":")
    letters = [c for c in text if c.isalpha()]
    f: dict[str, object] = {
        "num": numbering_style(folded),
        "w1": words[0] if words else "",
        "w2": " ".join(words[:2]),
        "len": _bucket(len(words), (2, 5, 10, 20, 40)),
        "end": text.rstrip()[-1:] if text.rstrip()[-1:] in ".:;," else "word",
        "upper": len(letters) > 3 and sum(c.isupper() for c in letters) / len(letters) > 0.7,
        "strong": segment.strong,
        "pos": _bucket(int(position * 10), (1, 3, 6, 8)),
        "head": is_head(text) or is_head(body),
        "agencies": _bucket(len(_AGENCY_WORDS.findall(body)), (0, 1, 2)),
        "field": bool(colon) and len(label.split()) <= 4 and bool(_FIELD_LABELS.match(label.strip())),
        "bracket": text.rstrip(" .;").endswith(")"),
        "items-follow": bool(ITEMS_FOLLOW.search(body.rstrip(" ."))),
        "dash-parts": _bucket(len(re.findall(r"\s[-–—]\s", text)), (0, 1, 2)),
        "assigns": bool(ASSIGNS_OPEN.match(body)),
    }
    if f["field"]:
        f["label"] = " ".join(label.split()[:3])
    f.update(_sentence_shape(text, body))
    for name, pattern in {**_ROLE_WORDS, **_DATE_SHAPES}.items():
        f[name] = bool(pattern.search(body))
    if segment.cell is not None:
        f.update(cell="first" if segment.cell == 0 else "other", cells=str(min(segment.cells, 8)),
                 numbercell=bool(re.fullmatch(r"[\divxIVX.]{1,6}", text.strip())))
        header = fold(segment.header).lower().split()
        for word in header[:4]:
            f["hdr:" + word] = True
    return f


_TASK_VERB_OPEN = re.compile(r"^(?:" + TASK_VERB.pattern + r")")  # a task verb opens the text
_LABEL_ONLY = re.compile(_FIELD_LABELS.pattern + r"[\w\s/()-]{0,40}$")


def _sentence_shape(text: str, body: str) -> dict[str, object]:
    """How the sentence opens, whatever the layout: with a task verb ("Rà soát …"), with an agency doing a task
    ("Công an xã tổ chức …"), with a time clause before its comma ("Định kỳ hằng tháng, …"); or a field's name
    alone, as a table's label cell is ("Đơn vị chủ trì")."""
    plain = text[numbering_end(text):].strip()
    opening, comma, rest = plain.partition(",")
    return {
        "verb-open": bool(_TASK_VERB_OPEN.match(body)),
        "subject-verb": subject_roles(plain) is not None,
        "time-open": bool(comma) and len(opening.split()) <= 10 and is_time(opening)
                     and (bool(_TASK_VERB_OPEN.match(fold(rest.strip()).lower())) or subject_roles(rest.strip()) is not None),
        "label-only": len(body.split()) <= 6 and ":" not in body and bool(_LABEL_ONLY.match(body.strip(" .:"))),
    }


def sequence_features(segments: list[Segment]) -> list[dict[str, object]]:
    """Each segment's features and its neighbours' (one before, one after, prefixed -1: / +1:)."""
    n = max(1, len(segments) - 1)
    own = [own_features(s, i / n) for i, s in enumerate(segments)]
    keys = ("num", "w1", "head", "field", "label", "lead", "support", "dmy", "month", "quarter", "recurring",
            "cell", "strong", "upper", "end", "before", "items-follow", "verb-open", "subject-verb", "label-only")
    out = []
    for i, f in enumerate(own):
        feats = dict(f)
        label = next((own[j] for j in range(i - 1, max(-1, i - 8), -1) if segments[j].line == segments[i].line
                      and segments[j].cell == 0 and own[j]["label-only"]), None) if segments[i].cell else None
        if label is not None:  # "Đơn vị chủ trì | Công an phường": the row's first cell names this cell's field
            feats["row-label"] = next((k for k in ("support", "lead", "before") if label[k]), "other")
        for offset in (-2, 2):
            j = i + offset
            if 0 <= j < len(own):
                for k in ("num", "head", "field", "label-only", "verb-open"):
                    if k in own[j]:
                        feats[f"{offset:+d}:{k}"] = own[j][k]
        for offset in (-1, 1):
            j = i + offset
            if 0 <= j < len(own):
                other = own[j]
                for k in keys:
                    if k in other:
                        feats[f"{offset:+d}:{k}"] = other[k]
                feats[f"{offset:+d}:sameline"] = segments[j].line == segments[i].line
            else:
                feats[f"{offset:+d}:edge"] = True
        out.append(feats)
    return out


def crfsuite_items(features: list[dict[str, object]]) -> list[dict[str, float | str]]:
    """python-crfsuite's form: strings stay string features, booleans become 1.0 when true."""
    items = []
    for f in features:
        item: dict[str, float | str] = {}
        for k, v in sorted(f.items()):
            if isinstance(v, bool):
                if v:
                    item[k] = 1.0
            else:
                item[k] = str(v)
        item["bias"] = 1.0
        items.append(item)
    return items
