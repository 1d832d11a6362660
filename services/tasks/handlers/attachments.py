"""Attachments of a task's evidence: uploaded by its lead, checked by content, hashed, kept in tasks' store."""
from __future__ import annotations

import base64
import hashlib

from schemas.rejections import Invalid, NotFound
from schemas.tasks import MAX_ATTACHMENT_BYTES, Attachment
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store
from services.tasks.domain.content_types import checked_type
from services.tasks.domain.roles import must_lead
from services.tasks.handlers.repository import load

ATTACHMENTS = "attachments"


async def upload(task_id: str, agency_id: str, filename: str, data: bytes, store: Store, events: EventLog) -> dict:
    task = await load(store, events, task_id)
    must_lead(task, agency_id, "attach evidence")
    if not data:
        raise Invalid("the file is empty", field="file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Invalid(f"an attachment may be at most {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB", field="file")
    name = filename.replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"
    attachment = Attachment(sha256=hashlib.sha256(data).hexdigest(), filename=name, media_type=checked_type(name, data), size=len(data))
    doc = {**attachment.model_dump(mode="json"), "task_id": task_id, "content": base64.b64encode(data).decode()}
    await store.put(ATTACHMENTS, f"{task_id}:{attachment.sha256}", doc)
    return attachment.model_dump(mode="json")


async def uploaded_for(store: Store, task_id: str) -> dict[str, dict]:
    """sha256 -> the attachment as stored, without its content."""
    return {d["sha256"]: {k: d[k] for k in Attachment.model_fields} for d in await store.find(ATTACHMENTS, task_id=task_id)}


async def content(store: Store, task_id: str, sha256: str) -> tuple[dict, bytes]:
    doc = await store.get(ATTACHMENTS, f"{task_id}:{sha256}")
    if doc is None:
        raise NotFound(f"task {task_id!r} has no attachment {sha256!r}", field="sha256")
    return {k: doc[k] for k in Attachment.model_fields}, base64.b64decode(doc["content"])
