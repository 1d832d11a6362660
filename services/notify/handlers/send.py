"""Send composed digests: the in-app inbox at once, e-mail in one SMTP batch, webhooks signed and retried with backoff.

Every attempt is audited (who, what, why, when, channel, outcome, attempt). A delivery is recorded once: its
NotificationDelivered opens the stream `delivery-<id>` at version 0. A failure is retried after an exponential
backoff with jitter; a webhook gives up after a bound (an alert then tells the standing body), e-mail keeps trying.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from schemas.notify import NotificationDelivered
from services.notify.domain import webhook
from services.notify.domain.webhook import WebhookFailed, WebhookPoster
from services.notify.domain.mailer import Mail, Mailer
from services.notify.handlers.repository import ALERTS, AUDIT, CONTACTS, DELIVERIES, DIGESTS, INBOX, RETRY_AT
from services.runtime.clock import Clock
from services.runtime.events import Cause, new_correlation_id
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store


MAX_DUE = 1_000_000  # deliveries looked at in one pass (the lowest `retry_at` first)
CHUNK = 500  # deliveries sent and recorded together (one SMTP batch, one transaction): their digests are held at once


@dataclass(frozen=True)
class SendConfig:
    webhook_secret: str
    webhook_max_attempts: int = 5
    retry_base: timedelta = timedelta(seconds=30)
    jitter: Callable[[], float] = field(default=random.random)


@dataclass
class SendPass:
    delivered: int = 0
    failed: int = 0
    gave_up: int = 0


async def send_pending(store: Store, events: EventLog, clock: Clock, mailer: Mailer, poster: WebhookPoster, config: SendConfig) -> SendPass:
    """Every due delivery, `CHUNK` at a time: only one chunk's digests (their text and HTML) are in memory at once."""
    now, outcome = clock.now(), SendPass()
    due = await _newest_only(store, await store.find_lowest(DELIVERIES, RETRY_AT, MAX_DUE, upto=now.isoformat()), now)
    for start in range(0, len(due), CHUNK):
        await _send_chunk(store, events, now, due[start:start + CHUNK], mailer, poster, config, outcome)
    return outcome


async def _send_chunk(store: Store, events: EventLog, now: datetime, due: list[dict], mailer: Mailer, poster: WebhookPoster,
                      config: SendConfig, outcome: SendPass) -> None:
    digests = {d["digest_id"]: await store.get(DIGESTS, d["digest_id"]) for d in due}
    named = sorted({d["contact_id"] for d in due})
    contacts = {c["contact_id"]: c for c in await store.find(CONTACTS, contact_id=named)}
    mails = [(d, contacts.get(d["contact_id"])) for d in due if d["channel"] == "email"]
    results: list[tuple[dict, str | None]] = [(d, None) for d in due if d["channel"] == "inbox"]
    results += [(d, "the contact has no e-mail address") for d, c in mails if not (c and c.get("email"))]
    mails = [(d, c) for d, c in mails if c and c.get("email")]
    if mails:
        batch = [Mail(to=c["email"], subject=digests[d["digest_id"]]["subject"], body=digests[d["digest_id"]]["text"],
                      html=digests[d["digest_id"]]["html"], message_id=f"<{d['digest_id'].replace(':', '.')}@tiendo>", sent_at=now)
                 for d, c in mails]
        results += list(zip([d for d, _ in mails], await mailer.send_batch(batch)))
    for d in due:
        if d["channel"] == "webhook":
            results.append((d, await _post(poster, config, contacts.get(d["contact_id"]) or {}, digests[d["digest_id"]], now)))
    delivered = [(d, digests[d["digest_id"]]) for d, error in results if error is None]
    await _all_delivered(store, events, delivered, now)
    outcome.delivered += len(delivered)
    for delivery, error in results:
        digest = digests[delivery["digest_id"]]
        if error is None:
            continue
        if await _failed(store, delivery, digest, error, now, config):
            outcome.gave_up += 1
        else:
            outcome.failed += 1


async def _post(poster: WebhookPoster, config: SendConfig, contact: dict, digest: dict, now: datetime) -> str | None:
    url = contact.get("webhook_url")
    if not url:
        return "the contact has no webhook URL"
    body = json.dumps({"digest_id": digest["digest_id"], "subject": digest["subject"], "items": digest["items"],
                       "text": digest["text"]}, ensure_ascii=False).encode()
    stamp = int(now.timestamp())
    headers = {"Content-Type": "application/json", webhook.TIMESTAMP_HEADER: str(stamp),
               webhook.SIGNATURE_HEADER: webhook.signature(config.webhook_secret, stamp, body)}
    try:
        await poster.post(url, body, headers)
        return None
    except WebhookFailed as error:
        return str(error)[:500]


