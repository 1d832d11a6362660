"""The digest pass one province at a time sends the same digests, at the same moments, as one global pass."""
from __future__ import annotations

import asyncio
import dataclasses
import re
from datetime import date, datetime, timedelta

from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.notify import Responsibility
from schemas.plans import PlanIssued, TaskAssigned, Timing
from schemas.tasks import DeadlineMissed
from services.notify.domain.routing import Directory
from services.notify.handlers.dispatch import MAX_TASKS
from services.notify.handlers.dispatch.provinces import partitions
from services.notify.handlers.repository import PLANS, UNITS
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import Notify, assigned, completed, directory_events, events_from, missed

START = datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ)
OTHER_PLAN = "kh-ls-5"
OTHER_UNITS = [("lang-son", "Tỉnh Lạng Sơn", "province", None), ("tan-thanh", "Xã Tân Thanh", "commune", "lang-son")]
OTHER_AGENCIES = [("ca-ls", "lang-son", "Công an tỉnh Lạng Sơn", "Giám đốc Công an tỉnh", True),
                  ("ca-tt", "tan-thanh", "Công an xã Tân Thanh", "Trưởng Công an xã", True),
                  ("vp-tt", "tan-thanh", "Văn phòng UBND xã Tân Thanh", "Chánh Văn phòng", False)]


def second_province() -> list:
    found = []
    for unit_id, name, level, parent in OTHER_UNITS:
        found += events_from(f"unit-{unit_id}", UnitRegistered(unit_id=unit_id, name=name, level=level, parent_id=parent))
    for agency_id, unit_id, name, title, standing in OTHER_AGENCIES:
        found += events_from(f"agency-{agency_id}", AgencyRegistered(agency_id=agency_id, unit_id=unit_id, name=name, head_title=title,
                                                                   standing_body=standing))
    return found + events_from(f"plan-{OTHER_PLAN}", PlanIssued(plan_id=OTHER_PLAN, unit_id="tan-thanh", number="5/KH-UBND",
                                                                title="Triển khai Đề án 06 xã Tân Thanh"))


def other_assigned(task_id: str, due: date, lead: str = "vp-tt", parent: str | None = None) -> list:
    return events_from(f"task-{task_id}", TaskAssigned(task_id=task_id, plan_id=OTHER_PLAN, unit_id="tan-thanh", code="II.1", lead=lead,
                                                       content=f"Nhiệm vụ {task_id}: cấp tài khoản định danh", timing=Timing(due=due),
                                                       parent_task_id=parent))


def other_missed(task_id: str, due: date, lead: str = "vp-tt") -> list:
    return events_from(f"task-{task_id}", DeadlineMissed(task_id=task_id, plan_id=OTHER_PLAN, unit_id="tan-thanh", lead=lead, due=due,
                                                         content=f"Nhiệm vụ {task_id}: cấp tài khoản định danh", code="II.1"))


async def two_provinces(by_province: bool) -> Notify:
    notify = Notify(START)
    notify.dispatch = notify.loop.dispatch = dataclasses.replace(notify.dispatch, by_province=by_province)
    await notify.receive(directory_events() + second_province())
    await notify.contacts_for_everyone()
    for agency_id, *_ in OTHER_AGENCIES:
        await notify.contact(Responsibility.agency_head, agency_id)
    for unit_id, *_ in OTHER_UNITS:
        await notify.contact(Responsibility.unit_head, unit_id)
    return notify


def sent(notify: Notify) -> list[tuple]:
    """Every mail as (moment, to, subject, body), acknowledgement links' random tokens left out."""
    return sorted((m.sent_at, m.to, m.subject, re.sub(r"/ack/\S+", "/ack/…", m.body)) for m in notify.mailer.sent)


async def scenario(notify: Notify) -> None:
    """Items in both provinces arriving at different moments, a parent and its child, a resolution, weeks of climbing
    and repeats: group wait, group interval and repeat interval all come into play."""
    d1, d2 = date(2026, 3, 31), date(2026, 3, 20)
    await notify.receive(assigned("a1", d1) + assigned("a2", d2, lead="tp-xa") + other_assigned("b1", d1))
    await notify.receive(assigned("parent", d1, lead="ca-huyen") + assigned("child", d1, lead="tp-xa", parent="parent"))
    await notify.receive(missed("a1", d1) + other_missed("b1", d1))
    await notify.tick()
    notify.clock.advance(timedelta(seconds=10))
    await notify.receive(missed("a2", d2, lead="tp-xa") + missed("parent", d1, lead="ca-huyen") + missed("child", d1, lead="tp-xa"))
    await notify.tick()
    notify.clock.advance(timedelta(seconds=25))  # a1, b1 waited the group wait; a2 and the parent not yet
    await notify.tick()
    notify.clock.advance(timedelta(minutes=2))
    await notify.tick()
    notify.clock.advance(timedelta(minutes=4))  # the group interval after the first digests
    await notify.tick()
    await notify.receive(other_assigned("b2", date(2026, 4, 3)))  # a reminder before due in the second province
    await notify.receive(completed("a1", date(2026, 4, 2)))
    for day in range(2, 31):  # a month of mornings: climbs, reminders and the weekly repeat
        notify.clock.set(datetime(2026, 4, day, 9, tzinfo=LOCAL_TZ))
        await notify.settle()


