"""`tiendo deadletters list|show|redrive`: look at refused records and send them again after a fix.

Each dead letter keeps the refused record's bytes (credentials redacted), its key, its original
headers and why it was refused (`error`, `consumer`, `source_topic`, `source_partition`,
`source_offset`). Its id here is `<partition>:<offset>` on the dead-letter topic. Re-driving
publishes the record again to its source topic with its key and original headers, plus
`redriven_from`; a command whose token was redacted is refused again: its sender must resend it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from schemas.catalog import DEAD_LETTER

KEPT_HEADERS = {"error", "consumer", "source_topic", "source_partition", "source_offset"}


def _headers(record: Any) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") for k, v in record.headers or ()}


async def read_dead_letters(bootstrap: str, idle_polls: int = 3) -> list[Any]:
    """Every record on the dead-letter topic, from its beginning (read until a few polls bring nothing)."""
    # a group of its own that never commits (with group_id=None, stopping the consumer raised CancelledError here)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=f"tiendo-deadletters-{uuid.uuid4().hex[:8]}", enable_auto_commit=False)
    await consumer.start()
    try:
        if DEAD_LETTER not in await consumer.topics():  # also loads the metadata partitions_for_topic reads
            return []
        partitions = consumer.partitions_for_topic(DEAD_LETTER) or set()
        consumer.assign([TopicPartition(DEAD_LETTER, p) for p in sorted(partitions)])
        for tp in consumer.assignment():
            consumer.seek(tp, 0)
        records, idle = [], 0
        while idle < idle_polls:
            batch = await consumer.getmany(timeout_ms=500)
            idle = 0 if batch else idle + 1
            for part in batch.values():
                records.extend(part)
        return sorted(records, key=lambda r: (r.partition, r.offset))
    finally:
        await consumer.stop()


def summary(record: Any) -> dict[str, Any]:
    headers = _headers(record)
    return {"id": f"{record.partition}:{record.offset}", "source_topic": headers.get("source_topic"), "consumer": headers.get("consumer"),
            "key": record.key.decode("utf-8", "replace") if record.key else None, "error": headers.get("error", "")}


def detail(record: Any) -> dict[str, Any]:
    try:
        value: Any = json.loads(record.value)
    except (ValueError, TypeError):
        value = (record.value or b"").decode("utf-8", "replace")
    return {**summary(record), "headers": _headers(record), "value": value}


async def redrive(bootstrap: str, records: list[Any]) -> list[str]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        sent = []
        for record in records:
            headers = _headers(record)
            kept = [(k, v.encode()) for k, v in headers.items() if k not in KEPT_HEADERS]
            kept.append(("redriven_from", f"{DEAD_LETTER}:{record.partition}:{record.offset}".encode()))
            await producer.send_and_wait(headers["source_topic"], record.value, key=record.key, headers=kept)
            sent.append(f"{record.partition}:{record.offset} -> {headers['source_topic']}")
        return sent
    finally:
        await producer.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tiendo deadletters", description="List, inspect and re-drive dead letters.")
    parser.add_argument("--bootstrap", default=os.environ.get("TIENDO_KAFKA_BOOTSTRAP", "127.0.0.1:19092"))
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="one line per dead letter")
    listing.add_argument("--consumer", help="only those this consumer refused")
    listing.add_argument("--json", action="store_true")
    show = commands.add_parser("show", help="headers and value of one dead letter")
    show.add_argument("id", help="<partition>:<offset>, as listed")
    again = commands.add_parser("redrive", help="publish dead letters again to their source topic")
    again.add_argument("ids", nargs="*", help="<partition>:<offset> ids; none with --consumer means all of that consumer's")
    again.add_argument("--consumer")
    args = parser.parse_args(argv)
    try:
        records = asyncio.run(read_dead_letters(args.bootstrap))
    except Exception as error:
        print(f"tiendo: cannot read {DEAD_LETTER} from {args.bootstrap}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    by_id = {f"{r.partition}:{r.offset}": r for r in records}
    if args.command == "list":
        rows = [summary(r) for r in records if not args.consumer or _headers(r).get("consumer") == args.consumer]
        for row in rows:
            print(json.dumps(row, ensure_ascii=False) if args.json else f"{row['id']:>8}  {row['source_topic']}  {row['consumer']}  {row['key']}  {row['error'][:120]}")
        return 0
    if args.command == "show":
        if args.id not in by_id:
            print(f"tiendo: no dead letter {args.id}", file=sys.stderr)
            return 2
        print(json.dumps(detail(by_id[args.id]), ensure_ascii=False, indent=2))
        return 0
    chosen = [by_id[i] for i in args.ids if i in by_id] if args.ids else [r for r in records if args.consumer and _headers(r).get("consumer") == args.consumer]
    missing = [i for i in args.ids if i not in by_id]
    if missing or not chosen:
        print(f"tiendo: nothing to re-drive{': unknown ' + ', '.join(missing) if missing else ''}", file=sys.stderr)
        return 2
    for line in asyncio.run(redrive(args.bootstrap, chosen)):
        print(f"re-driven {line}")
    return 0
