"""The quiet digest pass routes only the recipients who may hear something now, and sends what a pass over every item sends."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from schemas.notify import Responsibility
from schemas.tasks import TaskTransferred
from services.notify.entrypoints.loop import EscalationLoop
from services.notify.handlers.acknowledge import Acknowledge, acknowledge
from services.notify.handlers.repository import COUNTERS, GROUPS, ITEMS, ROUTE_ON
from services.notify.handlers.silences import Silence, add_silence
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import AGENCIES, UNITS, Notify, assigned, completed, directory_events, events_from, missed
from tests.unit.notify.test_provinces import OTHER_AGENCIES, OTHER_UNITS, other_assigned, other_missed, second_province, sent

START = datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ)  # a Wednesday
DUE = date(2026, 3, 31)


async def installation(quiet: bool, late_contact: str | None = None) -> Notify:
    """Two provinces, a contact for every head (but `late_contact`'s agency head, registered later)."""
    notify = Notify(START)
    notify.dispatch = notify.loop.dispatch = dataclasses.replace(notify.dispatch, quiet=quiet)
    await notify.receive(directory_events() + second_province())
    for agency_id in [a[0] for a in AGENCIES] + [a[0] for a in OTHER_AGENCIES]:
        if agency_id != late_contact:
            await notify.contact(Responsibility.agency_head, agency_id)
    for unit_id in [u[0] for u in UNITS] + [u[0] for u in OTHER_UNITS]:
        await notify.contact(Responsibility.unit_head, unit_id)
    return notify


async def month(notify: Notify) -> None:
    """A month with every kind of news: new items in both provinces, a parent and its folded child, an acknowledgement
    pausing an item and its end, a silence, a head reachable only from the 8th, the parent's completion freeing the
    child, climbs, reminders, weekly repeats and weekends."""
    await notify.receive(assigned("a1", DUE) + assigned("a2", date(2026, 3, 20), lead="tp-xa") + other_assigned("b1", DUE))
    await notify.receive(assigned("parent", DUE, lead="ca-huyen") + assigned("child", DUE, lead="tp-xa", parent="parent"))
    await notify.receive(other_assigned("b2", date(2026, 4, 9)) + assigned("a3", date(2026, 4, 20)))
    await notify.receive(missed("a1", DUE) + other_missed("b1", DUE))
    await notify.tick()
    notify.clock.advance(timedelta(seconds=10))
    await notify.receive(missed("a2", date(2026, 3, 20), lead="tp-xa") + missed("parent", DUE, lead="ca-huyen")
                         + missed("child", DUE, lead="tp-xa"))
    await notify.settle()
    notify.clock.advance(timedelta(minutes=6))
    await notify.tick()
    for day in range(2, 31):
        notify.clock.set(datetime(2026, 4, day, 9, tzinfo=LOCAL_TZ))
        if day == 2:
            await acknowledge(notify.store, notify.events, notify.clock, "a1@2026-03-31",
                              Acknowledge(note="Đang rà soát", expected_on=date(2026, 4, 9)), "vp-xa.agency_head", "http")
        if day == 3:
            await add_silence(notify.store, Silence(starts_at=datetime(2026, 4, 13, tzinfo=LOCAL_TZ), ends_at=datetime(2026, 4, 15, tzinfo=LOCAL_TZ),
                                                    plan_id="kh-ls-5", comment="Tạm dừng nhắc trong đợt kiểm tra"), "admin", notify.clock.now())
        if day == 8:
            await notify.contact(Responsibility.agency_head, "tp-xa")
        if day == 16:  # a Thursday, nothing climbs: the child folded into its parent is news of its own
            await notify.receive(completed("parent", date(2026, 4, 16), lead="ca-huyen"))
        if day == 17:  # the district's police, told of the communes' items from rung 3, leads a new item
            await notify.receive(assigned("d1", date(2026, 4, 16), lead="ca-huyen") + missed("d1", date(2026, 4, 16), lead="ca-huyen"))
        if day == 22:
            await notify.receive(other_assigned("b3", date(2026, 4, 21)) + other_missed("b3", date(2026, 4, 21)))
        await notify.settle()


async def test_the_quiet_pass_sends_the_same_digests_at_the_same_moments_as_a_pass_over_every_item():
    quiet, every = await installation(True, late_contact="tp-xa"), await installation(False, late_contact="tp-xa")
    await month(quiet)
    await month(every)

    assert sent(quiet) == sent(every)
    assert len({m.sent_at for m in quiet.mailer.sent}) > 8  # digests at many moments: climbs, repeats, reminders, news
    tellings = {m.to for m in quiet.mailer.sent}
    assert {"tp-xa-agency_head@example.vn", "vp-tt-agency_head@example.vn", "truong-ha-unit_head@example.vn"} <= tellings
    digests = [sorted((d["contact_id"], d["composed_at"], d["items"]) for d in await n.store.find("digests")) for n in (quiet, every)]
    assert digests[0] == digests[1]
    assert sorted((a["alert_id"], a["open"]) for a in await quiet.store.find("alerts")) == sorted((a["alert_id"], a["open"]) for a in await every.store.find("alerts"))
    assert quiet.loop.passes["items_routed"] < every.loop.passes["items_routed"] * 0.6  # with fewer items routed


async def test_a_pass_with_nothing_new_routes_no_item_and_sends_nothing():
    notify = await installation(True)
    await notify.receive(assigned("a1", DUE) + missed("a1", DUE) + other_assigned("b1", DUE) + other_missed("b1", DUE))
    await notify.settle()
    assert len(notify.mailer.sent) >= 2
    sent_before, groups_before = len(notify.mailer.sent), await notify.store.find(GROUPS)
    routed_before = dict(notify.loop.passes)

    await notify.day(date(2026, 4, 2))  # Thursday: no climb, no repeat, no reminder, nothing received

    assert len(notify.mailer.sent) == sent_before
    assert notify.loop.passes["items_routed"] == routed_before["items_routed"]
    assert notify.loop.passes["recipients_decided"] == routed_before["recipients_decided"]
    assert await notify.store.find(GROUPS) == groups_before
    assert not [v for v in await notify.store.find(ITEMS) if v.get(ROUTE_ON)]  # no news left waiting

    state = await notify.store.get(COUNTERS, "routing")
    await notify.day(date(2026, 4, 2), hour=15)  # later the same day, still nothing new: the pass writes nothing at all
    assert await notify.store.get(COUNTERS, "routing") == state
    await notify.day(date(2026, 4, 3))  # the next day's first pass moves the state on
    assert (await notify.store.get(COUNTERS, "routing"))["last_at"] > state["last_at"]


async def test_one_new_item_routes_only_its_recipients_and_the_items_that_reach_them():
    notify = await installation(True)
    await notify.receive(assigned("a1", DUE) + missed("a1", DUE) + assigned("a2", DUE, lead="tp-xa") + missed("a2", DUE, lead="tp-xa"))
    await notify.receive(other_assigned("b1", DUE) + other_missed("b1", DUE))
    await notify.settle()
    groups_before = {g["contact_id"]: g for g in await notify.store.find(GROUPS)}
    routed_before = dict(notify.loop.passes)

    notify.clock.set(datetime(2026, 4, 2, 9, tzinfo=LOCAL_TZ))
    await notify.receive(other_assigned("b2", date(2026, 4, 1)) + other_missed("b2", date(2026, 4, 1)))
    await notify.settle()

    # the lead agency's head and the commune's standing body (copied on rung 1); their commune's two items, nothing else
    assert notify.loop.passes["recipients_decided"] - routed_before["recipients_decided"] == 2 * 2  # two passes (wait, send)
    assert notify.loop.passes["items_routed"] - routed_before["items_routed"] == 2 * 2
    assert sorted(m.to for m in notify.mailer.sent if m.sent_at.date() == date(2026, 4, 2)) == \
        ["ca-tt-agency_head@example.vn", "vp-tt-agency_head@example.vn"]
    changed = {g["contact_id"] for g in await notify.store.find(GROUPS) if groups_before.get(g["contact_id"]) != g}
    assert changed == {"vp-tt.agency_head", "ca-tt.agency_head"}


async def test_an_item_moved_to_a_unit_notify_never_registered_is_still_routed_and_its_head_told():
    """The known gap of the per-province pass: such an item sits in no province; it now makes the pass global."""
    each, once = await installation(True), await installation(True)
    once.dispatch = once.loop.dispatch = dataclasses.replace(once.dispatch, by_province=False)
    for notify in (each, once):
        await notify.receive(other_assigned("b1", DUE) + other_missed("b1", DUE))
        await notify.receive(assigned("a1", DUE) + missed("a1", DUE))
        await notify.settle()  # told; its task leaves the reminder window
        notify.clock.set(datetime(2026, 4, 2, 9, tzinfo=LOCAL_TZ))
        await notify.receive(events_from("task-a1", TaskTransferred(task_id="a1", from_unit="truong-ha", to_unit="xa-moi-chua-dang-ky",
                                                                     effective_on=date(2026, 4, 2), reorganisation="UnitsMerged")))
        await notify.settle()
        notify.clock.set(datetime(2026, 4, 8, 9, tzinfo=LOCAL_TZ))  # a week on: the weekly repeat, rung 2
        await notify.settle()

    [moved] = [v for v in await each.store.find(ITEMS) if v["task_id"] == "a1"]
    assert moved["unit_id"] == "xa-moi-chua-dang-ky" and moved["open"]
    told = [m for m in each.sent_to("vp-xa") if "Nhiệm vụ a1" in m.body]
    assert len(told) == 2  # its lead agency's head, at once and at the weekly repeat
    assert any(a["open"] and "xa-moi-chua-dang-ky" in a["alert_id"] for a in await each.store.find("alerts"))  # the chairman nobody knows
    assert sent(each) == sent(once)


async def test_news_right_after_a_pass_waits_for_the_gap_and_one_pass_then_takes_all_of_it():
    notify = await installation(True)
    notify.loop.news_gap_seconds = 3600.0
    await notify.loop.run_due()  # the first look
    full = notify.loop.passes["full"]
    for task_id in ("a1", "a2"):  # two consumer batches of news
        await notify.receive(assigned(task_id, DUE) + missed(task_id, DUE))
        notify.loop.wake()
        pause = await notify.loop.run_due()
        assert notify.loop.passes["full"] == full  # waits: no pass yet
        assert 0 < pause <= notify.loop.poll_seconds

    notify.loop.news_gap_seconds = 0.0  # the gap is over
    await notify.loop.run_due()
    assert notify.loop.passes["full"] == full + 1
    notify.clock.advance(notify.dispatch.timers.group_wait)
    await notify.loop.run_once()
    [digest] = notify.sent_to("vp-xa")
    assert "Nhiệm vụ a1" in digest.body and "Nhiệm vụ a2" in digest.body


def restarted(notify: Notify) -> None:
    """The process killed and started again: a new loop on the same store (nothing kept in memory)."""
    old = notify.loop
    notify.loop = EscalationLoop(old.rt, old.mailer, old.poster, old.dispatch, old.send, old.poll_seconds)


async def test_a_restarted_process_first_pass_is_quiet_and_routes_nothing_when_nothing_is_new():
    notify = await installation(True)
    await notify.receive(assigned("a1", DUE) + missed("a1", DUE) + other_assigned("b1", DUE) + other_missed("b1", DUE))
    await notify.settle()
    sent_before, groups_before = len(notify.mailer.sent), await notify.store.find(GROUPS)

    restarted(notify)
    notify.clock.set(datetime(2026, 4, 1, 15, tzinfo=LOCAL_TZ))
    await notify.tick()

    assert notify.loop.passes["full"] == 1 and notify.loop.passes["items_routed"] == 0  # no item read on the restart
    assert notify.loop.passes["recipients_decided"] == 0
    assert len(notify.mailer.sent) == sent_before and await notify.store.find(GROUPS) == groups_before


async def test_a_process_restarted_every_day_sends_the_same_digests_as_one_that_ran_through():
    kept, restarting = await installation(True, late_contact="tp-xa"), await installation(True, late_contact="tp-xa")
    await month(kept)
    original = restarting.settle

    async def settle_then_restart():
        result = await original()
        restarted(restarting)
        return result

    restarting.settle = settle_then_restart
    await month(restarting)

    assert sent(restarting) == sent(kept) and len(sent(kept)) > 8
    digests = [sorted((d["contact_id"], d["composed_at"], d["items"]) for d in await n.store.find("digests")) for n in (kept, restarting)]
    assert digests[0] == digests[1]
