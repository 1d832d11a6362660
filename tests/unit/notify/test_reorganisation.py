"""After a reorganisation the ladder reaches whoever answers now: the successor's chairman, the new level above,
the unit's new name; a transferred task's open items follow it."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from schemas.directory import Succession, UnitLevelAbolished, UnitMoved, UnitRegistered, UnitRenamed, UnitsMerged, UnitSplit
from schemas.notify import Responsibility
from schemas.tasks import TaskTransferred
from services.notify.handlers.repository import ITEMS, TASKS, UNIT_NEWS, UNITS
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import Notify, assigned, directory_events, email_of, events_from, missed

DUE = date(2026, 3, 31)  # a Tuesday: rung 2 (the chairman) on 7 April, rung 3 (one level up) on 14 April
ITEM = "t1@2026-03-31"
MERGED_ON = date(2026, 4, 3)


async def overdue_in_truong_ha() -> Notify:
    notify = Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events())
    await notify.contacts_for_everyone()
    await notify.receive(assigned("t1", DUE))
    await notify.receive(missed("t1", DUE))
    await notify.day(date(2026, 4, 1))
    return notify


def merged_into_new_commune() -> list:
    return (events_from("unit-xa-moi", UnitRegistered(unit_id="xa-moi", name="Xã Trường Hà Mới", level="commune", parent_id="ha-quang",
                                                      head_name="Đàm Văn Mới"))
            + events_from("unit-truong-ha", UnitsMerged(unit_ids=["truong-ha"], into="xa-moi", effective_on=MERGED_ON)))


def transferred(task_id: str = "t1", reorganisation: str = "UnitsMerged") -> list:
    return events_from(f"task-{task_id}", TaskTransferred(task_id=task_id, from_unit="truong-ha", to_unit="xa-moi", effective_on=MERGED_ON,
                                                          reorganisation=reorganisation))


async def test_given_a_commune_merged_into_another_when_the_item_reaches_the_chairman_then_the_successors_chairman_is_told():
    notify = await overdue_in_truong_ha()
    await notify.receive(merged_into_new_commune())  # the task's transfer has not come yet: the ceased unit's successor answers
    await notify.contact(Responsibility.unit_head, "xa-moi")

    await notify.day(date(2026, 4, 7))

    assert [m.subject for m in notify.mailer.to(email_of("xa-moi.unit_head"))]  # rung 2 went to the successor's chairman
    assert "Xã Trường Hà Mới" in notify.mailer.to(email_of("xa-moi.unit_head"))[0].body
    assert notify.mailer.to(email_of("truong-ha.unit_head")) == []  # not to the chairman of the commune that ceased


async def test_given_a_transferred_task_when_it_moves_then_its_open_items_follow_it_once():
    notify = await overdue_in_truong_ha()
    await notify.receive(merged_into_new_commune())

    await notify.receive(transferred())
    await notify.receive(transferred())  # redelivered: nothing more

    view = await notify.store.get(ITEMS, ITEM)
    assert view["unit_id"] == "xa-moi" and view["started"]["unit_id"] == "truong-ha"  # the frozen start stays as it was
    assert (await notify.store.get(TASKS, "t1"))["unit_id"] == "xa-moi"
    await notify.day(date(2026, 4, 7))  # a climb rewrites the view from the stream: the unit it sits in now is kept
    view = await notify.store.get(ITEMS, ITEM)
    assert view["rung"] == 2 and view["unit_id"] == "xa-moi"
    await notify.receive(assigned("t1", DUE))  # plans' history replayed: the task stays where it was transferred
    assert (await notify.store.get(TASKS, "t1"))["unit_id"] == "xa-moi"


async def test_given_the_district_level_abolished_when_the_item_climbs_one_level_up_then_the_province_is_told():
    notify = await overdue_in_truong_ha()
    abolished = events_from("level-district", UnitLevelAbolished(level="district", effective_on=MERGED_ON, unit_ids=["ha-quang"],
                                                                  successions=[Succession(unit_id="ha-quang", successor_id="cao-bang")]))
    moved = events_from("unit-truong-ha", UnitMoved(unit_id="truong-ha", from_parent="ha-quang", to_parent="cao-bang", effective_on=MERGED_ON))
    await notify.receive(abolished + moved)

    for day in (7, 14):
        await notify.day(date(2026, 4, day))

    assert notify.mailer.to(email_of("cao-bang.unit_head")) and notify.mailer.to(email_of("ca-tinh.agency_head"))  # rung 3: the province
    assert notify.mailer.to(email_of("ha-quang.unit_head")) == [] and notify.mailer.to(email_of("ca-huyen.agency_head")) == []


async def test_given_a_renamed_commune_when_its_chairman_is_told_then_the_message_uses_the_new_name():
    notify = await overdue_in_truong_ha()
    await notify.receive(events_from("unit-truong-ha", UnitRenamed(unit_id="truong-ha", old_name="Xã Trường Hà", new_name="Xã Trường Hà (mới)",
                                                                   effective_on=MERGED_ON)))

    await notify.day(date(2026, 4, 7))

    body = notify.mailer.to(email_of("truong-ha.unit_head"))[0].body
    assert "Chủ tịch UBND (Xã Trường Hà (mới))" in body


async def test_given_a_task_transferred_before_its_deadline_when_it_falls_overdue_then_its_item_starts_in_the_new_unit():
    notify = Notify(datetime(2026, 3, 20, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events())
    await notify.receive(assigned("t1", DUE))
    await notify.receive(merged_into_new_commune() + transferred())

    await notify.receive(missed("t1", DUE))

    assert (await notify.store.get(ITEMS, ITEM))["unit_id"] == "xa-moi"


async def test_given_a_transfer_that_comes_before_the_task_itself_when_it_falls_overdue_then_its_item_starts_in_the_new_unit():
    """tasks' topic and plans' topic are read side by side, in no promised order (a fresh store reads both from the
    start): the transfer may be applied before the TaskAssigned it follows."""
    notify = Notify(datetime(2026, 3, 20, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events() + merged_into_new_commune())
    await notify.receive(transferred())  # the task is not known here yet

    await notify.receive(assigned("t1", DUE))
    await notify.receive(missed("t1", DUE))

    assert (await notify.store.get(TASKS, "t1"))["unit_id"] == "xa-moi"
    assert (await notify.store.get(ITEMS, ITEM))["unit_id"] == "xa-moi"


# A unit's registration (its stream `unit-<id>`) and its reorganisations (the stream `directory-reorganisations`) come on
# different keys, so in no promised order: a fresh store reading plans' topic from the start may apply the news first.
EARLY_NEWS = {
    "merged": UnitsMerged(unit_ids=["truong-ha"], into="xa-moi", effective_on=MERGED_ON),
    "split": UnitSplit(unit_id="truong-ha", into=["xa-moi", "xa-ben"], successor_id="xa-moi", effective_on=MERGED_ON),
    "moved": UnitMoved(unit_id="truong-ha", from_parent="ha-quang", to_parent="cao-bang", effective_on=MERGED_ON),
    "renamed": UnitRenamed(unit_id="truong-ha", old_name="Xã Trường Hà", new_name="Xã Trường Hà (mới)", effective_on=MERGED_ON),
}


def registrations() -> list:
    return directory_events() + merged_into_new_commune()[:1]  # the units, agencies and plan, and the merger's new commune


async def overdue_after_news_that_came_first(news) -> Notify:
    notify = Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await notify.receive(events_from("directory-reorganisations", news))
    assert await notify.store.find(UNITS) == []  # the news is kept aside: no unit routing or scopes could see
    await notify.receive(registrations())
    await notify.contacts_for_everyone()
    await notify.contact(Responsibility.unit_head, "xa-moi")
    await notify.receive(assigned("t1", DUE))
    await notify.receive(missed("t1", DUE))
    await notify.day(date(2026, 4, 1))
    return notify


@pytest.mark.parametrize("kind", sorted(EARLY_NEWS))
async def test_given_a_reorganisation_that_comes_before_the_units_registration_then_the_unit_ends_as_in_the_other_order(kind):
    news = events_from("directory-reorganisations", EARLY_NEWS[kind])
    in_order, news_first = Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ)), Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await in_order.receive(registrations())
    await in_order.receive(news)
    await news_first.receive(news)
    await news_first.receive(registrations())

    unit = await news_first.store.get(UNITS, "truong-ha")
    assert unit == await in_order.store.get(UNITS, "truong-ha")
    assert unit["name"] == "Xã Trường Hà (mới)" if kind == "renamed" else unit["name"] == "Xã Trường Hà"
    assert unit.get("successor_id") == ("xa-moi" if kind in ("merged", "split") else None)
    assert unit["parent_id"] == ("cao-bang" if kind == "moved" else "ha-quang")
    assert await news_first.store.find(UNIT_NEWS) == []  # applied once: nothing left to apply again


async def test_given_a_merger_that_comes_before_the_units_registration_when_the_item_reaches_the_chairman_then_the_successors_chairman_is_told():
    notify = await overdue_after_news_that_came_first(EARLY_NEWS["merged"])

    await notify.day(date(2026, 4, 7))

    assert notify.mailer.to(email_of("xa-moi.unit_head"))  # rung 2 went to the successor's chairman
    assert notify.mailer.to(email_of("truong-ha.unit_head")) == []


async def test_given_a_move_that_comes_before_the_units_registration_when_the_item_climbs_one_level_up_then_the_new_parent_is_told():
    notify = await overdue_after_news_that_came_first(EARLY_NEWS["moved"])

    for day in (7, 14):
        await notify.day(date(2026, 4, day))

    assert notify.mailer.to(email_of("cao-bang.unit_head")) and notify.mailer.to(email_of("ca-tinh.agency_head"))  # rung 3: the province
    assert notify.mailer.to(email_of("ha-quang.unit_head")) == [] and notify.mailer.to(email_of("ca-huyen.agency_head")) == []


async def test_given_a_rename_that_comes_before_the_units_registration_when_its_chairman_is_told_then_the_message_uses_the_new_name():
    notify = await overdue_after_news_that_came_first(EARLY_NEWS["renamed"])

    await notify.day(date(2026, 4, 7))

    assert "Chủ tịch UBND (Xã Trường Hà (mới))" in notify.mailer.to(email_of("truong-ha.unit_head"))[0].body
