"""The escalation loop is a schedule: it reads nothing per item while nothing is due, and acts when a moment comes."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from services.notify.domain import item as items
from services.notify.handlers.repository import CLIMB_ON, CONTACTS, DELIVERIES, GROUPS, ITEMS, NEXT_AT, RETRY_AT, PolicyMemo, item_of
from services.notify.handlers.climb import schedule_old_views
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import Notify, assigned, completed, directory_events, missed

DUE = date(2026, 3, 31)  # a Tuesday


def local_days(mails) -> list[date]:
    return [m.sent_at.astimezone(LOCAL_TZ).date() for m in mails]


async def overdue(notify: Notify | None = None, task_id: str = "t1") -> Notify:
    notify = notify or Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events())
    await notify.contacts_for_everyone()
    await notify.receive(assigned(task_id, DUE))
    await notify.receive(missed(task_id, DUE))
    return notify


async def test_an_items_next_rung_day_is_kept_in_its_view_and_an_acknowledgement_moves_it_past_the_pause():
    notify = await overdue()
    view = await notify.store.get(ITEMS, "t1@2026-03-31")
    assert view["rung"] == 1 and view[CLIMB_ON] == "2026-04-07"  # the chairman's rung: 7 days overdue
    item = item_of(view, await PolicyMemo.of(notify.store))
    paused = items.Item(item.stream_id, item.version, item.started, 1, (items.Pause(date(2026, 4, 2), date(2026, 4, 11)),))
    assert items.climb_on(paused) == date(2026, 4, 16)  # 9 days paused do not count: 7 + 9 days after the due date
    assert items.climb(paused, date(2026, 4, 15)) == [] and items.climb(paused, date(2026, 4, 16))
    await notify.receive(completed("t1", date(2026, 4, 2)))
    assert (await notify.store.get(ITEMS, "t1@2026-03-31"))[CLIMB_ON] is None  # resolved: never again


async def test_between_moments_the_loop_only_looks_at_the_clock_and_a_new_day_brings_one_full_pass():
    notify = await overdue()
    await notify.loop.run_due()  # the first look: a full pass (news opens the group wait)
    notify.clock.advance(timedelta(seconds=30))
    await notify.loop.run_due()  # the group wait is over: the digests go
    assert len(notify.mailer.sent) == 2 and notify.loop.passes["full"] == 2
    for _ in range(20):  # the rest of the day: nothing is due
        notify.clock.advance(timedelta(minutes=30))
        pause = await notify.loop.run_due()
        assert 0 < pause <= notify.loop.poll_seconds
    assert notify.loop.passes["full"] == 2 and notify.loop.passes["send"] == 0
    groups = await notify.store.find(GROUPS)
    assert {g[NEXT_AT] for g in groups} == {"2026-04-08T02:00:30+00:00"}  # the repeat interval: 7 days after the digest
    notify.clock.set(datetime(2026, 4, 2, 0, 0, 1, tzinfo=LOCAL_TZ))  # past local midnight
    await notify.loop.run_due()
    assert notify.loop.passes["full"] == 3 and len(notify.mailer.sent) == 2  # a new day looked at; nothing new to say


async def test_news_wakes_the_loop_at_once():
    notify = await overdue()
    await notify.loop.run_due()
    notify.clock.advance(timedelta(seconds=30))
    await notify.loop.run_due()
    await notify.receive(assigned("t2", DUE))
    await notify.receive(missed("t2", DUE))
    notify.loop.wake()
    await notify.loop.run_due()
    assert notify.loop.passes["full"] == 3


async def test_a_delivery_to_a_head_without_an_email_address_waits_its_backoff_instead_of_being_looked_at_every_poll():
    notify = await overdue()
    contact = await notify.store.get(CONTACTS, "vp-xa.agency_head")
    await notify.store.put(CONTACTS, "vp-xa.agency_head", {**contact, "email": None})  # e.g. a contact kept from before e-mail was required
    await notify.settle()
    pending = [d for d in await notify.store.find(DELIVERIES, contact_id="vp-xa.agency_head") if d["channel"] == "email"]
    assert [d["status"] for d in pending] == ["pending"] and pending[0]["attempt"] == 1
    assert pending[0][RETRY_AT] > notify.clock.now().isoformat()
    assert await notify.store.find_lowest(DELIVERIES, RETRY_AT, 10, upto=notify.clock.now().isoformat()) == []


async def test_views_and_deliveries_stored_before_the_schedule_existed_are_scheduled_once():
    notify = await overdue()
    view = await notify.store.get(ITEMS, "t1@2026-03-31")
    await notify.store.put(ITEMS, view["item_id"], {k: v for k, v in view.items() if k != CLIMB_ON})
    assert await schedule_old_views(notify.store) == 1
    assert (await notify.store.get(ITEMS, view["item_id"]))[CLIMB_ON] == "2026-04-07"
    assert await schedule_old_views(notify.store) == 0


async def test_a_digest_timer_falling_on_a_holiday_waits_for_the_next_working_day_without_looking_again_and_again():
    notify = Notify(datetime(2026, 4, 23, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events())
    await notify.contacts_for_everyone()
    await notify.receive(assigned("t1", date(2026, 4, 22)) + missed("t1", date(2026, 4, 22)))
    await notify.loop.run_due()
    notify.clock.advance(timedelta(seconds=30))
    await notify.loop.run_due()  # Thursday 23/4: the first digests; they repeat 7 days later, on 30/4 (a holiday)
    sent = len(notify.mailer.sent)
    notify.clock.set(datetime(2026, 4, 30, 10, tzinfo=LOCAL_TZ))
    await notify.loop.run_due()
    passes = notify.loop.passes["full"]
    assert {g[NEXT_AT] for g in await notify.store.find(GROUPS)} == {None}  # deferred: the next working day's pass routes again
    for _ in range(10):
        notify.clock.advance(timedelta(minutes=30))
        await notify.loop.run_due()
    assert notify.loop.passes["full"] == passes and len(notify.mailer.sent) == sent
    notify.clock.set(datetime(2026, 5, 4, 9, tzinfo=LOCAL_TZ))  # Monday after 1/5 and the weekend
    await notify.loop.run_due()  # a new day: a full pass (the chairman's rung is news: it waits the group wait)
    notify.clock.advance(timedelta(seconds=30))
    await notify.loop.run_due()  # the group's timer: sent
    assert local_days(notify.mailer.sent[sent:]) == [date(2026, 5, 4)] * len(notify.mailer.sent[sent:]) and len(notify.mailer.sent) > sent
