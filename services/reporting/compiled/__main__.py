"""Compile a unit's periodic report from reporting's store into a DOCX or PDF file.

    python -m services.reporting.compiled --unit cao-bang --period 2026-12 --format pdf [--out FILE] [--store URL] [--today YYYY-MM-DD]
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from schemas.rejections import Rejected
from services.reporting.bootstrap import INDEXES
from services.reporting.compiled.compile import compiled_file
from services.runtime.clock import SystemClock, local_today
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store


async def run(store_url: str, unit_id: str, period: str, fmt: str, today: date, out: Path | None) -> Path:
    store = await open_store(store_url, "tiendo_reporting", INDEXES)
    try:
        body, _, name = await compiled_file(store, unit_id, period, today, fmt)
    finally:
        await store.close()
    target = out or Path(name)
    target.write_bytes(body)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.reporting.compiled", description=__doc__.splitlines()[0])
    parser.add_argument("--unit", required=True, help="unit_id of the reporting unit")
    parser.add_argument("--period", required=True, help="2026-12, 2026-Q4, 2026-H1 or 2026")
    parser.add_argument("--format", default="pdf", choices=("pdf", "docx"))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--store", default=None, help="reporting's store URL (default: TIENDO_STORE_URL)")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="compile as on this local day")
    args = parser.parse_args(argv)
    store_url = args.store or ServiceSettings().store_url
    today = args.today or local_today(SystemClock().now())
    try:
        written = asyncio.run(run(store_url, args.unit, args.period, args.format, today, args.out))
    except Rejected as error:
        print(f"{error.field or 'error'}: {error.detail}", file=sys.stderr)
        return 2
    print(written)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
