"""The `tiendo` command: run the embedded system, import a plan document, set the shared clock."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

USAGE = """usage: tiendo run [--var DIR] [--no-demo]
       tiendo plans import FILE --json
       tiendo directory load [--historic] [--url PLANS_URL] [--key KEY] [--province CODE]
       tiendo clock set ISO-DATETIME [--var DIR]
       tiendo credential bootstrap-admin [--minutes N] [--name NAME]
       tiendo deadletters list|show ID|redrive ID… [--bootstrap HOST:PORT]
       tiendo outbox parked --service NAME [--var DIR | --store-url URL] list|show STREAM|release STREAM"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["run"]:
        from services.embedded.run import main as run

        return run(args[1:])
    if args[:2] == ["plans", "import"]:
        from services.plans.entrypoints.import_cli import main as import_plan

        return import_plan(args[2:])
    if args[:2] == ["credential", "bootstrap-admin"]:
        from services.runtime.auth.bootstrap import main as bootstrap_admin

        return bootstrap_admin(args[2:])
    if args[:2] == ["directory", "load"]:
        from services.plans.entrypoints.directory_cli import main as load_directory

        return load_directory(args[2:])
    if args[:1] == ["deadletters"]:
        from services.runtime.deadletter_cli import main as deadletters

        return deadletters(args[1:])
    if args[:2] == ["outbox", "parked"]:
        from services.runtime.outbox_cli import main as parked

        return parked(args[2:])
    if args[:2] == ["clock", "set"] and len(args) >= 3:
        from services.runtime.clock import FileClock

        var = Path(args[args.index("--var") + 1]) if "--var" in args else Path("var")
        try:
            moment = datetime.fromisoformat(args[2])
        except ValueError:
            print(f"tiendo: not an ISO datetime: {args[2]!r}", file=sys.stderr)
            return 2
        if moment.tzinfo is None:
            print("tiendo: give the time zone, e.g. 2026-12-01T09:00+07:00", file=sys.stderr)
            return 2
        var.mkdir(parents=True, exist_ok=True)
        FileClock(var / "clock.txt").set(moment)
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
