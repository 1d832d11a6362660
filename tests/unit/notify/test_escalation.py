"""The escalation ladder's decisions: pure functions that return events."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from schemas.notify import EscalationRaised, NotificationDelivered, Responsibility
from schemas.tasks import DeadlineMissed
from services.notify.domain import escalation
from services.runtime.events import Cause, envelop

MISSED = DeadlineMissed(task_id="kh-32.1", plan_id="kh-32", unit_id="truong-ha", lead="ca-xa", due=date(2023, 3, 31),
                        code="1.1", content="Tham mưu ban hành Kế hoạch triển khai Đề án 06")
EVENT_ID = "5b0f6f0e-0000-4000-8000-000000000001"
NOW = datetime(2023, 4, 1, 2, tzinfo=timezone.utc)


def ladder_of(*payloads) -> escalation.Ladder:
    stream = escalation.stream_of(EVENT_ID)
    return escalation.rebuild(envelop(stream, 0, payloads, Cause("test", str(uuid.uuid4())), NOW))


def test_a_missed_deadline_is_escalated_to_the_head_of_the_lead_agency():
    [raised] = escalation.escalate_missed_deadline(MISSED, EVENT_ID)
    assert raised.responsibility == Responsibility.agency_head
    assert (raised.agency_id, raised.task_id, raised.unit_id, raised.due) == ("ca-xa", "kh-32.1", "truong-ha", "2023-03-31")
    assert raised.cause_event_id == EVENT_ID and raised.escalation_id == f"{EVENT_ID}.agency_head"


def test_each_missed_deadline_has_its_own_stream_so_a_redelivery_meets_a_taken_version():
    assert escalation.stream_of(EVENT_ID) == f"escalation-{EVENT_ID}"
    assert escalation.escalate_missed_deadline(MISSED, EVENT_ID) == escalation.escalate_missed_deadline(MISSED, EVENT_ID)


def test_the_unit_chairman_answers_only_when_the_task_is_still_not_done_seven_days_after_its_due_date():
    ladder = ladder_of(*escalation.escalate_missed_deadline(MISSED, EVENT_ID))
    assert escalation.climb(ladder, date(2023, 4, 6), 7, task_done=False, agency_unit_id="truong-ha") == []
    [raised] = escalation.climb(ladder, date(2023, 4, 7), 7, task_done=False, agency_unit_id="truong-ha")
    assert raised.responsibility == Responsibility.unit_head and raised.unit_id == "truong-ha"
    assert raised.escalation_id == f"{EVENT_ID}.unit_head" and raised.agency_id == "ca-xa"


def test_a_task_done_meanwhile_does_not_climb_the_ladder():
    ladder = ladder_of(*escalation.escalate_missed_deadline(MISSED, EVENT_ID))
    assert escalation.climb(ladder, date(2023, 5, 1), 7, task_done=True, agency_unit_id="truong-ha") == []


def test_the_ladder_climbs_to_the_chairman_only_once():
    first = escalation.escalate_missed_deadline(MISSED, EVENT_ID)
    climbed = escalation.climb(ladder_of(*first), date(2023, 5, 1), 7, task_done=False, agency_unit_id="truong-ha")
    ladder = ladder_of(*first, *climbed)
    assert ladder.version == 2 and ladder.reached(Responsibility.unit_head)
    assert escalation.climb(ladder, date(2023, 6, 1), 7, task_done=False, agency_unit_id="truong-ha") == []


def test_a_step_is_recorded_as_delivered_once():
    first = escalation.escalate_missed_deadline(MISSED, EVENT_ID)
    step_id = first[0].escalation_id
    [delivered] = escalation.record_delivery(ladder_of(*first), step_id, "ca-xa.agency_head", "subject")
    assert isinstance(delivered, NotificationDelivered) and delivered.channel == "email"
    ladder = ladder_of(*first, delivered)
    assert step_id in ladder.delivered
    assert escalation.record_delivery(ladder, step_id, "ca-xa.agency_head", "subject") == []


def test_no_escalation_event_has_a_field_for_an_address_or_a_phone():
    fields = set(EscalationRaised.model_fields) | set(NotificationDelivered.model_fields)
    assert not {f for f in fields if any(word in f for word in ("email", "mail", "address", "phone", "to"))} - {"contact_id"}
