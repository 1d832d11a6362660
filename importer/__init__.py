"""Plan-document importer: a document (bytes + filename) in, a draft plan out.

    from importer import import_document, NotAPlan, UnreadableDocument
    draft = import_document(data, "ke-hoach.docx", directory=[("a1", "Công an huyện")])
    draft.to_json_dict()  # {"plan", "reporting", "tasks", "targets", "warnings"}

Pure: no I/O besides parsing the given bytes, no clock, no global state.
"""

from __future__ import annotations

from .draft.model import (
    Draft,
    DraftTask,
    DraftWarning,
    EmptyDocument,
    InputTooLarge,
    NotAPlan,
    PlanImportError,
    PlanInfo,
    Reporting,
    Target,
    Timing,
    UnreadableDocument,
)
from .draft.build import MAX_LINES, import_document
from .read.readers import MAX_INPUT_BYTES

__all__ = [
    "Draft", "DraftTask", "DraftWarning", "EmptyDocument", "InputTooLarge", "MAX_INPUT_BYTES", "MAX_LINES",
    "NotAPlan", "PlanImportError", "PlanInfo", "Reporting", "Target", "Timing", "UnreadableDocument",
    "import_document",
]
