"""Evidence of a completed task: the issued document, and attachments uploaded before, checked by content."""
from __future__ import annotations

from datetime import date

from schemas.rejections import Invalid
from schemas.tasks import Attachment, Evidence


def checked_evidence(evidence: Evidence | None, today: date, uploaded: dict[str, dict]) -> Evidence:
    """'done' needs the document (number and symbol, date, issuer); each attachment must be one uploaded for the task.

    `uploaded` maps sha256 -> the attachment as stored at upload (its type detected from the content)."""
    if evidence is None:
        raise Invalid("a task reported done needs its evidence: document_number (số/ký hiệu), document_date and issuer",
                      field="evidence")
    if evidence.document_date > today:
        raise Invalid("the document is dated after today", field="evidence.document_date")
    attachments = []
    for n, attachment in enumerate(evidence.attachments):
        stored = uploaded.get(attachment.sha256)
        if stored is None:
            raise Invalid(f"no attachment {attachment.sha256[:12]}… was uploaded for this task; upload it first",
                          field=f"evidence.attachments.{n}.sha256")
        attachments.append(Attachment.model_validate(stored))
    return evidence.model_copy(update={"attachments": attachments})
