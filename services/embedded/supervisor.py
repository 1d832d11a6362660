"""Watches the embedded run's processes and starts again any that died, saying so.

A broker that comes back is empty: the relays notice and publish their stored history again
(see services/runtime/outbox.py), so nothing is lost. A process that keeps dying is started
again less and less often (up to once a minute), never given up on.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from services.embedded.processes import ProcessGroup, SERVICES

ORDER = ("broker", "smtp", *SERVICES)


class Supervisor:
    def __init__(self, group: ProcessGroup, say: Callable[[str], None] = print, interval: float = 1.0) -> None:
        self.group, self.say, self.interval = group, say, interval
        self.restarts: dict[str, int] = {}
        self._next_try: dict[str, float] = {}
        self._stop = threading.Event()

    def check(self) -> list[str]:
        """Start again every watched process that exited; returns the names restarted."""
        restarted = []
        for name in ORDER:
            process = self.group.processes.get(name)
            if process is None or process.poll() is None or time.monotonic() < self._next_try.get(name, 0):
                continue
            count = self.restarts.get(name, 0) + 1
            self.say(f"tiendo: {name} exited with code {process.returncode}; starting it again (restart {count})")
            try:
                self.group.restart(name)
            except Exception as error:  # e.g. its port still held: try again later
                self.say(f"tiendo: {name} could not be started again: {error}")
            self.restarts[name] = count
            self._next_try[name] = time.monotonic() + min(60.0, 2.0 ** min(count, 6) / 4)
            restarted.append(name)
        return restarted

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="tiendo-supervisor", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
