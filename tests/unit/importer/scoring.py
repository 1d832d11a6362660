"""Compare a draft (Draft or its JSON dict) with a hand-made expected.json.

A task counts as found when its normalized content begins like the expected
content_start. Tasks whose timing.note begins with "judgement call" are
optional: finding them is fine, missing them is fine. Anything else the draft
holds is "invented". Lead, support and timing are compared on found tasks.
"""

from __future__ import annotations

import re
from typing import Any

from importer.vocabulary.agency_directory import agency_key
from importer.read.text import compare_key


def _key(text: str | None) -> str:
    return compare_key(text or "").rstrip(" .;:")


_ROLE_OPENING = re.compile(r"^chủ trì\s*(?:,|và)\s*phối hợp\s+(?:với|cùng)\s+")


def _work(key: str, support: list[str]) -> str:
    """The text after an opening "chủ trì, phối hợp với <the task's partners>": the role words and the partners
    are the task's fields, so a reading (or a draft) may keep them in the text or leave them out."""
    m = _ROLE_OPENING.match(key)
    if not m:
        return key
    rest = key[m.end():]
    names = sorted((_key(n) for n in support), key=len, reverse=True)
    while True:
        name = next((n for n in names if n and rest.startswith(n)), None)
        if name is None:
            return rest if rest != key[m.end():] else key
        rest = re.sub(r"^\s*(?:,|và)?\s*", "", rest[len(name):])


def _begins_like(content: str, start: str, support: list[str] = (), drafted_support: list[str] = ()) -> bool:
    """Does the draft's text begin like the reading's? Either side may open with "chủ trì, phối hợp với" and the
    task's partners (its fields): the reading's opening read away with the reading's partners, or the draft's
    written back with the draft's."""
    a, b = _key(content), _key(start)
    written = _key("chủ trì, phối hợp với " + ", ".join(drafted_support) + " " + content) if drafted_support else a
    for a, b in ((a, b), (_work(a, support), _work(b, support)), (written, b)):
        if a.startswith(b) or (len(a) >= 40 and b.startswith(a)):
            return True
    return False


def _names(names: list[str]) -> list[str]:
    return sorted(agency_key(n) for n in names)


def _optional(task: dict) -> bool:
    note = (task.get("timing") or {}).get("note") or ""
    return note.lower().startswith("judgement call")


def _timing_equal(got: dict, want: dict) -> bool:
    return (
        got.get("due") == want.get("due")
        and got.get("start") == want.get("start")
        and bool(got.get("recurring")) == bool(want.get("recurring"))
        and _key(got.get("condition")) == _key(want.get("condition"))
    )


def _match(drafted: list[dict], expected: list[dict]) -> dict[int, int]:
    """expected index -> draft index, greedy in document order."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    cursor = 0
    for ei, want in enumerate(expected):
        order = list(range(cursor, len(drafted))) + list(range(cursor))
        for di in order:
            if di not in used and _begins_like(drafted[di]["content"], want["content_start"], want.get("support") or [],
                                                 drafted[di].get("support") or []):
                pairs[ei] = di
                used.add(di)
                cursor = di + 1
                break
    return pairs


def score(draft: Any, expected: dict) -> dict:
    data = draft.to_json_dict() if hasattr(draft, "to_json_dict") else draft
    drafted, wanted = data["tasks"], expected["tasks"]
    pairs = _match(drafted, wanted)
    required = [i for i, t in enumerate(wanted) if not _optional(t)]
    found = [i for i in required if i in pairs]
    matched = set(pairs.values())
    invented = [t["code"] for i, t in enumerate(drafted) if i not in matched]
    missing = [wanted[i]["code"] for i in required if i not in pairs]
    lead_bad, support_bad, timing_bad = [], [], []
    for i in found:
        got, want = drafted[pairs[i]], wanted[i]
        if _names(got["lead"]) != _names(want["lead"]):
            lead_bad.append((want["code"], got["lead"], want["lead"]))
        if _names(got["support"]) != _names(want["support"]):
            support_bad.append((want["code"], got["support"], want["support"]))
        if not _timing_equal(got["timing"], want["timing"]):
            timing_bad.append((want["code"], got["timing"], want["timing"]))
    n = max(1, len(found))
    return {
        "required": len(required),
        "found": len(found),
        "found_rate": len(found) / max(1, len(required)),
        "optional_found": len([i for i in pairs if i not in required]),
        "invented": invented,
        "missing": missing,
        "lead_accuracy": 1 - len(lead_bad) / n,
        "support_accuracy": 1 - len(support_bad) / n,
        "timing_accuracy": 1 - len(timing_bad) / n,
        "lead_mismatches": lead_bad,
        "support_mismatches": support_bad,
        "timing_mismatches": timing_bad,
    }


_DAY_MONTH = re.compile(r"\b(\d{1,2})/(\d{1,2})\b")


def _dates(text: str | None) -> list[str]:
    """The "MM-DD" dates a schedule's written form names ("trước ngày 15/3, 15/6 … hằng năm")."""
    return [f"{int(m):02d}-{int(d):02d}" for d, m in _DAY_MONTH.findall(text or "")]


def _schedule_matches(got: dict, want: dict) -> bool:
    if got.get("cycle") != want["cycle"]:
        return False
    if "day" in want and got.get("due_day") != want["day"]:
        return False
    return "dates" not in want or _dates(got.get("due")) == want["dates"]


def score_reporting(draft: Any, expected: dict) -> dict | None:
    """The plan's reporting schedule against the reading's (cycle, and its day of the month / ISO weekday or the dates
    a year it names), or None when the reading gives none. Exact: every schedule read and none invented."""
    return _score_listed(draft, expected, "reporting", _schedule_matches)


def _score_listed(draft: Any, expected: dict, key: str, matches) -> dict | None:
    """A draft's list `key` against the reading's, each expected item matched to one read item by `matches(got, want)`."""
    if key not in expected:
        return None
    data = draft.to_json_dict() if hasattr(draft, "to_json_dict") else draft
    got = list(data.get(key) or [])
    missing, used = [], set()
    for want in expected[key]:
        hit = next((i for i, g in enumerate(got) if i not in used and matches(g, want)), None)
        if hit is None:
            missing.append(want)
        else:
            used.add(hit)
    invented = [g for i, g in enumerate(got) if i not in used]
    return dict(expected=len(expected[key]), read=len(used), missing=missing, invented=invented,
                exact=not missing and not invented)


_UNITS = {"%": "percent", "phần trăm": "percent"}


def _unit(text: str | None) -> str:
    key = compare_key(text or "").strip()
    return _UNITS.get(key, key)


def _target_matches(got: dict, want: dict) -> bool:
    if got.get("value") is None or float(got["value"]) != float(want["value"]):
        return False
    if str(got.get("by") or "") != str(want.get("by") or ""):
        return False
    return "unit" not in want or _unit(got.get("unit")) == _unit(want["unit"])


def score_targets(draft: Any, expected: dict) -> dict | None:
    """The plan's targets against the reading's (value, year, and unit where the reading gives one: "%" is "percent"),
    or None when the reading gives none. Exact: every target read and none invented."""
    return _score_listed(draft, expected, "targets", _target_matches)


def summary(result: dict) -> dict:
    """The headline figures only (for the benchmark)."""
    keys = ("required", "found", "found_rate", "optional_found", "lead_accuracy", "support_accuracy", "timing_accuracy")
    out = {k: round(result[k], 4) if isinstance(result[k], float) else result[k] for k in keys}
    out["invented"] = len(result["invented"])
    return out
