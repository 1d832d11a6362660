"""notify's handlers over one in-memory store, a ManualClock and an in-memory Mailer, driven as its consumers and loop drive them.

The directory is a historic three-level tree: Tỉnh Cao Bằng > Huyện Hà Quảng > Xã Trường Hà, each with a standing
body (police) and a chairman, plus two commune agencies that lead tasks.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from schemas.catalog import Event, parse_event
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.notify import Responsibility
from schemas.plans import PlanIssued, TaskAssigned, Timing
from schemas.tasks import DeadlineMissed, TaskCompleted
from services.notify.bootstrap import load_calendar
from services.notify.domain.grouping import Timers
from services.notify.entrypoints.loop import EscalationLoop
from services.notify.handlers.contacts import ContactDetails, put_contact
from services.notify.handlers.directory import learn_directory
from services.notify.handlers.dispatch import DispatchConfig
from services.notify.handlers.intake import resolve_completed, start_items
from services.notify.handlers.repository import INDEXES
from services.notify.handlers.send import SendConfig
from services.notify.handlers.reports import record_reports
from services.notify.handlers.transfers import follow_transfers
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from tests.unit.notify.memory_mailer import MemoryMailer

SECRET = "test-secret"
PLAN = "kh-32"


def events_from(stream_id: str, *payloads) -> list[Event]:
    moment = datetime(2023, 3, 1, tzinfo=LOCAL_TZ)
    return [parse_event(e.model_dump(mode="json")) for e in envelop(stream_id, 0, payloads, Cause("test", str(uuid.uuid4())), moment)]


UNITS = [("cao-bang", "Tỉnh Cao Bằng", "province", None, "Hoàng Văn Thạch"),
         ("ha-quang", "Huyện Hà Quảng", "district", "cao-bang", "Nông Văn Hùng"),
         ("truong-ha", "Xã Trường Hà", "commune", "ha-quang", "Lê Thị Xã")]
AGENCIES = [("ca-tinh", "cao-bang", "Công an tỉnh Cao Bằng", "Giám đốc Công an tỉnh", "Vũ Văn Tỉnh", True),
            ("ca-huyen", "ha-quang", "Công an huyện Hà Quảng", "Trưởng Công an huyện", "Lục Văn Sơn", True),
            ("ca-xa", "truong-ha", "Công an xã Trường Hà", "Trưởng Công an xã", "Hoàng Văn Công", True),
            ("vp-xa", "truong-ha", "Văn phòng HĐND và UBND xã Trường Hà", "Chánh Văn phòng", "Triệu Thị Lan", False),
            ("tp-xa", "truong-ha", "Công chức Tư pháp - Hộ tịch xã Trường Hà", "Công chức Tư pháp", "Bế Văn Toàn", False)]


def email_of(contact_id: str) -> str:
    return f"{contact_id.replace('.', '-')}@example.vn"


def directory_events() -> list[Event]:
    found = []
    for unit_id, name, level, parent, head in UNITS:
        found += events_from(f"unit-{unit_id}", UnitRegistered(unit_id=unit_id, name=name, level=level, parent_id=parent, head_name=head))
    for agency_id, unit_id, name, title, head, standing in AGENCIES:
        found += events_from(f"agency-{agency_id}", AgencyRegistered(agency_id=agency_id, unit_id=unit_id, name=name, head_title=title,
                                                                   head_name=head, standing_body=standing))
    found += events_from(f"plan-{PLAN}", PlanIssued(plan_id=PLAN, unit_id="truong-ha", number="32/KH-UBND", title="Triển khai Đề án 06 năm 2026"))
    return found


def assigned(task_id: str, due: date, lead: str = "vp-xa", code: str = "III.2.b", parent: str | None = None, **timing) -> list[Event]:
    return events_from(f"task-{task_id}", TaskAssigned(task_id=task_id, plan_id=PLAN, unit_id="truong-ha", code=code, lead=lead,
                                                       content=f"Nhiệm vụ {task_id}: rà soát dữ liệu dân cư", timing=Timing(due=due, **timing),
                                                       parent_task_id=parent))


def missed(task_id: str, due: date, lead: str = "vp-xa") -> list[Event]:
    return events_from(f"task-{task_id}", DeadlineMissed(task_id=task_id, plan_id=PLAN, unit_id="truong-ha", lead=lead, due=due,
                                                         content=f"Nhiệm vụ {task_id}: rà soát dữ liệu dân cư", code="III.2.b"))


def completed(task_id: str, on: date, lead: str = "vp-xa") -> list[Event]:
    return events_from(f"task-{task_id}", TaskCompleted(task_id=task_id, agency_id=lead, completed_on=on, on_time=False))


class Notify:
    def __init__(self, start: datetime, group_wait: timedelta = timedelta(seconds=30), poster=None, max_attempts: int = 5) -> None:
        self.store = MemoryStore(INDEXES)
        self.clock = ManualClock(start)
        self.events = EventLog(self.store, self.clock)
        self.mailer = MemoryMailer()
        rt = SimpleNamespace(store=self.store, events=self.events, clock=self.clock)
        timers = Timers(group_wait, timedelta(minutes=5))
        self.dispatch = DispatchConfig(SECRET, "http://notify.test", timers, 14, load_calendar())
        send = SendConfig(SECRET, webhook_max_attempts=max_attempts, jitter=lambda: 0.5)
        self.loop = EscalationLoop(rt, self.mailer, poster or self, self.dispatch, send, 1)
        self.posted: list = []

    async def post(self, url, body, headers) -> None:  # the WebhookPoster port, recorded
        self.posted.append((url, body, headers))

    async def receive(self, batch: list[Event]) -> list[str]:
        await learn_directory(batch, self.store)  # then in the order of notify's consumer of tasks' events
        await follow_transfers(batch, self.store)
        started = await start_items(batch, self.store, self.events, self.clock)
        await resolve_completed(batch, self.store, self.events)
        await record_reports(batch, self.store, self.events)
        return started

    async def contacts_for_everyone(self, **details) -> None:
        for agency_id, *_ in AGENCIES:
            await self.contact(Responsibility.agency_head, agency_id, **details)
        for unit_id, *_ in UNITS:
            await self.contact(Responsibility.unit_head, unit_id, **details)

    async def contact(self, role: Responsibility, owner: str, **details) -> dict:
        details = {"email": email_of(f"{owner}.{role.value}"), **details}
        return await put_contact(self.store, role, owner, ContactDetails(**details), self.clock.now(), ["127.0.0.1", "hooks.example.vn"])

    async def tick(self):
        return await self.loop.run_once()

    async def settle(self):
        """A pass, then again after the group wait: what one working moment sends."""
        await self.tick()
        self.clock.advance(self.dispatch.timers.group_wait)
        return await self.tick()

    async def day(self, day: date, hour: int = 9):
        self.clock.set(datetime.combine(day, time(hour), LOCAL_TZ))
        return await self.settle()

    def sent_to(self, owner: str, role: str = "agency_head"):
        return self.mailer.to(email_of(f"{owner}.{role}"))

    async def all_events(self) -> list:
        return [s.envelope for s in await self.store.read_after(0, 1_000_000)]
