"""The fields written inside a task's own line, read word by word: a second labeller over the words of a task's
first segment, each word TASK (the task's text), LEAD, SUPPORT, TIME or OTHER (role words, numbering, marks).

It reads the forms no list of patterns names: "<task> – phụ trách: X; p/h: Y; hạn: Z", "Định kỳ hằng tháng, X
<task>", "X chủ trì, phối hợp với Y: <task>", from cues that hold across layouts (agency-name shapes, role words,
date shapes, the task verbs, punctuation and the neighbouring words). Its training labels come from the readings:
each task's lead, partners, time and the start of its text found among the words of the line that starts it.
"""
from __future__ import annotations

import re

from ..draft.model import DraftTask
from ..read.text import fold
from ..vocabulary.agencies import is_head, split_agencies
from .features import numbering_end
from .fields import block_timing, field_value
from .inline import TASK_VERB

SPAN_LABELS = ("TASK", "LEAD", "SUPPORT", "TIME", "OTHER")
MAX_WORDS = 120  # words of a line past these are not labelled (a bound on CPU; a task's fields come early)
_TOKEN = re.compile(r"\w+(?:[/.,-]\d+)*(?:/\w+)?|[^\w\s]")
_DATE = re.compile(r"^\d{1,2}/\d{1,2}(?:/\d{2,4})?$|^\d{1,2}/\d{4}$")
_ROLE = {"chu": "lead", "tri": "lead", "trach": "lead", "phoi": "support", "hop": "support", "p/h": "support",
         "han": "time", "thoi": "time", "gian": "time", "truoc": "time", "hang": "time", "dinh": "time"}
_TIME_WORDS = {"thang", "quy", "nam", "tuan", "ngay", "xuyen", "ky", "khi", "sau", "tu", "den", "trong", "cuoi",
               "dau", "giai", "doan", "i", "ii", "iii", "iv"}

Token = tuple[str, int, int]  # text, start, end in the segment's text


def tokens(text: str) -> list[Token]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)][:MAX_WORDS]


def _shape(word: str) -> str:
    if _DATE.match(word) or re.fullmatch(r"20\d\d", word):
        return "date"
    if word.isdigit():
        return "digit"
    if not word[:1].isalnum():
        return "punct"
    if word.isupper() and len(word) > 1:
        return "upper"
    return "cap" if word[:1].isupper() else "lower"


def token_features(text: str, toks: list[Token]) -> list[dict[str, float | str]]:
    folded = fold(text).lower()
    words = [folded[s:e] for _, s, e in toks]
    own = []
    colon = comma = 0
    for i, (word, start, _) in enumerate(toks):
        f = {"w": words[i], "shape": _shape(word), "pos": str(min(i, 6)) if i < 6 else "mid",
             "colon": str(min(colon, 2)), "comma": str(min(comma, 3))}
        if words[i] in _ROLE:
            f["role"] = _ROLE[words[i]]
        if words[i] in _TIME_WORDS:
            f["timeword"] = 1.0
        if word[:1].isupper() and is_head(text[start:]):
            f["agency"] = 1.0  # an agency's name opens here
        if word[:1].islower() and TASK_VERB.match(folded, start):
            f["verb"] = 1.0  # a task verb written in lower case: a sentence's task goes on from here
        own.append(f)
        colon += word == ":"
        comma += word in ",;"
    out = []
    for i, f in enumerate(own):
        item: dict[str, float | str] = {"bias": 1.0}
        for k, v in f.items():
            item[k] = v
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(own):
                for k in ("w", "shape", "role", "agency", "verb", "timeword"):
                    if k in own[j]:
                        item[f"{offset:+d}:{k}"] = own[j][k]
            else:
                item[f"{offset:+d}:edge"] = 1.0
        item["-1:w+w"] = f"{own[i - 1]['w'] if i else '^'}|{f['w']}"
        out.append(item)
    return out


def _find(folded: str, name: str | None) -> tuple[int, int] | None:
    words = re.findall(r"\w+", fold(name or "").lower())
    if not words:
        return None
    m = re.search(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)", folded)
    return (m.start(), m.end()) if m else None


