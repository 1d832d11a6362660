"""Sending takes the due deliveries a chunk at a time: every digest still goes out once, and is recorded once."""
from __future__ import annotations

from datetime import date, datetime

from schemas.notify import NotificationDelivered
from services.notify.handlers import send
from services.runtime.clock import LOCAL_TZ
from tests.unit.notify.harness import Notify, assigned, directory_events, missed


async def test_due_deliveries_sent_in_chunks_each_go_out_and_are_recorded_once(monkeypatch):
    monkeypatch.setattr(send, "CHUNK", 1)
    notify = Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events())
    await notify.contacts_for_everyone()
    await notify.receive(assigned("t1", date(2026, 3, 31)) + assigned("t2", date(2026, 3, 31), lead="tp-xa")
                         + missed("t1", date(2026, 3, 31)) + missed("t2", date(2026, 3, 31), lead="tp-xa"))
    await notify.settle()
    mails = [m.to for m in notify.mailer.sent]
    assert len(mails) >= 2 and len(mails) == len(set(mails))  # each recipient's digest once
    assert set(notify.mailer.batches) == {1}  # one SMTP batch per chunk
    delivered = [e for e in await notify.all_events() if e.event_type == NotificationDelivered.__name__]
    assert len(delivered) == 2 * len(mails)  # e-mail and the inbox copy of each, recorded once
    await notify.tick()
    assert [m.to for m in notify.mailer.sent] == mails
