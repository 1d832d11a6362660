"""A local SMTP server for the embedded run: every message it receives is written to a folder as an .eml file.

    python -m services.notify.adapters.smtp_sink --port 8025 --dir var/mail
"""
from __future__ import annotations

import argparse
import itertools
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _WriteEml:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            name = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{next(self._numbers):06d}.eml"
        staged = self.folder / f".{name}.tmp"
        staged.write_bytes(envelope.original_content or envelope.content)
        staged.replace(self.folder / name)  # readers never see half a message
        return "250 Message accepted for delivery"


class SmtpSink:
    """aiosmtpd in a thread of its own; `start()` returns when it accepts connections."""

    def __init__(self, folder: str | Path, host: str = "127.0.0.1", port: int = 8025) -> None:
        self.folder = Path(folder)
        self.host, self.port = host, port
        self._controller: Controller | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(_WriteEml(self.folder), hostname=self.host, port=self.port, decode_data=False)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[Path]:
        return sorted(self.folder.glob("*.eml"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local SMTP sink: writes every received message to a folder as .eml")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", default="var/mail")
    args = parser.parse_args(argv)
    sink = SmtpSink(args.dir, args.host, args.port)
    sink.start()
    print(f"smtp sink on {args.host}:{args.port}, writing to {sink.folder}", flush=True)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    sink.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
