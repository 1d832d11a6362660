"""Repair text whose letters a PDF printer spaced apart.

Where the glyph positions are known (a PDF page, read/pdf_glyphs.py), join_runs decides each gap from the
line's own letter gap: a gap clearly wider than the letter gaps is a word gap. Where only the text is known
(text copied out of such a PDF), repair_spacing guesses from Vietnamese syllable shapes.

Browsers and some printers place glyphs one by one (often those of a fallback font: the
Vietnamese letters), so extraction reads "S ố : 810/KH-UBND" or "C ô ng an ph ư ờ ng". A line is
repaired only when many of its words are single letters; the pieces are then glued back into
Vietnamese syllables (one vowel group, at most one tone mark, letter case consistent), and
punctuation is attached to the word before it.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from typing import NamedTuple

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


class Run(NamedTuple):
    """Text drawn in one go on a PDF page: from x0 to x1 on the baseline y, at font size `size`; `space` is the
    width of a space in that font at that size."""
    x0: float
    x1: float
    y: float
    text: str
    size: float
    space: float


WORD_GAP = 0.8  # in spaces: narrower is letter spacing (browsers' letter-spacing is well under a space)
CLUSTER_JUMP = 0.4  # in spaces: a jump this wide between sorted gaps parts letter gaps from word gaps
UNDRAWN_WORD_GAP = 2.0  # in spaces: on a line that draws its spaces, a gap without one is letter spacing up to this
COLUMN_GAP = 3.0  # in spaces: a gap this wide parts two columns (kept as four spaces, as plain extraction does)


def _word_gap_floor(gaps: list[float], space: float, draws_spaces: bool) -> float:
    """The narrowest gap that ends a word on this line. A line that draws its spaces draws them between its
    words, so a gap without one is letter spacing unless it is very wide. Otherwise: above the widest jump
    between the sorted gaps (when that jump is wide enough to part two kinds of gap), never under WORD_GAP."""
    if draws_spaces:
        return UNDRAWN_WORD_GAP * space
    floor = WORD_GAP * space
    ordered = sorted(gaps)
    jumps = [(b - a, b) for a, b in zip(ordered, ordered[1:])]
    if jumps:
        jump, above = max(jumps)
        if jump >= CLUSTER_JUMP * space:
            floor = max(floor, above)
    return floor


def join_runs(runs: list[Run]) -> str:
    """One line of text from its runs (left to right): a drawn space, a word gap or a column gap separates;
    a letter gap joins."""
    if not runs:
        return ""
    space = statistics.median(r.space for r in runs) or 0.25 * statistics.median(r.size for r in runs)
    gaps = [max(0.0, b.x0 - a.x1) for a, b in zip(runs, runs[1:])]
    drawn = [a.text[-1:].isspace() or b.text[:1].isspace() for a, b in zip(runs, runs[1:])]
    draws_spaces = any(" " in r.text.strip() for r in runs) or any(drawn)
    inside = [g for g, d in zip(gaps, drawn) if not d and g < COLUMN_GAP * space]  # a column gap is no word gap
    floor = _word_gap_floor(inside, space, draws_spaces)
    out = runs[0].text
    for run, gap, spaced in zip(runs[1:], gaps, drawn):
        if gap >= COLUMN_GAP * space:
            out = out.rstrip() + "    " + run.text.lstrip()
        elif spaced or gap < floor:
            out += run.text
        else:
            out += " " + run.text
    return out
