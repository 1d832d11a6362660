"""plans, tasks and notify in this process on the real bundled broker and SQLite stores; notify listens on a real port
(plans hands it the heads' contacts, the head follows the e-mail's link) and mails a real SMTP server (aiosmtpd).

Each test has a broker of its own (tests/conftest.py): its topics hold only the events this test's services write.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import json
import re
from contextlib import asynccontextmanager
from datetime import datetime
from typing import AsyncIterator

import httpx
import pytest
import uvicorn
from aiosmtpd.controller import Controller

from services.notify.bootstrap import create_app as create_notify
from services.notify.settings import NotifySettings
from services.plans.bootstrap import create_app as create_plans
from services.plans.settings import PlansSettings
from services.runtime.broker import free_port
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.auth import bearer
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, DISTRICT, PROVINCE, commune_plan, standing_body

HEAD = "cong.hv@truongha.gov.vn"


class Inbox:
    """An aiosmtpd handler that keeps every message the SMTP server accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.original_content, policy=email.policy.default)))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for rcpt, m in self.received if rcpt == [address]]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@asynccontextmanager
async def serving(app, port: int) -> AsyncIterator[str]:
    """The app on a real loopback port (its lifespan runs in uvicorn)."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    url = f"http://127.0.0.1:{port}"

    async def up():
        return server.started

    await eventually(up, timeout=30, what="notify to listen")
    try:
        yield url
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def plans_tasks_notify(broker, tmp_path, smtp_port: int, clock: ManualClock):
    """plans, tasks and notify on the broker, sharing `clock` (plans keeps the system clock); notify on a real port, mailing
    `smtp_port` with no group wait. Yields (notify's app, plans' app, plans' client, tasks' client, notify's client)."""
    port = free_port()
    notify_settings = NotifySettings(**settings_for(broker, tmp_path, "notify").model_dump(), smtp_port=smtp_port, delivery_poll_seconds=0.2,
                                     group_wait_seconds=0, public_url=f"http://127.0.0.1:{port}")
    notify_app = await create_notify(notify_settings, clock=clock)
    plans_app = await create_plans(PlansSettings(**settings_for(broker, tmp_path, "plans").model_dump(), notify_url=f"http://127.0.0.1:{port}"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"), clock=clock)
    async with serving(notify_app, port) as notify_url, running(plans_app) as plans, running(tasks_app) as tasks, \
            httpx.AsyncClient(base_url=notify_url) as notify:
        yield notify_app, plans_app, plans, tasks, notify


async def register_with_contacts(plans: httpx.AsyncClient) -> None:
    units = [{"unit_id": PROVINCE, "name": "Tỉnh Cao Bằng", "level": "province"},
             {"unit_id": DISTRICT, "name": "Huyện Hà Quảng", "level": "district", "parent_id": PROVINCE},
             {"unit_id": COMMUNE, "name": "Xã Trường Hà", "level": "commune", "parent_id": DISTRICT, "head_name": "Lê Thị Xã",
              "head_contact": {"email": "chutich@truongha.gov.vn"}}]
    for unit in units:
        (await plans.post("/units", json=unit)).raise_for_status()
    agencies = [{"agency_id": "ca-xa", "unit_id": COMMUNE, "name": "Công an xã Trường Hà", "head_title": "Trưởng Công an xã",
                 "head_name": "Hoàng Văn Công", "standing_body": True, "head_contact": {"email": HEAD, "phone": "0912 345 678"}},
                {"agency_id": "vp-xa", "unit_id": COMMUNE, "name": "Văn phòng UBND xã Trường Hà", "head_title": "Chánh Văn phòng",
                 "head_name": "Phạm Thị Văn", "head_contact": {"email": "van.pt@truongha.gov.vn"}},
                {"agency_id": "tp-xa", "unit_id": COMMUNE, "name": "Công chức Tư pháp - Hộ tịch xã", "head_title": "Công chức Tư pháp",
                 "head_name": "Đỗ Văn Pháp", "head_contact": {"email": "phap.dv@truongha.gov.vn"}}]
    for agency in agencies:
        (await plans.post("/agencies", json=agency)).raise_for_status()


async def test_contacts_come_from_the_directory_the_digest_reaches_smtp_and_its_link_acknowledges_over_http(broker, tmp_path, smtp_server):
    smtp_port, inbox = smtp_server
    clock = ManualClock(datetime(2023, 3, 20, 9, tzinfo=LOCAL_TZ))
    async with plans_tasks_notify(broker, tmp_path, smtp_port, clock) as (notify_app, plans_app, plans, tasks, notify):
        notify_settings = notify_app.state.runtime.settings
        await register_with_contacts(plans)
        plans_store = plans_app.state.runtime.store
        assert (await plans.get("/agencies/ca-xa")).json().get("head_contact") is None  # not in plans' directory view

        async def handed_over():
            return not await plans_store.find("contact_handoffs") and len(await notify_app.state.runtime.store.find("contacts")) == 4

        await eventually(handed_over, timeout=30, what="plans to hand the four contacts to notify")
        assert (await plans.post("/plans", json=commune_plan(), headers=standing_body(plans))).status_code == 201

        async def task_known():
            return (await tasks.get("/tasks/kh-32.1")).status_code == 200

        await eventually(task_known, timeout=60, what="tasks to learn kh-32.1")
        clock.set(datetime(2023, 4, 3, 9, tzinfo=LOCAL_TZ))  # a Monday: the weekend of 1-2 April would defer the digest

        async def mailed():
            return [m for m in inbox.to(HEAD) if "1.1 Tham mưu ban hành" in m.get_body(("plain",)).get_content()]

        [mail] = await eventually(mailed, timeout=60, what="the digest to the head of the commune police")
        assert mail["Subject"].startswith("[tiendo] ") and "nhiệm vụ quá hạn" in mail["Subject"]
        text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
        assert "Kính gửi: Đồng chí Hoàng Văn Công, Trưởng Công an xã (Công an xã Trường Hà)." in text and "<table" in html
        assert "Kế hoạch 32/KH-UBND, mục 1.1" in text and "31/03/2023" in text
        link = re.search(r"http://127\.0\.0\.1:\d+/ack/\S+", text).group(0)

        events = json.dumps([s.envelope.model_dump(mode="json") for s in await notify_app.state.runtime.store.read_after(0, 10_000)])
        assert HEAD not in events and "0912 345 678" not in events  # contacts stay in notify's store
        plans_events = json.dumps([s.envelope.model_dump(mode="json") for s in await plans_store.read_after(0, 10_000)])
        assert HEAD not in plans_events

        form = await notify.get(link)
        assert form.status_code == 200 and "<form" in form.text
        done = await notify.post(link, data={"note": "Đã giao cán bộ hoàn thiện dự thảo", "expected_on": "2023-04-10"})
        assert done.status_code == 201, done.text
        assert done.json()["acknowledged"]["until"] == "2023-04-10" and done.json()["acknowledged"]["via"] == "link"
        again = await notify.post(link, data={"note": "x", "expected_on": "2023-04-10"})
        assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
        admin = bearer(notify_settings.token_secret, "administrator", "test-admin")
        shown = (await notify.get("/escalations", params={"unit_id": COMMUNE}, headers=admin)).json()
        mine = [i for i in shown if i["task_id"] == "kh-32.1"]
        assert mine and mine[0]["acknowledged"]["by"] == "ca-xa.agency_head"
        assert any(t["contact_id"] == "ca-xa.agency_head" for t in mine[0]["told"])
