"""A P1 phase's timeline: when the read model showed the reports, and what each process and stage did, 0.1 s at a time.

- `Shown`: how many of the reported tasks reporting's read model shows at the phase's progress value, read exactly (the
  task views by id, beside the running service, read-only) once reporting's own count says nearly all are in, and then
  only those not shown yet: it can look every 50 ms near the end (the phase's end is known to ≈ 50 ms, not to the
  second) and costs the machine little before.
- `Timeline`: a thread sampling every `every` seconds each process's CPU and run-queue seconds (/proc) and tasks' store
  (the last event appended, the relay's stored position); `summary` gives, per 0.5 s, each process's share of a core and
  the machine's use of its cores, and the moments each stage was through (decided, published, shown).
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

CHUNK = 900  # ids per query
EXACT_EVERY = 3.0  # seconds between two reads of the views by id at most, whatever reporting's count says
TICKS = os.sysconf("SC_CLK_TCK")


def _ro(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30, check_same_thread=False)


COUNTED = ("SELECT coalesce(sum(json_extract(body, '$.counts.status_reports')), 0) FROM doc_report_counts"
           " WHERE id >= 'own:' AND id < 'own;'")  # status reports reporting counted in its units' own counts (≈ 6,700 rows)


def counted(conn: sqlite3.Connection) -> int:
    try:
        return conn.execute(COUNTED).fetchone()[0]
    except sqlite3.OperationalError:  # p1-reporting2's table not made yet in this store: nothing counted there
        return 0


class Shown:
    """The reported tasks the read model shows at `progress` (a view once shown stays so: one report per task a phase).

    Cheap while most are not shown: reporting's own count of the reports it applied (one sum over ≈ 6,700 small rows,
    3-5 ms; it moves in the transaction that writes the views) is looked at until it says `near` of them; only then are
    the task views read by id, and each look reads only those not shown yet. (The probe before, a count of every task
    view whose JSON says the progress, cost 0.33-0.36 CPU s a look at 201k tasks, once a second: a third of a core taken
    from the processes it measured.)"""

    def __init__(self, reporting_db: Path, task_ids: list[str], progress: int, near: float = 0.95) -> None:
        self.db, self.left, self.progress, self.near = reporting_db, list(task_ids), int(progress), near
        self.total = len(task_ids)
        self.curve: list[tuple[float, int]] = []  # (monotonic time, shown) of the exact looks
        with _ro(self.db) as conn:
            self.base = counted(conn)  # made before the phase's first report is sent
        self.looked, self.is_near = time.monotonic(), False

    def poll(self) -> int:
        with _ro(self.db) as conn:
            self.is_near = self.is_near or counted(conn) - self.base >= self.total * self.near
            if not self.is_near and time.monotonic() - self.looked < EXACT_EVERY:
                return self.total - len(self.left)  # not near yet: the views are not read (but every EXACT_EVERY)
            self.looked = time.monotonic()
            seen: set[str] = set()
            for at in range(0, len(self.left), CHUNK):
                part = self.left[at : at + CHUNK]
                seen.update(row[0] for row in conn.execute(
                    f"SELECT id FROM doc_tasks WHERE id IN ({','.join('?' * len(part))}) AND json_extract(body, '$.progress') = ?",
                    (*part, self.progress)))
        self.left = [task for task in self.left if task not in seen]
        shown = self.total - len(self.left)
        self.curve.append((time.monotonic(), shown))
        return shown

    def __call__(self, progress: int) -> int:  # as reports.throughput asks: how many are shown at `progress`
        assert progress == self.progress
        return self.poll()

    def pause(self) -> float:
        """How long to wait before the next look: 0.1 s until reporting's count is near, 50 ms after."""
        return 0.05 if self.is_near else 0.1


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def run_queue_seconds(pid: int) -> float:
    """Seconds the process's threads spent ready to run but waiting for a core (/proc/PID/task/*/schedstat, second
    field): on a shared machine, the part of a stage's wall time that is neither work nor waiting on the broker or the
    disk."""
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a thread that ended meanwhile
    return total / 1e9


def _cpu(pid: int) -> float:
    """cpu_seconds, 0 for a process that is gone (the sampler goes on)."""
    try:
        return cpu_seconds(pid)
    except OSError:
        return 0.0


