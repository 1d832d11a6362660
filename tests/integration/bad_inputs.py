"""The catalogue of bad inputs, one table per channel, each row with the specific answer it must get.

Channels: HTTP (all four services), the importer (each document through `tiendo plans import`
and through the draft upload), the command topic and the event topics. The tests that drive
them are in test_bad_records_catalogue.py; every channel there also checks that nothing was
half-written and that a good input after the bad ones still goes through.
"""
from __future__ import annotations

import io
import json
import os
import uuid
import zipfile
import dataclasses
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS
from tests.support.story import COMMUNE, DISTRICT, PROVINCE, commune_plan

NOBODY, ADMIN, STANDING = None, ("administrator", "test-admin"), ("standing_body", PROVINCE)


@dataclass(frozen=True)
class Http:
    """A request and its answer: status, and the problem+json `field` (or words of its `detail` when no field is named)."""

    case: str
    service: str
    method: str
    path: str
    status: int
    field: str | None = None
    words: str | None = None
    json: Any = None
    content: bytes | None = None
    role: tuple[str, str] | str | None = ADMIN  # a (role, subject) minted, an agency id (its key), or NOBODY
    form: dict[str, str] = dataclasses.field(default_factory=dict)


def plan(**changes) -> dict:
    return {**commune_plan("kh-bad"), **changes}


def plan_task(**changes) -> dict:
    task = {"task_id": "kh-bad.1", "content": "Rà soát dữ liệu dân cư", "lead": "ca-xa", "timing": {"raw": "Quý II", "due": "2023-06-30"}}
    return plan(tasks=[{**task, **changes}])


REPORT = {"status": "in_progress", "progress": 40}
UNIT = {"unit_id": "xa-moi", "name": "Xã Mới", "level": "commune", "parent_id": DISTRICT}
CONTACT = {"agency_id": "ca-xa", "name": "Hoàng Văn Công", "email": "cong@example.vn"}

HTTP = [
    # plans
    Http("unit-without-credential", "plans", "POST", "/units", 401, json=UNIT, role=NOBODY, field="Authorization", words="send a credential"),
    Http("unit-by-an-agency", "plans", "POST", "/units", 403, "Authorization", "needs an administrator credential", json=UNIT, role="ca-xa"),
    Http("unit-level-unknown", "plans", "POST", "/units", 422, "level", json={**UNIT, "level": "galaxy"}),
    Http("unit-id-too-long", "plans", "POST", "/units", 422, "unit_id", json={**UNIT, "unit_id": "x" * 101}),
    Http("unit-parent-unknown", "plans", "POST", "/units", 404, "parent_id", json={**UNIT, "parent_id": "no-such-unit"}),
    Http("agency-unit-unknown", "plans", "POST", "/agencies", 404, "unit_id",
         json={"agency_id": "ca-moi", "unit_id": "no-such-unit", "name": "Công an", "head_title": "Trưởng", "head_name": "A"}),
    # broken JSON names the body, and where the JSON broke
    Http("plan-not-json", "plans", "POST", "/plans", 422, "body", "not valid JSON (at character 1)", content=b"{plan_id: kh-bad", role=STANDING),
    Http("plan-body-over-1-MB", "plans", "POST", "/plans", 413, words="larger than 1048576 bytes", content=b"{" + b" " * (1024 * 1024 + 10) + b"}", role=STANDING),
    Http("plan-references-too-many", "plans", "POST", "/plans", 422, "references", json=plan(references=["32/KH-UBND"] * 5000), role=STANDING),
    Http("plan-without-tasks", "plans", "POST", "/plans", 422, "tasks", json=plan(tasks=[]), role=STANDING),
    Http("plan-due-30-february", "plans", "POST", "/plans", 422, "tasks.0.timing.due", json=plan_task(timing={"raw": "x", "due": "2023-02-30"}),
         role=STANDING),
    Http("plan-reuses-a-task-id", "plans", "POST", "/plans", 409, "tasks.0.task_id", "belongs to plan 'kh-32'", json=plan_task(task_id="kh-32.1"),
         role=STANDING),
    Http("plan-by-an-agency", "plans", "POST", "/plans", 403, "Authorization", "needs a standing body credential", json=plan(), role="ca-xa"),
    Http("draft-upload-without-unit", "plans", "POST", "/drafts", 422, "unit_id", role=STANDING, form={}),
    # tasks
    Http("status-without-credential", "tasks", "POST", "/tasks/kh-32.1/status", 401, "Authorization", "send a credential", json=REPORT, role=NOBODY),
    Http("status-on-another-agencys-task", "tasks", "POST", "/tasks/kh-32.2/status", 403, words="neither leads nor supports", json=REPORT,
         role="vp-xa"),
    Http("status-progress-101", "tasks", "POST", "/tasks/kh-32.1/status", 422, "progress", json={**REPORT, "progress": 101}, role="ca-xa"),
    Http("status-unknown", "tasks", "POST", "/tasks/kh-32.1/status", 422, "status", json={**REPORT, "status": "finished"}, role="ca-xa"),
    Http("status-summary-too-long", "tasks", "POST", "/tasks/kh-32.1/status", 422, "summary", "at most 4000", json={**REPORT, "summary": "x" * 4001},
         role="ca-xa"),
    Http("status-unknown-task", "tasks", "POST", "/tasks/no-such-task/status", 404, "task_id", json=REPORT, role="ca-xa"),
    Http("status-extra-field", "tasks", "POST", "/tasks/kh-32.1/status", 422, "agency_id", json={**REPORT, "agency_id": "tp-xa"}, role="ca-xa"),
    Http("task-list-without-credential", "tasks", "GET", "/tasks?plan_id=kh-32", 401, "Authorization", "send a credential", role=NOBODY),
    # reporting
    Http("summary-without-credential", "reporting", "GET", f"/units/{PROVINCE}/summary", 401, "Authorization", "send a credential", role=NOBODY),
    Http("summary-above-the-viewers-unit", "reporting", "GET", f"/units/{PROVINCE}/summary", 403, "unit_id", "and the units below it",
         role=("viewer", COMMUNE)),
    Http("summary-unknown-unit", "reporting", "GET", "/units/no-such-unit/summary", 404, "unit_id"),
    Http("report-period-13th-month", "reporting", "GET", f"/units/{COMMUNE}/reports/2023-13", 422, "period", "must be like 2026-12"),
    # notify
    Http("contact-without-credential", "notify", "POST", "/contacts", 401, "Authorization", "send a credential", json=CONTACT, role=NOBODY),
    Http("contact-by-an-agency", "notify", "POST", "/contacts", 403, "Authorization", "this is an agency credential", json=CONTACT, role="ca-xa"),
    Http("contact-email-invalid", "notify", "POST", "/contacts", 422, "email", json={**CONTACT, "email": "not-an-address"}),
    Http("contacts-read-by-an-agency", "notify", "GET", "/contacts", 403, "Authorization", "this is an agency credential", role="ca-xa"),
    Http("notifications-without-credential", "notify", "GET", "/escalations", 401, "Authorization", "send a credential", role=NOBODY),
]


