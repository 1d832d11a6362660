"""Vietnamese text normalization: NFC, tone-mark placement, dashes, folding.

Plans mix old-style ("hóa", "ủy") and new-style ("hoá", "uỷ") tone placement,
several dash characters and combining marks (Windows-1258). Everything the
importer compares goes through these helpers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_RE = re.compile(f"[{DASHES}]")
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave acute tilde hook dot
# Open diphthongs whose tone sits on the first vowel in the classic style.
_DIPHTHONGS = {("o", "a"), ("o", "e"), ("u", "y")}
_WORD_RE = re.compile(r"\w+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_spaces(text: str) -> str:
    """Collapse runs of blanks and trim; also drop the space before , ; : ."""
    text = _SPACE_RE.sub(" ", text).strip()
    return re.sub(r" +([,;:.)])", r"\1", text)


@lru_cache(maxsize=8192)  # pure: words and agency names repeat throughout a plan
def _tone_word(word: str) -> str:
    """Move a tone mark to the classic position in an open oa/oe/uy syllable."""
    decomposed = unicodedata.normalize("NFD", word)
    letters: list[list[str]] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    if len(letters) < 2:
        return word
    first, last = letters[-2], letters[-1]
    pair = (first[0].lower(), last[0].lower())
    if pair not in _DIPHTHONGS:
        return word
    if len(letters) >= 3 and letters[-3][0].lower() in "qg":
        return word  # "quý", "giò": the u/i belongs to the consonant
    tone = [m for m in last[1:] if m in _TONES]
    if not tone or any(m in _TONES for m in first[1:]):
        return word
    last[1:] = [m for m in last[1:] if m not in _TONES]
    first.extend(tone)
    return nfc("".join("".join(group) for group in letters))


def normalize_tones(text: str) -> str:
    """NFC plus classic tone placement: "uỷ" -> "ủy", "hoá" -> "hóa"."""
    return _WORD_RE.sub(lambda m: _tone_word(m.group(0)), nfc(text))


def unify_dashes(text: str) -> str:
    return _DASH_RE.sub("-", text)


def normalize(text: str) -> str:
    """Display normalization: NFC, classic tones, single spaces."""
    return clean_spaces(normalize_tones(text))


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch


# Latin, Latin Extended and Vietnamese letters, dashes: one char -> one char.
_FOLD_TABLE = {cp: _fold_char(chr(cp)) for cp in range(0x41, 0x2100) if _fold_char(chr(cp)) != chr(cp)}
_FOLD_TABLE.update({ord(d): "-" for d in DASHES})


def fold(text: str) -> str:
    """Strip diacritics and case, keeping the length of an NFC string.

    Index i of the result corresponds to index i of the (NFC) input, so a
    match found in folded text can be cut from the original.
    """
    return nfc(text).translate(_FOLD_TABLE)


@lru_cache(maxsize=8192)
def compare_key(text: str) -> str:
    """Key for comparing Vietnamese text: tones, case, dashes, spacing."""
    text = unify_dashes(normalize_tones(text)).casefold()
    text = text.replace("*", "").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s*-\s*", " - ", text)
    return clean_spaces(text)
