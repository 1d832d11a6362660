"""The escalation ladder over simulated weeks on a ManualClock: which rung, to whom, when; acknowledgement; frozen policy."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from schemas.directory import UnitLevel
from schemas.notify import EscalationPolicy, Role, Rung, Target
from services.notify.handlers.repository import FROZEN, ITEMS, policies
from services.notify.views import open_items
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import Notify, assigned, completed, directory_events, email_of, missed

DUE = date(2026, 3, 31)  # a Tuesday: 7, 14 and 21 days overdue fall on Tuesdays, no holiday among them


async def overdue_task(task_id: str = "t1", due: date = DUE) -> Notify:
    notify = Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events())
    await notify.contacts_for_everyone()
    await notify.receive(assigned(task_id, due))
    await notify.receive(missed(task_id, due))
    return notify


def first_told(notify: Notify) -> dict[str, date]:
    """Each address and the (local) day it was first written to."""
    found: dict[str, date] = {}
    for mail in notify.mailer.sent:
        found.setdefault(mail.to, mail.sent_at.astimezone(LOCAL_TZ).date())
    return found


async def test_over_a_month_the_ladder_climbs_from_the_agency_head_to_the_province_one_rung_at_a_time():
    notify = await overdue_task()
    for offset in range(0, 31):
        await notify.day(date(2026, 4, 1) + timedelta(days=offset))
    told = first_told(notify)
    assert told == {
        email_of("vp-xa.agency_head"): date(2026, 4, 1), email_of("ca-xa.agency_head"): date(2026, 4, 1),  # rung 1, cc standing body
        email_of("truong-ha.unit_head"): date(2026, 4, 7),  # rung 2, 7 days overdue: the commune chairman
        email_of("ca-huyen.agency_head"): date(2026, 4, 14), email_of("ha-quang.unit_head"): date(2026, 4, 14),  # rung 3, one level up
        email_of("ca-tinh.agency_head"): date(2026, 4, 21), email_of("cao-bang.unit_head"): date(2026, 4, 21),  # rung 4, the province
    }
    raised = [e.payload["rung"] for e in await notify.all_events() if e.event_type == "EscalationRaised"]
    assert raised == [1, 2, 3, 4]


async def test_both_rungs_never_fire_at_once_and_the_head_hears_again_every_seven_days():
    notify = await overdue_task()
    for offset in range(0, 22):
        await notify.day(date(2026, 4, 1) + timedelta(days=offset))
    head = [m.sent_at.astimezone(LOCAL_TZ).date() for m in notify.sent_to("vp-xa")]
    assert head == [date(2026, 4, 1), date(2026, 4, 7), date(2026, 4, 14), date(2026, 4, 21)]
    # from rung 3 the ladder speaks to the level above too; the commune chairman stays told at every rung
    assert [m.sent_at.astimezone(LOCAL_TZ).date() for m in notify.sent_to("truong-ha", "unit_head")] == [
        date(2026, 4, 7), date(2026, 4, 14), date(2026, 4, 21)]
    assert notify.sent_to("ca-xa") and all("đồng gửi" in m.body for m in notify.sent_to("ca-xa")[:1])  # copied at rung 1 only


async def test_completion_resolves_the_item_and_stops_everything():
    notify = await overdue_task()
    await notify.day(date(2026, 4, 1))
    await notify.receive(completed("t1", date(2026, 4, 3)))
    for offset in range(2, 30):
        await notify.day(date(2026, 4, 1) + timedelta(days=offset))
    assert len(notify.mailer.sent) == 2
    item_events = [e.event_type for e in await notify.events.load("escalation-t1@2026-03-31")]
    assert item_events == ["EscalationStarted", "EscalationRaised", "EscalationResolved"]
    assert (await notify.store.get("items", "t1@2026-03-31"))["open"] is False


async def test_an_acknowledgement_pauses_the_ladder_until_the_expected_date_and_it_resumes_if_still_open():
    from services.notify.handlers.acknowledge import Acknowledge, acknowledge

    notify = await overdue_task()
    await notify.day(date(2026, 4, 1))
    notify.clock.set(datetime(2026, 4, 3, 10, tzinfo=LOCAL_TZ))
    await acknowledge(notify.store, notify.events, notify.clock, "t1@2026-03-31",
                      Acknowledge(note="Đang rà soát 300 hồ sơ còn lại", expected_on=date(2026, 4, 10)), "vp-xa.agency_head", "http")
    for offset in range(2, 20):
        await notify.day(date(2026, 4, 1) + timedelta(days=offset))
    head = [m.sent_at.astimezone(LOCAL_TZ).date() for m in notify.sent_to("vp-xa")]
    # nothing while paused; told again on the first working day after the promised date (11-12 April is a weekend)
    assert head[:2] == [date(2026, 4, 1), date(2026, 4, 13)]
    # 8 paused days (3 to 10 April) do not count: the chairman is reached on 15 April instead of 7 April
    assert first_told(notify)[email_of("truong-ha.unit_head")] == date(2026, 4, 15)


async def test_a_policy_change_affects_new_items_only_the_started_one_keeps_its_frozen_policy():
    notify = await overdue_task()
    faster = EscalationPolicy(policy_id="x", rungs=[
        Rung(after_days=0, to=[Target(role=Role.lead_agency_head)]), Rung(after_days=2, to=[Target(role=Role.chairman)])])
    await policies.set_policy(notify.store, policies.level_key(UnitLevel.commune), faster)
    await notify.receive(assigned("t2", date(2026, 3, 31)))
    await notify.receive(missed("t2", date(2026, 3, 31)))
    for offset in range(0, 8):
        await notify.day(date(2026, 4, 1) + timedelta(days=offset))
    chairman = notify.sent_to("truong-ha", "unit_head")
    # each task by its entry's text: a bare "t1" also turns up in an acknowledgement link's random signature (≈ 2% of runs)
    assert chairman[0].sent_at.astimezone(LOCAL_TZ).date() == date(2026, 4, 2)
    assert "Nhiệm vụ t2:" in chairman[0].body and "Nhiệm vụ t1:" not in chairman[0].body
    assert "Nhiệm vụ t1:" in chairman[1].body and chairman[1].sent_at.astimezone(LOCAL_TZ).date() == date(2026, 4, 7)
    started = {e.payload["item_id"]: e.payload["policy"] for e in await notify.all_events() if e.event_type == "EscalationStarted"}
    assert started["t1@2026-03-31"]["policy_id"] == "default:commune"
    assert (started["t2@2026-03-31"]["policy_id"], started["t2@2026-03-31"]["version"]) == ("level:commune", 1)


async def test_a_frozen_policy_is_stored_once_by_content_and_each_view_names_the_one_its_event_records():
    notify = await overdue_task()
    for task_id in ("t2", "t3"):
        await notify.receive(assigned(task_id, DUE))
        await notify.receive(missed(task_id, DUE))
    frozen = {d["policy_ref"]: d["policy"] for d in await notify.store.find(FROZEN)}
    assert len(frozen) == 1  # three items, one ladder, stored once
    recorded = {e.payload["item_id"]: e.payload["policy"] for e in await notify.all_events() if e.event_type == "EscalationStarted"}
    for item_id, policy in recorded.items():
        started = (await notify.store.get(ITEMS, item_id))["started"]
        assert "policy" not in started and frozen[started["policy_ref"]] == policy  # the view's policy is the event's
    assert (await open_items(notify.store))[0]["rule"] == "default:commune v1"
