"""Pure rules: the default ladders per level, what a climbing policy is, Alertmanager's timers, signed links and webhooks."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from schemas.directory import UnitLevel
from schemas.notify import EscalationPolicy, Role, Rung, Target
from services.notify.domain import ack_link, grouping, policy, webhook
from services.notify.domain.calendar import WorkingCalendar
from services.notify.domain.errors import LinkExpired, LinkInvalid, PolicyLoop, WebhookNotAllowed

T0 = datetime(2026, 4, 1, 2, tzinfo=timezone.utc)
TIMERS = grouping.Timers(timedelta(seconds=30), timedelta(minutes=5))


def test_the_default_ladder_climbs_one_level_a_week_until_the_province():
    commune = policy.default_policy(UnitLevel.commune)
    assert [r.after_days for r in commune.rungs] == [0, 7, 14, 21]
    assert [(t.role, t.up) for t in commune.rungs[3].to] == [(Role.standing_body, 2), (Role.chairman, 2)]
    assert commune.rungs[0].cc == [Target(role=Role.standing_body)]
    assert len(policy.default_policy(UnitLevel.province).rungs) == 3  # a province has no level above: the top caps there
    for level in UnitLevel:
        policy.check(policy.default_policy(level))


def test_rungs_reached_count_only_thresholds_passed():
    commune = policy.default_policy(UnitLevel.commune)
    assert [policy.rung_reached(commune, d) for d in (0, 6, 7, 13, 14, 100)] == [1, 1, 2, 2, 3, 4]


@pytest.mark.parametrize("rungs, field", [
    ([Rung(after_days=3, to=[Target(role=Role.lead_agency_head)]), Rung(after_days=3, to=[Target(role=Role.chairman)])], "rungs.1.after_days"),
    ([Rung(after_days=0, to=[Target(role=Role.chairman, up=1)]), Rung(after_days=5, to=[Target(role=Role.chairman)])], "rungs.1.to"),
    ([Rung(after_days=0, to=[Target(role=Role.chairman)]), Rung(after_days=5, to=[Target(role=Role.chairman)])], "rungs.1.to"),
])
def test_a_policy_that_does_not_climb_is_refused_naming_the_rung(rungs, field):
    with pytest.raises(PolicyLoop) as refused:
        policy.check(EscalationPolicy(policy_id="x", rungs=rungs))
    assert refused.value.field == field


def test_news_waits_the_group_wait_then_the_group_interval_and_no_news_repeats_after_the_repeat_interval():
    week = timedelta(days=7)
    send, state = grouping.decide_send(grouping.GroupState(), True, True, week, T0, TIMERS)
    assert not send and state.pending_since == T0
    assert grouping.decide_send(state, True, True, week, T0 + timedelta(seconds=30), TIMERS)[0]
    after = grouping.sent(T0 + timedelta(seconds=30))
    assert not grouping.decide_send(after, True, True, week, T0 + timedelta(minutes=2), TIMERS)[0]
    assert not grouping.decide_send(after, False, True, week, T0 + timedelta(days=6), TIMERS)[0]
    assert grouping.decide_send(after, False, True, week, T0 + timedelta(days=7, seconds=30), TIMERS)[0]


def test_a_link_is_valid_until_it_expires_and_a_changed_link_is_refused():
    grant = ack_link.AckGrant("t1@2026-03-31", "vp-xa.agency_head", T0 + timedelta(days=14), "n")
    token = ack_link.issue("s", grant)
    assert ack_link.verify("s", token, T0) == grant
    with pytest.raises(LinkExpired):
        ack_link.verify("s", token, T0 + timedelta(days=14))
    with pytest.raises(LinkInvalid):
        ack_link.verify("other secret", token, T0)


def test_webhook_urls_signatures_and_backoff():
    assert webhook.check_url("https://hooks.example.vn/x", [".example.vn"])
    with pytest.raises(WebhookNotAllowed):
        webhook.check_url("https://example.vn.evil.com/x", [".example.vn"])
    assert webhook.signature("s", 1, b"{}") != webhook.signature("s", 2, b"{}")
    waits = [webhook.backoff(n, 0.5) for n in range(1, 9)]
    assert waits == sorted(waits) and waits[-1] == timedelta(hours=1) * 0.75  # exponential, capped, jittered


def test_the_calendar_knows_tet_2026_and_the_next_working_day():
    from services.notify.bootstrap import load_calendar

    calendar = load_calendar()
    assert calendar.holiday(date(2026, 2, 17)) and calendar.is_day_off(date(2026, 2, 21), weekends=True)
    assert calendar.next_working_day(date(2026, 2, 16)) == date(2026, 2, 23)
    assert not WorkingCalendar().is_day_off(date(2026, 2, 21), weekends=False)