def span_labels(text: str, task: dict, fields_elsewhere: set[str]) -> list[str] | None:
    """One label per word of a task's first segment, from its reading; None when a field the reading gives is in
    neither this line nor (`fields_elsewhere`: the labels of the task's other lines) elsewhere, so this line holds
    it in a form the reading does not spell out (an abbreviation): such a line teaches nothing sure."""
    toks = tokens(text)
    folded = fold(text).lower()
    marks: list[tuple[tuple[int, int], str]] = []
    lead = _find(folded, (task.get("lead") or [None])[0])
    if task.get("lead") and lead is None and "LEAD" not in fields_elsewhere:
        return None
    marks += [(lead, "LEAD")] if lead else []
    partners = [_find(folded, name) for name in task.get("support") or []]
    if None in partners and "SUPPORT" not in fields_elsewhere:
        return None
    marks += [(at, "SUPPORT") for at in partners if at]
    raw = (task.get("timing") or {}).get("raw")
    time = _find(folded, raw)
    if raw and time is None and "TIME" not in fields_elsewhere:
        return None
    marks += [(time, "TIME")] if time else []
    content = _find(folded, " ".join(re.findall(r"\w+", fold(task["content_start"]).lower())[:6]))
    if content is None:
        return None
    after = [s for (s, _), _ in marks if s > content[0]]
    end = min(after, default=len(text))
    labels = []
    for _, start, stop in toks:
        label = next((name for (s, e), name in marks if s <= start < e), None)
        labels.append(label or ("TASK" if content[0] <= start < end else "OTHER"))
    last = max((i for i, label in enumerate(labels) if label == "TASK"), default=-1)
    for i in range(last, max(-1, last - 6), -1):  # "<task> – phụ trách:", "<task>, phối hợp với": the words that
        word = folded[toks[i][1]: toks[i][2]]      # introduce the next field are none of the task's
        if word not in _INTRODUCES and word[:1].isalnum():
            break
        labels[i] = "OTHER"
    return labels


_INTRODUCES = {"chu", "tri", "phu", "trach", "phoi", "hop", "voi", "cung", "p/h", "han", "thoi", "gian", "hoan",
               "thanh", "thuc", "hien", "giao", "cho", "do", "va"}


def read_spans(text: str, labelled: list[tuple[str, float]], toks: list[Token]) -> dict[str, list[str]]:
    """The text of each field as runs of words with one label ("TASK", "LEAD" …: a list of runs each). A line
    whose words name partners but no lead reads its first agency run that no "phối hợp" introduces as the lead
    ("Định kỳ hằng tháng, Công an phường rà soát …, phối hợp với …": the sentence's subject leads)."""
    runs: list[list] = []  # [label, first word, last word]
    for i, (label, _) in enumerate(labelled):
        if runs and runs[-1][0] == label:
            runs[-1][2] = i
        else:
            runs.append([label, i, i])
    if not any(label == "LEAD" for label, _, _ in runs):
        folded = fold(text).lower()
        for run in runs:
            before = " ".join(folded[s:e] for _, s, e in toks[max(0, run[1] - 3): run[1]])
            if run[0] == "SUPPORT" and "phoi hop" not in before and "p/h" not in before:
                run[0] = "LEAD"
                break
    out: dict[str, list[str]] = {}
    for label, first, last in runs:
        out.setdefault(label, []).append(text[toks[first][1]: toks[last][2]])
    return out


def span_text(text: str) -> str:
    """The words the span labeller reads: the line without its number or bullet."""
    return text[numbering_end(text):].strip()


def span_sequences(segments: list, labels: list[str], reading: dict) -> list[tuple[list[dict], list[str]]]:
    """Training sequences: the words of every task's first segment with their labels from the reading."""
    from .alignment import task_starts

    starts = task_starts(segments, reading["tasks"])
    order = sorted(starts)
    out = []
    for n, si in enumerate(order):
        end = order[n + 1] if n + 1 < len(order) else len(segments)
        text = span_text(segments[si].text)
        toks = tokens(text)
        wanted = span_labels(text, reading["tasks"][starts[si]], set(labels[si + 1: end]))
        if toks and wanted and labels[si] == "TASK_START":
            out.append((token_features(text, toks), wanted))
    return out


MIN_LEAD = 0.8  # the least marginal of a lead's words when the vocabulary does not know the lead's shape


def words_reading(n: int, block: list, year: int | None, heading: str, words) -> DraftTask | None:
    """The block read from the words of its first line as the word labeller labels them (`words`: text ->
    labels, Labeller.words), with its other lines' time and text; None when it names no lead or no task."""
    start = block[0][0]
    text = span_text(start.text)
    labelled = words(text) if start.cell is None else None
    if not labelled:
        return None
    toks = tokens(text)
    runs = read_spans(text, labelled, toks)
    content = " ".join([(runs.get("TASK") or [""])[0].strip(" ,;:.–-")]
                       + [s.text for s, label in block[1:] if label == "TASK_CONT"]).strip()
    lead = split_agencies((runs.get("LEAD") or [""])[0].strip(" ,;:.()"))
    sure = min((p for label, p in labelled if label == "LEAD"), default=0.0)
    if len(content.split()) < 3 or not lead or not (is_head(lead[0]) or sure >= MIN_LEAD):
        return None
    support = [name for run in runs.get("SUPPORT", []) for name in split_agencies(run.strip(" ,;:.()"))]
    times = [run.strip(" ,;:.()") for run in runs.get("TIME", [])]
    times += [field_value(s.text) for s, label in block[1:] if label == "TIME"]
    return DraftTask(code=str(n), content=content[:1].upper() + content[1:], lead=lead,
                     support=[s for s in support if s not in lead], timing=block_timing(times, content, year, heading))
