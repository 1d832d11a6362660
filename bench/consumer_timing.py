"""Consumer timing on the bundled broker, with plain aiokafka consumers (no service code): what deploy/README.md's
"Consumer timing" section rests on. Prints one JSON object.

- idle: CPU of N idle consumers (this process) and of the broker over a window, and the latency of the first record
  after the quiet spell, per (fetch_max_wait_ms, consumer_timeout_ms);
- joins: a group join's time per session timeout, a first join and after the previous member was SIGKILLed (a crashed
  process started again) or stopped cleanly, dynamic and static (group_instance_id) members.
Usage: python bench/consumer_timing.py [--phases idle,joins] [--consumers 4] [--seconds 20]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from services.runtime.broker import free_port, start_tansu

TICKS = os.sysconf("SC_CLK_TCK")
IDLE_SETTINGS = [(500, 200), (500, 1000), (2000, 1000), (5000, 1000)]  # (fetch_max_wait_ms, consumer_timeout_ms); aiokafka's default first
JOINS = [(10_000, None), (6_000, None), (6_000, "static-1"), (4_000, "static-1")]  # (session_timeout_ms, group_instance_id)
MEMBER = """
import asyncio, sys
from aiokafka import AIOKafkaConsumer
async def main(boot, group, session, instance):
    c = AIOKafkaConsumer("t", bootstrap_servers=boot, group_id=group, session_timeout_ms=int(session),
                         heartbeat_interval_ms=int(session) // 3, group_instance_id=instance or None)
    await c.start()
    while not c.assignment():
        await asyncio.sleep(0.05)
    print("joined", flush=True)
    await asyncio.sleep(3600)
asyncio.run(main(*sys.argv[1:]))
"""


def broker_cpu(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def make_topic(boot: str, topic: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=boot)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 3, 1)])
    finally:
        await admin.close()


async def idle(boot: str, broker_pid: int, wait_ms: int, wake_ms: int, consumers: int, seconds: float) -> dict:
    topic = f"idle.{uuid.uuid4().hex[:6]}"
    await make_topic(boot, topic)
    members = [AIOKafkaConsumer(topic, bootstrap_servers=boot, group_id=f"g{i}-{uuid.uuid4().hex[:4]}", auto_offset_reset="earliest",
                                fetch_max_wait_ms=wait_ms, consumer_timeout_ms=wake_ms) for i in range(consumers)]
    await asyncio.gather(*(c.start() for c in members))
    arrived: list[float] = []

    async def consume(consumer: AIOKafkaConsumer) -> None:
        while True:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                arrived.extend(time.monotonic() for _ in records)

    loops = [asyncio.create_task(consume(c)) for c in members]
    try:
        while not all(c.assignment() for c in members):
            await asyncio.sleep(0.1)
        await asyncio.sleep(2)
        broker0, own0, wall0 = broker_cpu(broker_pid), own_cpu(), time.monotonic()
        await asyncio.sleep(seconds)
        wall = time.monotonic() - wall0
        figures = {"clients_cpu_percent": round((own_cpu() - own0) / wall * 100, 2),
                   "broker_cpu_percent": round((broker_cpu(broker_pid) - broker0) / wall * 100, 2)}
        producer = AIOKafkaProducer(bootstrap_servers=boot, linger_ms=0)
        await producer.start()
        latencies = []
        try:
            for n in range(10):  # after a quiet spell of 0.4–1.6 s each
                await asyncio.sleep(0.37 + n * 0.13)
                arrived.clear()
                sent = time.monotonic()
                await producer.send_and_wait(topic, b"x", key=str(n).encode())
                while len(arrived) < consumers:
                    await asyncio.sleep(0.002)
                latencies.append(round((max(arrived) - sent) * 1000))
        finally:
            await producer.stop()
    finally:
        for loop in loops:
            loop.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        await asyncio.gather(*(c.stop() for c in members))
    latencies.sort()
    return {"fetch_max_wait_ms": wait_ms, "consumer_timeout_ms": wake_ms, "consumers": consumers, **figures,
            "first_record_latency_ms_median": latencies[len(latencies) // 2], "first_record_latency_ms_max": latencies[-1]}


async def join(boot: str, group: str, session: int, instance: str | None) -> float:
    consumer = AIOKafkaConsumer("t", bootstrap_servers=boot, group_id=group, session_timeout_ms=session,
                                heartbeat_interval_ms=session // 3, group_instance_id=instance)
    started = time.monotonic()
    await consumer.start()
    try:
        while not consumer.assignment():
            await asyncio.sleep(0.02)
        return round(time.monotonic() - started, 2)
    finally:
        await consumer.stop()


async def joins(boot: str, session: int, instance: str | None) -> dict:
    group = f"j-{uuid.uuid4().hex[:6]}"
    first = await join(boot, group, session, instance)
    after_stop = await join(boot, group, session, instance)
    group = f"k-{uuid.uuid4().hex[:6]}"
    member = subprocess.Popen([sys.executable, "-c", MEMBER, boot, group, str(session), instance or ""], stdout=subprocess.PIPE)
    assert member.stdout.readline().strip() == b"joined"
    member.send_signal(signal.SIGKILL)
    member.wait()
    return {"session_timeout_ms": session, "static_member": instance is not None, "first_join_s": first,
            "after_a_clean_stop_s": after_stop, "after_the_member_was_killed_s": await join(boot, group, session, instance)}


async def main(args: argparse.Namespace) -> dict:
    port = free_port()
    broker = start_tansu("127.0.0.1", port)
    boot = f"127.0.0.1:{port}"
    result: dict = {"benchmark": "consumer_timing", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "load_average_at_start": os.getloadavg(), "machine": f"{os.uname().machine}, {os.cpu_count()} cores (shared)"}
    try:
        await make_topic(boot, "t")
        if "idle" in args.phases:
            result["idle"] = [await idle(boot, broker.pid, w, c, args.consumers, args.seconds) for w, c in IDLE_SETTINGS]
        if "joins" in args.phases:
            result["joins"] = [await joins(boot, s, i) for s, i in JOINS]
        result["load_average_at_end"] = os.getloadavg()
    finally:
        broker.kill()
        broker.wait(10)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--phases", default="idle,joins")
    parser.add_argument("--consumers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))