async def _newest_only(store: Store, due: list[dict], now: datetime) -> list[dict]:
    """A newer digest lists everything an older unsent one did: the older is superseded, not sent too."""
    newest: dict[tuple[str, str], dict] = {}
    for d in sorted(due, key=lambda d: d["digest_id"]):
        older = newest.get((d["contact_id"], d["channel"]))
        if older is not None:
            await _audit(store, older, None, "superseded", now, older["attempt"])
            await store.put(DELIVERIES, older["delivery_id"], {**older, "status": "superseded", RETRY_AT: None})
        newest[(d["contact_id"], d["channel"])] = d
    return list(newest.values())


async def _all_delivered(store: Store, events: EventLog, delivered: list[tuple[dict, dict]], now: datetime) -> None:
    """Every delivery of the pass recorded in one transaction; if one was recorded before (a pass cut short after
    sending), each on its own, so nothing is recorded twice."""
    if not delivered:
        return
    writes: dict[str, dict] = {DELIVERIES: {}, INBOX: {}, AUDIT: {}}
    appends = [_delivered_writes(delivery, digest, now, writes) for delivery, digest in delivered]
    try:
        async with store.transaction():
            await events.append_many(appends)
            for collection, docs in writes.items():
                if docs:
                    await store.bulk_put(collection, docs)
    except ConcurrencyError:
        for delivery, digest in delivered:
            await _delivered(store, events, delivery, digest, now)


def _delivered_writes(delivery: dict, digest: dict, now: datetime, writes: dict[str, dict]) -> tuple:
    """The NotificationDelivered to append (stream, version, payloads, cause); the documents it changes go into `writes`."""
    attempt = delivery["attempt"] + 1
    payload = NotificationDelivered(escalation_id=delivery["digest_id"], channel=delivery["channel"], contact_id=delivery["contact_id"],
                                    subject=digest["subject"], items=digest["items"], attempt=attempt)
    writes[DELIVERIES][delivery["delivery_id"]] = {**delivery, "status": "sent", "attempt": attempt, "sent_at": now.isoformat(), RETRY_AT: None}
    if delivery["channel"] == "inbox":
        writes[INBOX][delivery["digest_id"]] = ({k: digest[k] for k in ("digest_id", "contact_id", "subject", "text", "html", "items")}
                                               | {"at": now.isoformat(), "read_at": None})
    attempt_id, audit = _audit_doc(delivery, digest, "delivered", now, attempt)
    writes[AUDIT][attempt_id] = audit
    return f"delivery-{delivery['delivery_id']}", 0, [payload], Cause("notify.send", new_correlation_id())


async def _delivered(store: Store, events: EventLog, delivery: dict, digest: dict, now: datetime) -> None:
    writes: dict[str, dict] = {DELIVERIES: {}, INBOX: {}, AUDIT: {}}
    stream_id, version, payloads, cause = _delivered_writes(delivery, digest, now, writes)
    try:
        async with store.transaction():
            await events.append(stream_id, version, payloads, cause)
            for collection, docs in writes.items():
                if docs:
                    await store.bulk_put(collection, docs)
    except ConcurrencyError:
        await store.put(DELIVERIES, delivery["delivery_id"], {**delivery, "status": "sent", RETRY_AT: None})  # recorded before; the view lagged


async def _failed(store: Store, delivery: dict, digest: dict, error: str, now: datetime, config: SendConfig) -> bool:
    attempt = delivery["attempt"] + 1
    give_up = delivery["channel"] == "webhook" and attempt >= config.webhook_max_attempts
    wait = webhook.backoff(attempt, config.jitter(), base=config.retry_base)
    await store.put(DELIVERIES, delivery["delivery_id"], {
        **delivery, "status": "failed" if give_up else "pending", "attempt": attempt, "last_error": error,
        "next_attempt_at": (now + wait).isoformat(), RETRY_AT: None if give_up else (now + wait).isoformat()})
    await _audit(store, delivery, digest, "gave_up" if give_up else "failed", now, attempt, error)
    if give_up:
        alert_id = f"channel-failed:{delivery['delivery_id']}"
        await store.put(ALERTS, alert_id, {
            "alert_id": alert_id, "kind": "channel_failed", "role": None, "contact_id": delivery["contact_id"], "unit_id": None,
            "what": f"Không gửi được thông báo qua {delivery['channel']} sau {attempt} lần: {error}", "raised_at": now.isoformat(),
            "items": digest["items"], "told": {}, "open": True})
    return give_up


async def _audit(store: Store, delivery: dict, digest: dict | None, outcome: str, now: datetime, attempt: int, error: str | None = None) -> None:
    await store.put(AUDIT, *_audit_doc(delivery, digest, outcome, now, attempt, error))


def _audit_doc(delivery: dict, digest: dict | None, outcome: str, now: datetime, attempt: int, error: str | None = None) -> tuple[str, dict]:
    attempt_id = f"{delivery['delivery_id']}#{attempt}:{outcome}"
    return attempt_id, {
        "attempt_id": attempt_id, "digest_id": delivery["digest_id"], "contact_id": delivery["contact_id"], "channel": delivery["channel"],
        "outcome": outcome, "attempt": attempt, "at": now.isoformat(), "items": delivery.get("items") or [],
        "what": digest["subject"] if digest else None, "error": error}
