"""Score every fixture plan of a manifest and print the per-plan table bench/history/importer.md shows.

    .venv/bin/python -m tests.unit.importer.scoreboard [--json] [--round corpus]

Per rendition: tasks found (of the reading's required tasks), precision (drafted tasks that match
a task of the reading), first lead exact, timing exact (due, start, recurring, condition).
"""
from __future__ import annotations

import argparse
import json
import time

from importer import PlanImportError, import_document

from .plan_cases import document, entry_id, manifest_entries
from .scoring import score, score_reporting, score_targets


def entries(round_: str | None = None) -> list[dict]:
    return [e for e in manifest_entries() if round_ in (None, e["round"]) and e["path"].exists()]


def first_lead_exact(result: dict) -> float:
    """Share of found tasks whose first lead agency is the reading's first (the one tasks are assigned to)."""
    from importer.vocabulary.agency_directory import agency_key

    bad = [m for m in result["lead_mismatches"] if not m[1] or not m[2] or agency_key(m[1][0]) != agency_key(m[2][0])]
    return 1 - len(bad) / max(1, result["found"])


def score_entry(entry: dict) -> dict:
    expected = json.loads(entry["reading_path"].read_text(encoding="utf-8"))
    data, name = document(entry)
    started = time.perf_counter()
    try:
        draft = import_document(data, name)
    except PlanImportError as error:
        return dict(file=entry_id(entry), error=error.reason, required=len(expected["tasks"]), found=0,
                    drafted=0, precision=0.0, lead=0.0, timing=0.0, seconds=time.perf_counter() - started,
                    **({"reporting": False} if "reporting" in expected else {}),
                    **({"targets": (0, len(expected["targets"]))} if "targets" in expected else {}))
    seconds = time.perf_counter() - started
    result = score(draft, expected)
    drafted = len(draft.tasks)
    matched = drafted - len(result["invented"])
    row = dict(file=entry_id(entry), required=result["required"], found=result["found"], drafted=drafted,
               precision=matched / drafted if drafted else 0.0, lead=first_lead_exact(result),
               timing=result["timing_accuracy"], seconds=seconds, result=result)
    reporting = score_reporting(draft, expected)
    if reporting is not None:
        row["reporting"] = reporting["exact"]
    targets = score_targets(draft, expected)
    if targets is not None:  # (read right, of the reading's targets); any invented one makes it inexact
        row["targets"] = (targets["read"] if not targets["invented"] else targets["read"] - len(targets["invented"]),
                          targets["expected"])
    return row


def totals(rows: list[dict]) -> dict:
    required = sum(r["required"] for r in rows)
    found = sum(r["found"] for r in rows)
    drafted = sum(r["drafted"] for r in rows)
    matched = sum(round(r["precision"] * r["drafted"]) for r in rows)
    lead = sum(r["lead"] * r["found"] for r in rows)
    timing = sum(r["timing"] * r["found"] for r in rows)
    scheduled = [r["reporting"] for r in rows if "reporting" in r]
    targets = [r["targets"] for r in rows if "targets" in r]
    return dict(required=required, found=found, found_rate=found / max(1, required),
                precision=matched / max(1, drafted), lead=lead / max(1, found), timing=timing / max(1, found),
                reporting=(sum(scheduled), len(scheduled)),
                targets=(sum(max(0, t[0]) for t in targets), sum(t[1] for t in targets)))


def table(rows: list[dict]) -> str:
    schedules = any("reporting" in r for r in rows)  # readings that give the plan's reporting schedule (round 16 on)
    aimed = any("targets" in r for r in rows)  # readings that give the plan's targets (round 16 on)
    extra = (" reporting schedule exact |", "---|") if schedules else ("", "")
    if aimed:
        extra = (extra[0] + " targets read |", extra[1] + "---|")
    lines = ["| plan (rendition) | found | precision | first lead exact | timing exact |" + extra[0],
             "|---|---|---|---|---|" + extra[1]]
    for r in rows:
        note = f" ({r['error']})" if r.get("error") else ""
        lead, timing = (f"{r['lead']:.0%}", f"{r['timing']:.0%}") if r["found"] else ("–", "–")
        cell = (" " + {True: "yes", False: "no", None: "–"}[r.get("reporting")] + " |") if schedules else ""
        if aimed:
            cell += f" {max(0, r['targets'][0])}/{r['targets'][1]} |" if "targets" in r else " – |"
        lines.append(f"| {r['file']}{note} | {r['found']}/{r['required']} | {r['precision']:.0%} | {lead} | {timing} |{cell}")
    t = totals(rows)
    cell = f" {t['reporting'][0]}/{t['reporting'][1]} |" if schedules else ""
    cell += f" {t['targets'][0]}/{t['targets'][1]} |" if aimed else ""
    lines.append(f"| **all** | {t['found']}/{t['required']} ({t['found_rate']:.0%}) | {t['precision']:.0%} | {t['lead']:.0%} | {t['timing']:.0%} |{cell}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--round", help="only this round: seed, heldout, blind1, blind2, corpus")
    args = parser.parse_args()
    rows = [score_entry(e) for e in entries(args.round)]
    if args.json:
        print(json.dumps(dict(rows=[{k: v for k, v in r.items() if k != "result"} for r in rows], totals=totals(rows)),
                         ensure_ascii=False, indent=1))
    else:
        print(table(rows))


if __name__ == "__main__":
    main()