async def test_a_pass_per_province_sends_the_same_digests_at_the_same_moments_as_one_global_pass():
    each, once = await two_provinces(True), await two_provinces(False)
    await scenario(each)
    await scenario(once)

    units, plans = await each.store.find(UNITS), await each.store.find(PLANS)
    parts = await partitions(each.store, Directory.of(units, []), plans, date(2026, 4, 30), MAX_TASKS)
    assert [p.province_id for p in parts] == ["cao-bang", "lang-son"]  # the per-province path did run
    assert sent(each) == sent(once)
    assert {m.to for m in each.mailer.sent} >= {"vp-tt-agency_head@example.vn", "vp-xa-agency_head@example.vn",
                                                "ca-huyen-agency_head@example.vn"}
    assert len({m.sent_at for m in each.mailer.sent}) > 3  # digests went out at several moments, not once
    assert [(d["contact_id"], d["composed_at"], d["items"]) for d in sorted(await each.store.find("digests"), key=lambda d: d["digest_id"])] == \
        [(d["contact_id"], d["composed_at"], d["items"]) for d in sorted(await once.store.find("digests"), key=lambda d: d["digest_id"])]


async def test_redelivered_and_replayed_input_sends_nothing_twice_with_a_pass_per_province():
    notify = await two_provinces(True)
    batch = assigned("a1", date(2026, 3, 31)) + missed("a1", date(2026, 3, 31)) + other_assigned("b1", date(2026, 3, 31)) \
        + other_missed("b1", date(2026, 3, 31))
    await notify.receive(batch)
    await notify.settle()
    before = (len(notify.mailer.sent), len(await notify.all_events()))
    assert before[0] >= 2
    await notify.receive(directory_events() + second_province() + batch)
    await notify.settle()
    notify.clock.advance(timedelta(hours=2))
    await notify.settle()
    assert (len(notify.mailer.sent), len(await notify.all_events())) == before


async def test_an_item_led_by_an_agency_of_another_province_makes_the_pass_global_and_its_head_gets_one_digest():
    notify = await two_provinces(True)
    await notify.receive(other_assigned("b1", date(2026, 3, 31)) + other_missed("b1", date(2026, 3, 31)))
    await notify.receive(other_assigned("x1", date(2026, 3, 31), lead="vp-xa") + other_missed("x1", date(2026, 3, 31), lead="vp-xa"))
    await notify.receive(assigned("a1", date(2026, 3, 31)) + missed("a1", date(2026, 3, 31)))
    units, plans = await notify.store.find(UNITS), await notify.store.find(PLANS)
    assert await partitions(notify.store, Directory.of(units, []), plans, date(2026, 4, 1), MAX_TASKS) is None
    await notify.settle()
    [digest] = notify.sent_to("vp-xa")
    assert "Nhiệm vụ x1" in digest.body and "Nhiệm vụ a1" in digest.body


async def test_the_check_of_every_open_item_lets_the_event_loop_run_between_provinces():
    """At national scale the first pass reads every open item province by province; HTTP (/health, ack links) waits
    behind it unless the loop gets a turn between provinces. The answer is the same as a check without turns."""
    notify = await two_provinces(by_province=True)
    await notify.receive(assigned("a1", date(2026, 3, 31)) + missed("a1", date(2026, 3, 31)))
    await notify.receive(other_assigned("b1", date(2026, 3, 31)) + other_missed("b1", date(2026, 3, 31)))
    units, plans = await notify.store.find(UNITS), await notify.store.find(PLANS)
    turns: list[int] = []
    running = True

    async def other_work() -> None:  # what HTTP would be: gets a turn whenever the check yields
        while running:
            turns.append(len(turns))
            await asyncio.sleep(0)

    other = asyncio.create_task(other_work())
    await asyncio.sleep(0)  # the other task starts
    started = len(turns)
    parts = await partitions(notify.store, Directory.of(units, []), plans, date(2026, 4, 1), MAX_TASKS)
    during = len(turns) - started
    running = False
    await other
    assert parts is not None and len(parts) == 2
    assert during >= len(parts)  # a turn after each province's items, not one stretch for all
    quiet = await partitions(notify.store, Directory.of(units, []), plans, date(2026, 4, 1), MAX_TASKS, items=False)
    assert [(p.province_id, p.units, p.plans, p.tasks) for p in parts] == [(p.province_id, p.units, p.plans, p.tasks) for p in quiet]