# -- the importer: each document through the CLI (exit code + one-line reason) and the upload (422 on `file`) --------
@dataclass(frozen=True)
class Document:
    case: str
    filename: str
    data: bytes
    exit_code: int
    words: str


def _zip(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _docx_without_text() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


_XML_BOMB = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
             + "<w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>" * 500_000 + "</w:body></w:document>")
_STORY = "Hôm nay trời đẹp. Chúng tôi đi dạo trong công viên và ăn kem.\n" * 40

DOCUMENTS = [
    Document("empty-file", "plan.txt", b"", 3, "the file is empty"),
    Document("only-whitespace", "plan.txt", b"  \r\n\t\n", 3, "empty"),
    Document("binary-with-nuls", "plan.txt", os.urandom(4096) + b"\x00\x00", 3, "binary file"),
    Document("docx-that-is-no-zip", "plan.docx", b"PK\x03\x04 this is not really a zip", 3, "corrupted"),
    Document("docx-with-broken-xml", "plan.docx", _zip({"word/document.xml": "<not xml"}), 3, "corrupted .docx"),
    Document("docx-without-text", "empty.docx", _docx_without_text(), 3, "no text"),
    Document("docx-xml-bomb", "bomb.docx", _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": _XML_BOMB}), 3, "refused"),
    Document("pdf-without-objects", "plan.pdf", b"%PDF-1.4\n garbage without objects", 3, "corrupted PDF"),
    Document("legacy-word-97", "plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, 3, ".docx"),
    Document("zip-of-something-else", "plan.zip", _zip({"photo.jpg": b"\xff\xd8\xff" + b"\x00" * 64}), 3, "neither .docx nor .xlsx"),
    Document("text-that-is-no-plan", "story.txt", _STORY.encode(), 4, "not"),
    Document("plan-text-without-tasks", "p.txt", "KẾ HOẠCH\nTriển khai Đề án 06\nI. MỤC ĐÍCH\nNâng cao nhận thức.\n".encode(), 4, "no tasks"),
    Document("over-10-MB", "big.txt", b"KE HOACH\n" + b"a" * (10 * 1024 * 1024), 3, "larger than 10 MB"),
]


# -- the command topic: (case, value, how the rejection's reason begins) ------------------------------------------------
def command(token: str | None, **fields) -> bytes:
    body = {"command_id": str(uuid.uuid4()), "task_id": "kh-32.2", "status": "in_progress", "progress": 40, **fields}
    if token is not None:
        body["token"] = token
    return json.dumps(body).encode()


def commands(tokens: dict[str, str]) -> list[tuple[str, bytes, str]]:
    lead = tokens["tp-xa"]  # kh-32.2: lead tp-xa, support ca-xa; vp-xa has no part in it
    return [
        ("not-utf8", b"\xff\xfe", "invalid command"),
        ("not-json", b"{task_id: kh-32.2", "invalid command"),
        ("json-list", b"[]", "invalid command"),
        ("no-token", command(None), "invalid command"),
        ("forged-token", command("agency.ca-xa.forged-signature"), "unauthorized"),
        ("viewer-token-shape", command("viewer.cao-bang.x"), "unauthorized"),
        ("unknown-task", command(lead, task_id="no-such-task"), "not found"),
        ("not-its-task", command(tokens["vp-xa"]), "forbidden"),
        ("progress-101", command(lead, progress=101), "invalid command"),
        ("negative-progress", command(lead, progress=-1), "invalid command"),
        ("bad-status", command(lead, status="finished"), "invalid command"),
        ("stale-version", command(lead, expected_version=99), "version conflict"),
    ]


# -- the event topics: (case, topic, value, headers, consumer that refuses it, words of the reason) ----------------------
NOW = datetime(2023, 3, 20, 2, tzinfo=timezone.utc).isoformat()


def envelope(event_type: str, stream_id: str, version: int, payload: dict, **changes) -> dict:
    body = {"event_id": str(uuid.uuid4()), "event_type": event_type, "schema_version": 1, "stream_id": stream_id,
            "stream_version": version, "occurred_at": NOW, "recorded_at": NOW, "correlation_id": "catalogue", "actor": "forger",
            "payload": payload}
    body.update(changes)
    return body


_REPORTED = {"task_id": "kh-32.1", "agency_id": "ca-xa", "status": "in_progress", "progress": 50}
_DONE = {"task_id": "kh-32.1", "agency_id": "ca-xa", "completed_on": "2023-03-20", "on_time": True}
_ASSIGNED = {"task_id": "huge.1", "plan_id": "huge", "unit_id": COMMUNE, "content": "x" * 600_000, "lead": "ca-xa"}
_ANOTHER_TASK = {"task_id": "kh-32.9", "plan_id": "kh-32", "unit_id": COMMUNE, "content": "Nhiệm vụ giả mạo", "lead": "ca-xa"}
R, T = "reporting.views", "tasks.assignments"

EVENTS = [
    ("not-utf8", TASKS_EVENTS, b"\xff\xfe not json", {}, R, "UnicodeDecodeError"),
    ("not-json", TASKS_EVENTS, b"{event_type: StatusReported", {}, R, "JSONDecodeError"),
    ("json-list", TASKS_EVENTS, b"[1, 2, 3]", {}, R, "ValidationError"),
    ("no-event-id", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, _REPORTED, event_id=None), {}, R, "event_id"),
    ("bad-event-id", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, _REPORTED, event_id="not-a-uuid"), {}, R, "event_id"),
    ("unknown-type", TASKS_EVENTS, envelope("TaskDeleted", "task-kh-32.1", 2, _REPORTED), {}, R, "unknown event_type 'TaskDeleted'"),
    ("payload-missing", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, {"task_id": "kh-32.1"}), {}, R, "agency_id"),
    ("payload-extra", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, {**_REPORTED, "admin": True}), {}, R, "admin"),
    ("progress-101", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, {**_REPORTED, "progress": 101}), {}, R, "progress"),
    ("bad-status", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, {**_REPORTED, "status": "finished"}), {}, R, "status"),
    ("version-0", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 0, _REPORTED), {}, R, "stream_version"),
    ("naive-time", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, _REPORTED, occurred_at="2023-03-20T09:00:00"), {}, R,
     "occurred_at"),
    ("empty-actor", TASKS_EVENTS, envelope("StatusReported", "task-kh-32.1", 2, _REPORTED, actor=""), {}, R, "actor"),
    ("schema-99", TASKS_EVENTS, envelope("TaskCompleted", "task-kh-32.1", 2, _DONE, schema_version=99), {}, R,
     "schema_version 99 is newer than this consumer knows"),
    ("future-999", TASKS_EVENTS, envelope("TaskCompleted", "task-kh-32.1", 999, _DONE), {}, R, "version 999 would skip"),
    ("lying-headers", TASKS_EVENTS, envelope("TaskCompleted", "task-kh-32.1", 2, _DONE), {"stream_id": "task-kh-32.1", "stream_version": "1"},
     R, None),  # claims an applied version: skipped unread, never applied (no dead letter: checked by "nothing applied")
    ("plans-not-json", PLANS_EVENTS, b"{event_type: TaskAssigned", {}, T, "JSONDecodeError"),
    ("plans-future-999", PLANS_EVENTS, envelope("TaskAssigned", "plan-kh-32", 999, _ANOTHER_TASK), {}, T, "version 999 would skip"),
    ("plans-schema-99", PLANS_EVENTS, envelope("TaskAssigned", "plan-kh-32", 5, _ANOTHER_TASK, schema_version=99), {}, T,
     "schema_version 99 is newer than this consumer knows"),
    # refused by its schema's bounds (content ≤ 10,000 characters) before its size: by whichever consumer of the topic reads it
    ("too-large-assignment", PLANS_EVENTS, envelope("TaskAssigned", "plan-huge", 1, _ASSIGNED), {}, None,
     "content: String should have at most 10000 characters"),
]

TOTAL = len(HTTP) + len(DOCUMENTS) + 12 + len(EVENTS)  # 12 commands (they need the agencies' keys to be built)