class Timeline(threading.Thread):
    def __init__(self, pids: dict[str, int], tasks_db: Path, reporting_db: Path | None = None, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pids, self.tasks_db, self.reporting_db, self.every = pids, tasks_db, reporting_db, every
        self.samples: list[tuple[float, dict[str, float], dict[str, float], int, int]] = []
        self.counted: list[tuple[float, int]] = []  # (time, status reports reporting counted in its units' own counts)
        self._done = threading.Event()

    def _positions(self, conn: sqlite3.Connection) -> tuple[int, int]:
        appended = conn.execute("SELECT max(position) FROM events").fetchone()[0] or 0
        relayed = max((row[0] for row in conn.execute("SELECT position FROM positions")), default=0)
        return appended, relayed

    def run(self) -> None:
        conn = _ro(self.tasks_db)
        reporting = _ro(self.reporting_db) if self.reporting_db else None
        try:
            while not self._done.is_set():
                now = time.monotonic()
                cpu = {name: _cpu(pid) for name, pid in self.pids.items()}
                queued = {name: run_queue_seconds(pid) for name, pid in self.pids.items()}
                self.samples.append((now, cpu, queued, *self._positions(conn)))
                if reporting is not None and len(self.samples) % 2:
                    self.counted.append((time.monotonic(), counted(reporting)))
                self._done.wait(max(0.0, now + self.every - time.monotonic()))
        finally:
            conn.close()
            if reporting is not None:
                reporting.close()

    def stop(self) -> None:
        self._done.set()
        self.join(5)

    def summary(self, started: float, reports: int, shown: Shown | None = None, produced_s: float | None = None, bucket: float = 0.5) -> dict:
        """Per `bucket` seconds from `started`: each process's CPU as % of one core, the machine's cores used (%), and
        when tasks had appended, its relay had stored as published, and reporting showed every report."""
        if len(self.samples) < 2:
            return {}
        first = self.samples[0]
        base_appended, base_relayed = first[3], first[4]
        names = [n for n in self.pids if n not in ("smtp", "plans")]
        rows, edge, last = [], started + bucket, first
        for sample in self.samples[1:]:
            if sample[0] >= edge or sample is self.samples[-1]:
                span = sample[0] - last[0]
                if span > 0:
                    share = {n: round((sample[1][n] - last[1][n]) / span * 100) for n in names}
                    wait = {n: round((sample[2][n] - last[2][n]) / span * 100) for n in names}
                    rows.append({"t": round(sample[0] - started, 2), "cpu_%": share, "runq_%": wait,
                                 "cores_used_%": round(sum((sample[1][n] - last[1][n]) for n in self.pids) / span / (os.cpu_count() or 1) * 100),
                                 "appended": sample[3] - base_appended, "relayed": sample[4] - base_relayed})
                last, edge = sample, sample[0] + bucket

        def through(index: int) -> float | None:
            for sample in self.samples:
                if sample[index] - (base_appended if index == 3 else base_relayed) >= reports:
                    return round(sample[0] - started, 2)
            return None

        shown_all = next((round(t - started, 2) for t, n in (shown.curve if shown else []) if n >= reports), None)
        first_append = next((round(s[0] - started, 2) for s in self.samples if s[3] > base_appended), None)
        end = self.samples[-1][0]
        used = sum(self.samples[-1][1][n] - first[1][n] for n in self.pids)
        relayed_all = through(4)
        return {"every_s": self.every, "bucket_s": bucket, "produced_s": produced_s, "first_appended_s": first_append,
                "appended_all_s": through(3), "relayed_all_s": relayed_all, "shown_all_s": shown_all,
                "tail_s": round(shown_all - relayed_all, 2) if shown_all is not None and relayed_all is not None else None,
                "sustained_per_s": sustained([(t, n - self.counted[0][1]) for t, n in self.counted], reports) if self.counted else None,
                "cores_used_%": round(used / max(end - first[0], 1e-9) / (os.cpu_count() or 1) * 100),
                "shown_curve": [(round(t - started, 2), n) for t, n in (shown.curve if shown else [])], "buckets": rows}


def sustained(curve: list[tuple[float, int]], reports: int) -> int | None:
    """Reports counted by reporting per second (its units' report counts, looked at every 0.2 s) between the looks that
    first saw 10% and 90% of them: the rate without the start (the first fetches after a quiet spell) and the tail (the
    last batches after tasks is through)."""
    low = next(((t, n) for t, n in curve if n >= reports * 0.1), None)
    high = next(((t, n) for t, n in curve if n >= reports * 0.9), None)
    if low is None or high is None or high[0] <= low[0]:
        return None
    return round((high[1] - low[1]) / (high[0] - low[0]))
