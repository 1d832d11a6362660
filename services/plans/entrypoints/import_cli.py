"""`tiendo plans import FILE --json`: print the draft plan of a document.

main(argv) gets the arguments after "plans import". Exit codes: 0 draft
printed (warnings allowed), 2 usage error, 3 file missing or unreadable,
4 readable but not a plan.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from importer import MAX_INPUT_BYTES, NotAPlan, PlanImportError, import_document


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tiendo plans import", description="Import a plan document as a draft.")
    parser.add_argument("file", help="plan document: .txt/.md, .docx, .doc (through antiword), .pdf (text layer) or .xlsx")
    parser.add_argument("--json", action="store_true", help="print the draft as JSON (the default and only format)")
    parser.add_argument("--directory", help="JSON file with [[id, name], ...] agencies to match names against")
    return parser


def _fail(code: int, reason: str) -> int:
    print(f"tiendo plans import: {reason}", file=sys.stderr)
    return code


def _directory(path: str | None) -> list[tuple[str, str]] | None:
    if path is None:
        return None
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    return [(str(entry[0]), str(entry[1])) for entry in entries]


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    path = Path(args.file)
    if not path.is_file():
        return _fail(3, f"{args.file}: no such file")
    if path.stat().st_size > MAX_INPUT_BYTES:
        return _fail(3, f"{args.file}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; refused")
    try:
        directory = _directory(args.directory)
    except (OSError, ValueError, TypeError, IndexError) as exc:
        return _fail(2, f"cannot read the agency directory {args.directory}: {exc.__class__.__name__}")
    try:
        draft = import_document(path.read_bytes(), path.name, directory)
    except NotAPlan as exc:
        return _fail(4, f"{args.file}: {exc.reason}")
    except PlanImportError as exc:
        return _fail(3, f"{args.file}: {exc.reason}")
    except OSError as exc:
        return _fail(3, f"{args.file}: cannot read ({exc.strerror or exc.__class__.__name__})")
    try:
        json.dump(draft.to_json_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
