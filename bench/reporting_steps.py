"""Benchmark helper: where reporting's consumer spends a status report's CPU, step by step, from a sampling profile.

Reads py-spy's raw (collapsed) stacks of `bench/reporting_consumer.py` (in process, no broker), keeps the samples taken
inside its measured steps (`measured`), and gives each sample to the first step found walking from the innermost frame
out (STEPS); the shares, times the CPU ms per report the same run measured without sampling overhead, are µs per report
per step. A sampler, not cProfile: cProfile's per-call timer inflates code with many small calls (the counters' folds)
several times over on a shared machine.

    py-spy record -r 100 -f raw -o /tmp/stacks.txt -- python bench/reporting_consumer.py --tasks 20000 --communes 3000 \\
        --rounds 2 --batches 2000 > /tmp/run.json
    python bench/reporting_steps.py /tmp/stacks.txt --run /tmp/run.json

Prints one JSON object: samples, per step its share and µs per report (of the batch size given, or of the run's last).
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

# (step, [(function, file, the function that must have called it or None)]): a frame matches when all three do.
STEPS = [
    ("commit (SQLite COMMIT / RELEASE)", [("_finish", "sqlite_store.py", None)]),
    ("task views: write", [("bulk_put", "sqlite_documents.py", "_apply")]),
    ("decode (pydantic-core)", [("decode", "events.py", None)]),
    ("skip check (checkpoints read, unapplied, admit)", [(f, "continuity.py", None) for f in ("of_batch", "unapplied", "admit", "passed_over")]),
    ("checkpoints advance", [("commit", "continuity.py", None)]),
    ("task views: read", [("_task_views", "project.py", None)]),
    ("task views: fold", [("evolve_task", "projection.py", None), ("with_window", "projection.py", None)]),
    ("counters (delta, settle, read, write, months)", [("_count", "project.py", None), ("settle", "counters.py", None),
                                                      ("flush", "counters.py", None), ("move", "counters.py", None)]),
    ("timeline (entry inserts; a trim every 60 versions)", [("record_timelines", "timeline.py", None)]),
    ("escalations", [("follow_escalations", "escalations.py", None)]),
    ("spans", [("_batch_spans", "subscriptions.py", None), ("end", "__init__.py", None)]),
]
FRAME = re.compile(r"^(?P<name>.+?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def frames(stack: str) -> list[tuple[str, str]]:
    """(function, file name) from the outermost frame in."""
    found = []
    for part in stack.split(";"):
        match = FRAME.match(part.strip())
        if match:
            found.append((match["name"].rpartition(".")[2], Path(match["file"]).name))  # "CounterBook.settle": settle
    return found


def step_of(stack: list[tuple[str, str]]) -> str:
    for depth in range(len(stack) - 1, -1, -1):
        name, file = stack[depth]
        caller = stack[depth - 1][0] if depth else None  # (a coroutine's caller is the frame that awaits it)
        for step, patterns in STEPS:
            if any(name == n and file == f and (c is None or caller == c) for n, f, c in patterns):
                return step
    return "other (subscription, headers, loop)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stacks", type=Path)
    parser.add_argument("--run", type=Path, help="the JSON bench/reporting_consumer.py printed for the same run")
    parser.add_argument("--batch", type=int, help="the batch size whose CPU ms per report scales the shares (default: the last)")
    parser.add_argument("--inside", default="measured", help="keep the samples with this frame, FUNCTION or FUNCTION@FILE "
                        "(a running service: __call__@subscriptions.py, its shared subscription's batches)")
    parser.add_argument("--cpu-ms", type=float, help="CPU ms per report to scale the shares by, without --run (a service's, measured apart)")
    args = parser.parse_args()
    inside = tuple(args.inside.split("@")) if "@" in args.inside else (args.inside, None)
    counts: dict[str, int] = {}
    for line in args.stacks.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        parsed = frames(stack)
        if not any(name == inside[0] and inside[1] in (None, file) for name, file in parsed):
            continue
        step = step_of(parsed)
        counts[step] = counts.get(step, 0) + int(count)
    if args.run is not None:
        text = args.run.read_text()
        run, _ = json.JSONDecoder().raw_decode(text[text.index("{"):])  # py-spy's own lines around it, when it shared the output
        measured = next((s for s in run["steps"] if s["batch"] == args.batch), run["steps"][-1])
        batch, cpu_ms = measured["batch"], measured["cpu_ms_per_report"]
    else:
        batch, cpu_ms = args.batch, args.cpu_ms or 0.0
    total = sum(counts.values())
    order = [s for s, _ in STEPS] + ["other (subscription, headers, loop)"]
    print(json.dumps({"samples": total, "batch": batch, "cpu_ms_per_report": cpu_ms,
                      "steps": {s: {"share_percent": round(counts[s] / total * 100, 1),
                                    "us_per_report": round(counts[s] / total * cpu_ms * 1000, 1)}
                                for s in order if s in counts}}, indent=2))


if __name__ == "__main__":
    main()
