"""`tiendo directory load [--historic] [--url PLANS_URL] [--key KEY] [--province CODE]`: the official units into plans.

Reads the pinned `vietnam-provinces` package (34 provinces, 3,321 communes, 2025 data), builds each
unit's People's Committee, standing body and working group (services/plans/official_directory.py)
and posts them in batches to plans' bulk endpoint (POST /directory, one transaction per batch),
with a progress bar, as an administrator (--key, else $TIENDO_KEY, else the embedded run's
var/credentials.json). Loading twice registers nothing new. Exit codes: 0 loaded, 2 usage or no
key, 3 plans unreachable or refused a batch.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import httpx
from tqdm import tqdm

from services.plans.official_directory import official_directory

EMBEDDED_PLANS_URL = "http://127.0.0.1:8001"  # plans in `tiendo run` (services/embedded/processes.Layout)
BATCH_UNITS = 100  # units per request, with their agencies (about 1,100 items)
MAX_BATCH_BYTES = 900 * 1024  # under plans' request body limit (1 MiB by default): a larger batch is split in two
EMBEDDED_CREDENTIALS = Path("var/credentials.json")  # written by `tiendo run` (services/embedded/access.py)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tiendo directory load", description="Load the official administrative units into plans.")
    parser.add_argument("--url", default=EMBEDDED_PLANS_URL, help=f"plans service (default: the embedded run, {EMBEDDED_PLANS_URL})")
    parser.add_argument("--key", help="an administrator key (default: $TIENDO_KEY, else the embedded run's var/credentials.json)")
    parser.add_argument("--province", action="append", help="only this province (official code, e.g. 04); may be repeated")
    parser.add_argument("--historic", action="store_true", help="also the 63-province three-level tree before 1 July 2025")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.historic:
        print("tiendo directory load: the pinned vietnam-provinces 2025.10.1 ships only the 2025 units; "
              "the historic tree is not available yet", file=sys.stderr)
        return 2
    key = args.key or os.environ.get("TIENDO_KEY") or _embedded_admin_key()
    if not key:
        print("tiendo directory load: an administrator key is needed (--key, $TIENDO_KEY, or var/credentials.json "
              "of a `tiendo run` in this folder)", file=sys.stderr)
        return 2
    units, agencies = official_directory(set(args.province) if args.province else None)
    if not units:
        print(f"tiendo directory load: no province with code {args.province}", file=sys.stderr)
        return 2
    try:
        with httpx.Client(base_url=args.url, timeout=120, headers={"Authorization": f"Bearer {key}"}) as client:
            totals = load(client, units, agencies, progress=not args.quiet)
    except (httpx.HTTPError, RuntimeError) as error:
        print(f"tiendo directory load: {error}", file=sys.stderr)
        return 3
    print(f"tiendo directory load: {totals['units']} units and {totals['agencies']} agencies registered, "
          f"{totals['already']} already there, in {totals['seconds']:.1f} s")
    return 0


def load(client: httpx.Client, units: list[dict], agencies: list[dict], batch_units: int = BATCH_UNITS, progress: bool = True) -> dict:
    """Post the units in batches, each with the agencies of its units; returns the counts."""
    by_unit: dict[str, list[dict]] = {}
    for agency in agencies:
        by_unit.setdefault(agency["unit_id"], []).append(agency)
    totals = {"units": 0, "agencies": 0, "already": 0}
    started = time.perf_counter()
    pending = [units[start : start + batch_units] for start in range(0, len(units), batch_units)]
    with tqdm(total=len(units) + len(agencies), unit=" items", disable=not progress) as bar:
        while pending:
            batch = pending.pop(0)
            body = {"units": batch, "agencies": [a for u in batch for a in by_unit.get(u["unit_id"], [])]}
            content = json.dumps(body, ensure_ascii=False).encode()
            if len(content) > MAX_BATCH_BYTES and len(batch) > 1:  # parents stay before their children: halves in order
                pending[:0] = [batch[: len(batch) // 2], batch[len(batch) // 2 :]]
                continue
            response = client.post("/directory", content=content, headers={"Content-Type": "application/json"})
            if response.status_code != 200:
                raise RuntimeError(f"plans refused a batch ({response.status_code}): {response.text[:500]}")
            report = response.json()
            totals["units"] += report["units"]["registered"]
            totals["agencies"] += report["agencies"]["registered"]
            totals["already"] += report["units"]["already"] + report["agencies"]["already"]
            bar.update(len(body["units"]) + len(body["agencies"]))
    return {**totals, "seconds": time.perf_counter() - started}


def _embedded_admin_key() -> str | None:
    try:
        return json.loads(EMBEDDED_CREDENTIALS.read_text(encoding="utf-8")).get("admin")
    except (OSError, ValueError):
        return None
