"""The rebuild's fetch alone, on the bundled broker: the tasks topic of bench/reporting.py's history read by one process
(every partition), by two processes each reading half the partitions (the rebuild's share by partition,
services/reporting/rebuild_workers.py), and by two processes each reading every partition (the share by key before it).
Nothing decoded or applied: aiokafka's getmany with the replay's fetch sizes, until every record of the process's
partitions has come (counted as produced: end offsets are not reliable on this broker); with `--notify`, each reader
also assigns every partition of the notify topic, empty here as in bench/reporting.py (the rebuild reads it). Prints JSON: per mode the wall
seconds of the slowest reader, each reader's wall and CPU seconds, and the broker's CPU seconds.

    python bench/rebuild_fetch.py [--tasks 60000] [--rounds 2] [--notify] [--max-wait-ms 500]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402

from bench.national_events import history  # noqa: E402
from bench.reporting import _group_cpu, _wire  # noqa: E402
from schemas.catalog import NOTIFY_EVENTS, TASKS_EVENTS  # noqa: E402
from services.runtime.broker import free_port, start_tansu  # noqa: E402
from services.runtime.replay import FETCH_BYTES, MAX_RECORDS  # noqa: E402
from services.runtime.topics import TopicAdmin  # noqa: E402

PARTITIONS = 4
MODES = {"one process, every partition": [[0, 1, 2, 3]], "two processes, half the partitions each": [[0, 2], [1, 3]],
         "two processes, every partition each": [[0, 1, 2, 3], [0, 1, 2, 3]]}


async def produce(bootstrap: str, tasks: int) -> Counter:
    """The history's task streams on the tasks topic, keyed by stream (the default partitioner: murmur2)."""
    await TopicAdmin(bootstrap).ensure([TASKS_EVENTS, NOTIFY_EVENTS], PARTITIONS)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=256 * 1024)
    await producer.start()
    placed: Counter = Counter()
    sent = []
    for event in history(tasks):
        if event.envelope.stream_id.startswith(("task-", "report-")):
            sent.append(await producer.send(TASKS_EVENTS, _wire(event), key=event.envelope.stream_id.encode()))
        if len(sent) >= 5000:
            placed.update(m.partition for m in await asyncio.gather(*sent))
            sent = []
    placed.update(m.partition for m in await asyncio.gather(*sent))
    await producer.stop()
    return placed


async def fetch(bootstrap: str, partitions: list[int], expected: int, notify: bool, wait_ms: int) -> tuple[float, float]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest",
                                max_partition_fetch_bytes=FETCH_BYTES, fetch_max_bytes=4 * FETCH_BYTES, fetch_max_wait_ms=wait_ms)
    await consumer.start()
    started, cpu = time.monotonic(), time.process_time()
    try:
        consumer.assign([TopicPartition(TASKS_EVENTS, p) for p in partitions]
                        + [TopicPartition(NOTIFY_EVENTS, p) for p in range(PARTITIONS) if notify])
        seen = 0
        while seen < expected:
            seen += sum(len(batch) for batch in (await consumer.getmany(timeout_ms=200, max_records=MAX_RECORDS)).values())
        return time.monotonic() - started, time.process_time() - cpu
    finally:
        await consumer.stop()


def reader(conn, bootstrap: str, partitions: list[int], expected: int, notify: bool, wait_ms: int) -> None:
    conn.send(asyncio.run(fetch(bootstrap, partitions, expected, notify, wait_ms)))
    conn.close()


def run(bootstrap: str, shares: list[list[int]], placed: Counter, notify: bool, wait_ms: int) -> list[tuple[float, float]]:
    context = multiprocessing.get_context("fork")
    pipes = [context.Pipe(duplex=False) for _ in shares]
    processes = [context.Process(target=reader, args=(sending, bootstrap, share, sum(placed[p] for p in share), notify, wait_ms))
                 for (_, sending), share in zip(pipes, shares)]
    for process in processes:
        process.start()
    found = [receiving.recv() for receiving, _ in pipes]
    for process in processes:
        process.join()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=60_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--notify", action="store_true", help="each reader assigns the (empty) notify topic's partitions too")
    parser.add_argument("--max-wait-ms", type=int, default=500, help="the consumers' fetch_max_wait_ms (aiokafka's default 500)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rebuild-fetch-"))
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    broker = start_tansu("127.0.0.1", port, folder / "tansu.log")
    try:
        placed = asyncio.run(produce(bootstrap, args.tasks))
        out: dict = {"tasks": args.tasks, "records": sum(placed.values()), "per_partition": dict(sorted(placed.items())),
                     "notify_assigned": args.notify, "fetch_max_wait_ms": args.max_wait_ms, "load_average_at_start": os.getloadavg()[0], "modes": {}}
        for _ in range(args.rounds):
            for mode, shares in MODES.items():
                broker_cpu = _group_cpu(broker.pid)
                found = run(bootstrap, shares, placed, args.notify, args.max_wait_ms)
                out["modes"].setdefault(mode, []).append({
                    "slowest_wall_s": round(max(wall for wall, _ in found), 2),
                    "readers_wall_cpu_s": [[round(wall, 2), round(cpu, 2)] for wall, cpu in found],
                    "broker_cpu_s": round(_group_cpu(broker.pid) - broker_cpu, 2), "load_average": os.getloadavg()[0]})
        print(json.dumps(out, indent=1))
    finally:
        os.killpg(broker.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
