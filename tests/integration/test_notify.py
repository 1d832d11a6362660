"""plans, tasks and notify in this process, on the real bundled broker and SQLite stores, mailing a real SMTP server.

The broker lives for the whole session, so notify also reads DeadlineMissed events other tests left on the
topic (the same story, the same agencies). Each test therefore follows its own DeadlineMissed by event id:
the escalation ids and the Message-ID of each e-mail are made from it.
"""
from __future__ import annotations

import email
import email.policy
import json
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import AsyncIterator

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from schemas.catalog import TASKS_EVENTS
from services.notify.bootstrap import create_app as create_notify
from services.notify.settings import NotifySettings
from services.plans.bootstrap import create_app as create_plans
from services.runtime.broker import free_port
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, commune_plan, register_hierarchy

HEAD_OF_POLICE = {"agency_id": "ca-xa", "role": "agency_head", "name": "Hoàng Văn Công", "email": "cong.hv@truongha.gov.vn",
                  "phone": "0912 345 678"}
CHAIRMAN = {"unit_id": COMMUNE, "role": "unit_head", "name": "Lê Thị Xã", "email": "chutich@truongha.gov.vn"}
OVERDUE_SUBJECT = "[tiendo] Nhiệm vụ quá hạn: 1.1 Tham mưu ban hành Kế hoạch triển khai Đề án 06 / Overdue task"


