"""`tiendo outbox parked list|show|release`: what a service's outbox relay parked, and letting it go after a fix.

Works on one service's store: the embedded run's `var/<service>.sqlite3` (`--var`), or any store
URL (`--store-url`, e.g. the production MongoDB; the database is `tiendo_<service>`). The running
relay notices a release on its next pass and publishes the stream's parked events in order before
anything newer of that stream (services/runtime/outbox.py). A stream with an event larger than the
producer can ever send is refused (exit 2, one line): replace that event first.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from services.runtime.outbox import PARKED, RELEASED, StillTooLarge, parked_entries, release_stream
from services.runtime.store import open_store

SERVICES = ("plans", "tasks", "reporting", "notify")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tiendo outbox parked", description="List, inspect and release events the outbox relay parked.")
    parser.add_argument("--service", required=True, choices=SERVICES)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--var", default="var", help="the embedded run's data folder (default ./var)")
    where.add_argument("--store-url", help="the service's store URL instead (sqlite:///… or mongodb://…)")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="one line per parked (or released, not yet published) event")
    listing.add_argument("--json", action="store_true")
    show = commands.add_parser("show", help="the parked entries of one stream, with their reasons")
    show.add_argument("stream_id")
    release = commands.add_parser("release", help="re-queue a stream's parked events, in order, after a fix")
    release.add_argument("stream_id")
    return parser


async def _run(args: argparse.Namespace) -> int:
    url = args.store_url or f"sqlite:///{Path(args.var) / args.service}.sqlite3"
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        print(f"tiendo: no store at {url}", file=sys.stderr)
        return 1
    store = await open_store(url, f"tiendo_{args.service}")
    try:
        parked = [{**doc, "state": "parked"} for doc in await parked_entries(store, PARKED)]
        released = [{**doc, "state": "released"} for doc in await parked_entries(store, RELEASED)]
        if args.command == "list":
            for row in sorted(parked + released, key=lambda doc: doc["position"]):
                print(json.dumps(row, ensure_ascii=False) if args.json else
                      f"{row['position']:>8}  {row['state']:<8}  {row['stream_id']} v{row['stream_version']}  {row['event_type']}  "
                      f"{row['bytes']:,} B  {row['reason'][:100]}")
            return 0
        mine = [doc for doc in parked + released if doc["stream_id"] == args.stream_id]
        if not mine:
            print(f"tiendo: nothing of {args.stream_id} is parked in {args.service}", file=sys.stderr)
            return 2
        if args.command == "show":
            print(json.dumps(mine, ensure_ascii=False, indent=2))
            return 0
        try:
            entries = await release_stream(store, args.stream_id)
        except StillTooLarge as refusal:
            print(f"tiendo: not released: {refusal}", file=sys.stderr)
            return 2
        print(f"released {len(entries)} event(s) of {args.stream_id}; the {args.service} relay publishes them in order on its next pass")
        return 0
    finally:
        await store.close()


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return asyncio.run(_run(args))
