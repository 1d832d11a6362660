"""Repair text whose letters a PDF printer spaced apart.

Browsers and some printers place glyphs one by one (often those of a fallback font: the
Vietnamese letters), so extraction reads "S ố : 810/KH-UBND" or "C ô ng an ph ư ờ ng". A line is
repaired only when many of its words are single letters; the pieces are then glued back into
Vietnamese syllables (one vowel group, at most one tone mark, letter case consistent), and
punctuation is attached to the word before it.
"""
from __future__ import annotations

import re
import unicodedata

_ONSET = r"(?:ngh|ng|gh|gi|kh|ph|th|tr|ch|nh|qu|[bcdđghklmnpqrstvx])?"
_VOWELS = "aăâeêioôơuưy"
_CODA = r"(?:ng|nh|ch|[cmnptk])?"  # k: the Central Highlands' names ("Đắk Lắk", "Đăk Glei")
_SYLLABLE = re.compile(rf"{_ONSET}[{_VOWELS}]{{1,3}}{_CODA}")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_GAP = re.compile(r"\s{4,}")
_WORD_GAP = re.compile(r"\s{2,}")  # a glyph's gap beside a real space: a word ends there ("gi á  an" is "giá an")
_PUNCT_AFTER = set(",.;:!?)/%”*_")
_PUNCT_BEFORE = set("(“/*_")


def _base(word: str) -> str:
    """Lowercase, tone marks removed, other diacritics kept (ư, ơ, â, ă, ê, ô, đ)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))


def _tones(word: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONES)


def is_syllable(word: str) -> bool:
    if not word.isalpha() or _tones(word) > 1:
        return False
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    return bool(_SYLLABLE.fullmatch(_base(word)))


def _single_letters(tokens: list[str]) -> int:
    return sum(1 for t in tokens if len(t) == 1 and t.isalpha() and not t.isascii())


def is_letter_spaced(text: str) -> bool:
    tokens = text.split()
    singles = _single_letters(tokens)
    return singles >= 2 and singles >= 0.2 * len(tokens)


def _has_vowel(word: str) -> bool:
    return any(ch in _VOWELS for ch in _base(word))


def _opens_next(token: str, following: str | None) -> bool:
    """A consonant cluster that starts the next syllable ("ng" before "ư ờ i") is not a coda."""
    if following is None or len(following) != 1 or _has_vowel(token) or not following.isalpha():
        return False
    if following.isascii():
        return False  # a plain letter is drawn with its run: standing alone, a real space precedes it
    return _has_vowel(following[:1]) and bool(re.fullmatch(_ONSET, _base(token)))


def _glue(tokens: list[str]) -> list[str]:
    words: list[str] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if words and all(ch in _PUNCT_AFTER for ch in token):
            words[-1] += token
            continue
        if words and words[-1][-1] in _PUNCT_BEFORE:
            words[-1] += token
            continue
        if words and words[-1][-1].isalpha() and token[0].isalpha():
            head = words[-1].lstrip("".join(_PUNCT_BEFORE))
            core = token.rstrip("".join(_PUNCT_AFTER))
            acronym = head.isupper() and core.isupper() and not _has_vowel(head) and not _has_vowel(core)
            head = re.sub(r"^[^\W\d_]'", "", head)  # "R'l" + "ấp": a syllable after an apostrophe ("R'lấp", "H'leo")
            if core.isalpha() and (acronym or is_syllable(head + core) and not _opens_next(core, following)):
                words[-1] += token
                continue
        words.append(token)
    return words


def repair_spacing(text: str, *, document_spaced: bool = False) -> str:
    """The line with spaced-apart letters glued back; other lines unchanged. In a document whose
    lines are mostly spaced apart (`document_spaced`), one spaced letter is enough."""
    if not (is_letter_spaced(text) or document_spaced and _single_letters(text.split())):
        return text
    parts = _GAP.split(text)
    gaps = _GAP.findall(text)
    fixed = [" ".join(w for words in _WORD_GAP.split(part) for w in _glue(words.split())) for part in parts]
    out = fixed[0]
    for gap, part in zip(gaps, fixed[1:]):
        out += gap + part
    return out


def document_is_spaced(lines: list[str]) -> bool:
    body = [line for line in lines if len(line.split()) >= 3]
    return bool(body) and sum(1 for line in body if is_letter_spaced(line)) >= 0.3 * len(body)
