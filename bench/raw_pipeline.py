"""The raw pipeline tiendo rides on, measured on the same broker and disk in the same run.

aiokafka produces N 300-byte JSON messages (64 KiB batches, key = a stream id, acks=all), then a
consumer in its own group reads them from the earliest offset and upserts one SQLite row per
message, one transaction per fetched batch (WAL, synchronous=NORMAL, as the services' stores).
"""
from __future__ import annotations

import json
import sqlite3
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic


async def raw_consume_upsert(bootstrap: str, n: int, db_path: Path, partitions: int = 3) -> dict:
    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    finally:
        await admin.close()
    body = json.dumps({"event_type": "StatusReported", "payload": {"task_id": "x" * 40, "summary": "y" * 150}}).encode()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_batch_size=65536, linger_ms=5, acks="all")
    await producer.start()
    started = time.perf_counter()
    try:
        pending = [await producer.send(topic, body, key=f"task-{i % 200_000}".encode()) for i in range(n)]
        for future in pending:
            await future
    finally:
        await producer.stop()
    produce_s = time.perf_counter() - started

    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, body TEXT) WITHOUT ROWID")
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"{topic}-group", auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    seen, started = 0, None
    try:
        while seen < n:
            fetched = await consumer.getmany(timeout_ms=1000, max_records=5000)
            records = [r for batch in fetched.values() for r in batch]
            if not records:
                continue
            started = started or time.perf_counter()
            db.execute("BEGIN")
            db.executemany("INSERT INTO docs (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                           [(r.key.decode(), r.value.decode()) for r in records])
            db.execute("COMMIT")
            await consumer.commit()
            seen += len(records)
        consume_s = time.perf_counter() - started
    finally:
        await consumer.stop()
        db.close()
    return {"messages": n, "produce_per_s": round(n / produce_s), "consume_upsert_per_s": round(n / consume_s),
            "note": "consume time counted from the first fetched batch (group join excluded)"}