class Inbox:
    """An aiosmtpd handler that keeps every message the SMTP server accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def of(self, escalation_id: str) -> list[tuple[list[str], email.message.EmailMessage]]:
        return [(rcpt, message) for rcpt, message in self.received if message["Message-ID"] == f"<{escalation_id}@tiendo>"]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@dataclass
class Tiendo:
    plans: httpx.AsyncClient
    tasks: httpx.AsyncClient
    notify: httpx.AsyncClient
    notify_app: FastAPI
    tasks_app: FastAPI
    clock: ManualClock

    async def issue_the_commune_plan(self) -> None:
        assert (await self.plans.post("/plans", json=commune_plan())).status_code == 201

        async def task_known():
            return (await self.tasks.get("/tasks/kh-32.1")).status_code == 200

        await eventually(task_known, timeout=60, what="tasks to learn kh-32.1 from plans")

    async def notifications(self, **params) -> list[dict]:
        return (await self.notify.get("/notifications", params=params)).json()

    async def notification_whose(self, what: str, **expected) -> dict:
        async def found():
            return next((n for n in await self.notifications() if expected.items() <= n.items()), None)

        return await eventually(found, timeout=60, what=what)

    async def deadline_missed(self, task_id: str):
        """This test's DeadlineMissed, from tasks' own store."""
        async def found():
            history = await self.tasks_app.state.runtime.store.load(f"task-{task_id}")
            return [e for e in history if e.event_type == "DeadlineMissed"]

        [missed] = await eventually(found, timeout=30, what=f"tasks to miss the deadline of {task_id}")
        return missed

    async def stats(self) -> dict:
        return (await self.notify.get("/stats")).json()

    async def skipped_by_escalations(self) -> int:
        ready = (await self.notify.get("/ready")).json()
        return ready["checks"]["consumers"]["stats"].get("notify.escalations", {}).get("skipped", 0)


@asynccontextmanager
async def tiendo(broker: str, tmp_path, smtp_port: int) -> AsyncIterator[Tiendo]:
    clock = ManualClock(datetime(2023, 3, 20, 9, tzinfo=LOCAL_TZ))
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"), clock=clock)
    notify_settings = NotifySettings(**settings_for(broker, tmp_path, "notify").model_dump(), smtp_port=smtp_port,
                                     delivery_poll_seconds=0.2)
    notify_app = await create_notify(notify_settings, clock=clock)
    async with running(plans_app) as plans, running(tasks_app) as tasks, running(notify_app) as notify:
        yield Tiendo(plans, tasks, notify, notify_app, tasks_app, clock)


async def publish_again(broker: str, envelope) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=broker)
    await producer.start()
    try:
        await producer.send_and_wait(TASKS_EVENTS, envelope.model_dump_json().encode(), key=envelope.stream_id.encode(),
                                     headers=[("event_type", envelope.event_type.encode()), ("schema_version", b"1")])
    finally:
        await producer.stop()


async def test_an_overdue_task_is_mailed_once_to_the_head_of_its_lead_agency(broker, tmp_path, smtp_server):
    smtp_port, inbox = smtp_server
    async with tiendo(broker, tmp_path, smtp_port) as system:
        await register_hierarchy(system.plans)
        assert (await system.notify.post("/contacts", json=HEAD_OF_POLICE)).status_code == 201
        await system.issue_the_commune_plan()

        system.clock.set(datetime(2023, 4, 1, 9, tzinfo=LOCAL_TZ))
        missed = await system.deadline_missed("kh-32.1")
        escalation_id = f"{missed.event_id}.agency_head"
        [(rcpt, mail)] = await eventually(lambda: _async(inbox.of(escalation_id)), timeout=60, what="the e-mail to the head")
        assert rcpt == [HEAD_OF_POLICE["email"]] and mail["To"] == HEAD_OF_POLICE["email"]
        assert mail["Subject"] == OVERDUE_SUBJECT
        assert "Kính gửi: Đồng chí Hoàng Văn Công, Trưởng Công an xã (Công an xã Trường Hà)." in mail.get_content()

        listed = await system.notification_whose("the notification listed as delivered", escalation_id=escalation_id, status="delivered")
        assert listed in await system.notifications(agency_id="ca-xa", status="delivered")
        assert (listed["task_id"], listed["responsibility"], listed["subject"], listed["to"]) == (
            "kh-32.1", "agency_head", OVERDUE_SUBJECT, HEAD_OF_POLICE["email"])
        assert listed["delivered_at"] == system.clock.now().isoformat()
        shown = (await system.notify.get(f"/notifications/{listed['escalation_id']}")).json()
        assert "31/03/2023" in shown["body"] and "32/KH-UBND" in shown["body"] and "Overdue" not in shown["body"].split("---")[0]

        notify_store = system.notify_app.state.runtime.store
        ladder = await notify_store.load(f"escalation-{missed.event_id}")
        assert [e.event_type for e in ladder] == ["EscalationRaised", "NotificationDelivered"]
        logged = json.dumps([s.envelope.model_dump(mode="json") for s in await notify_store.read_after(0, 1000)])
        for personal in (HEAD_OF_POLICE["email"], HEAD_OF_POLICE["phone"], HEAD_OF_POLICE["phone"].replace(" ", "")):
            assert personal not in logged  # contacts stay in notify's store, never in its events

        async def published_both():
            return (await system.notify.get("/health")).json()["published"] >= 2

        await eventually(published_both, timeout=30, what="notify to publish its events")

        before = await system.stats()
        skipped_before = await system.skipped_by_escalations()
        await publish_again(broker, missed)

        async def redelivery_seen():  # skipped by its stream version before the handler, or by the handler's ledger
            return (await system.skipped_by_escalations() > skipped_before
                    or (await system.stats())["deadline_missed_duplicates"] > before["deadline_missed_duplicates"])

        await eventually(redelivery_seen, timeout=60, what="notify to consume the redelivered DeadlineMissed")
        assert (await system.stats())["deadline_missed_received"] == before["deadline_missed_received"]
        assert len(inbox.of(escalation_id)) == 1
        assert len(await notify_store.load(f"escalation-{missed.event_id}")) == 2
        assert [n["escalation_id"] for n in await system.notifications() if n["escalation_id"].startswith(str(missed.event_id))] == [
            escalation_id]


async def test_an_escalation_waits_for_a_contact_and_the_chairman_is_told_when_the_task_stays_overdue(broker, tmp_path, smtp_server):
    smtp_port, inbox = smtp_server
    async with tiendo(broker, tmp_path, smtp_port) as system:
        await register_hierarchy(system.plans)
        await system.issue_the_commune_plan()

        system.clock.set(datetime(2023, 4, 1, 9, tzinfo=LOCAL_TZ))
        missed = await system.deadline_missed("kh-32.1")
        to_head, to_chairman = f"{missed.event_id}.agency_head", f"{missed.event_id}.unit_head"
        waiting = await system.notification_whose("an undeliverable escalation", escalation_id=to_head, status="undeliverable")
        assert waiting["agency_id"] == "ca-xa" and "ca-xa" in waiting["reason"] and not inbox.received

        assert (await system.notify.post("/contacts", json=HEAD_OF_POLICE)).status_code == 201
        await system.notification_whose("the escalation delivered", escalation_id=to_head, status="delivered")
        assert [(rcpt, m["Subject"]) for rcpt, m in inbox.of(to_head)] == [([HEAD_OF_POLICE["email"]], OVERDUE_SUBJECT)]

        system.clock.set(datetime(2023, 4, 8, 9, tzinfo=LOCAL_TZ))
        climbed = await system.notification_whose("the ladder to reach the chairman", escalation_id=to_chairman, status="undeliverable")
        assert (climbed["responsibility"], climbed["unit_id"], climbed["task_id"]) == ("unit_head", COMMUNE, "kh-32.1")

        assert (await system.notify.post("/contacts", json=CHAIRMAN)).status_code == 201
        await system.notification_whose("the chairman told", escalation_id=to_chairman, status="delivered")
        [(rcpt, mail)] = inbox.of(to_chairman)
        assert rcpt == [CHAIRMAN["email"]] and mail["Subject"].startswith("[tiendo] Nhiệm vụ quá hạn 8 ngày: 1.1 Tham mưu")
        assert "Kính gửi: Đồng chí Lê Thị Xã, Chủ tịch UBND (Xã Trường Hà)." in mail.get_content()
        assert len(inbox.of(to_head)) == 1
        ladder = await system.notify_app.state.runtime.store.load(f"escalation-{missed.event_id}")
        assert [e.event_type for e in ladder] == ["EscalationRaised", "NotificationDelivered", "EscalationRaised", "NotificationDelivered"]


async def _async(value):
    return value
