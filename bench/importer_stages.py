"""Blind figures for changes in the importer's early stages (read, header, vocabulary), round by round.

    .venv/bin/python bench/importer_stages.py TREE [--repo REPO] [ROUND ...]   # prints JSON

`bench/importer_crf.py rounds` runs each corpus round with the importer package of the commit that scored it blind
and today's labeller, so a change in normalisation, the header or the vocabulary never shows there. Here each round
runs with its old body and draft rules (git archive of that commit, from REPO) but with the read/, header/,
vocabulary/ and labeller/ packages of TREE (a checkout or a `git archive` copy of the state to measure), and a CRF
trained on every family but the round's, read by TREE's stages. Run it on two trees (before and after a change):
on the rounds a change was not written for, the difference is that change's blind effect. Folds run one at a time.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

STAGES = ("labeller", "read", "header", "vocabulary")
ROUND_13 = ("9f835da", ["hai-duong-province-plan-2023", "ninh-binh-monitoring-plan-2022", "quang-binh-police-plan-2024",
                        "thu-dau-mot-ward-plan-2026", "tan-phu-commune-plan-2026"])  # until importer_crf.ROUNDS has it


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", type=Path)
    parser.add_argument("rounds", type=int, nargs="*")
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    tree = args.tree.resolve()
    sys.path[:0] = [str(tree), str(tree / "bench")]
    import importer_crf as crf
    from tests.unit.importer.scoreboard import totals

    crf.ROUNDS.setdefault(13, ROUND_13)

    def old_rules_with_tree_stages(commit: str, folder: Path) -> Path:
        archive = subprocess.run(["git", "-C", str(args.repo), "archive", commit, "importer"], check=True,
                                 capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
        for stage in STAGES:
            shutil.copytree(tree / "importer" / stage, folder / "importer" / stage, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.crfsuite", "__pycache__"))
        return folder

    crf._old_rules = old_rules_with_tree_stages
    started = time.perf_counter()
    result = crf.rounds(args.rounds or None)
    print(json.dumps({
        "per_round": {n: {m: totals(rows[m]) for m in rows} for n, rows in result["per_round"].items()},
        "all": {m: totals(result["rows"][m]) for m in result["rows"]}, "rows": result["rows"],
        "cpu_seconds": result["cpu_seconds"], "wall_seconds": round(time.perf_counter() - started, 1),
        "load_average": __import__("os").getloadavg()}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
