"""Generate JSON Schema files and the AsyncAPI document from the pydantic models.

Run `python -m schemas.generate` after changing a model; a test fails while the checked-in files drift.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from schemas.catalog import (
    DEAD_LETTER,
    NOTIFY_EVENTS,
    PAYLOADS,
    PLANS_EVENTS,
    TASKS_COMMANDS,
    TASKS_EVENTS,
    TASKS_REPLIES,
)
from schemas.envelope import Envelope
from schemas.reports import SubmitPeriodicReportMessage
from schemas.tasks import CommandReply, ReportStatusMessage

HERE = Path(__file__).parent
EVENTS_BY_TOPIC = {
    PLANS_EVENTS: ["UnitRegistered", "AgencyRegistered", "PlanIssued", "TaskAssigned",
                   "UnitsMerged", "UnitSplit", "UnitRenamed", "UnitMoved", "UnitLevelAbolished",
                   "CredentialIssued", "CredentialRevoked"],
    TASKS_EVENTS: ["TaskAssigned", "StatusReported", "TaskCompleted", "DeadlineMissed", "ConditionMet",
                   "ExtensionRequested", "ExtensionRejected", "TaskDeadlineChanged", "TaskWaitingOnAgency",
                   "TaskWaitingOnAgencyCleared", "TaskTransferred", "PeriodicReportSubmitted"],
    NOTIFY_EVENTS: ["EscalationStarted", "EscalationRaised", "EscalationAcknowledged", "EscalationResolved", "NotificationDelivered"],
}


def event_schema(event_type: str) -> dict:
    schema = Envelope.model_json_schema()
    payload = PAYLOADS[event_type].model_json_schema()
    schema["title"] = event_type
    schema["properties"]["event_type"] = {"const": event_type, "title": "Event Type", "type": "string"}
    schema["properties"]["payload"] = {k: v for k, v in payload.items() if k != "$defs"}
    if "$defs" in payload:
        schema["$defs"] = payload["$defs"]
    return schema


def all_schemas() -> dict[str, dict]:
    files = {f"{name}.json": event_schema(name) for name in PAYLOADS}
    files["ReportStatusMessage.json"] = ReportStatusMessage.model_json_schema()
    files["CommandReply.json"] = CommandReply.model_json_schema()
    files["SubmitPeriodicReportMessage.json"] = SubmitPeriodicReportMessage.model_json_schema()
    return files


def asyncapi() -> dict:
    messages = {name: {"name": name, "payload": {"$ref": f"json/{name}.json"}} for name in PAYLOADS}
    messages["ReportStatusMessage"] = {"name": "ReportStatus", "payload": {"$ref": "json/ReportStatusMessage.json"}}
    messages["CommandReply"] = {"name": "CommandReply", "payload": {"$ref": "json/CommandReply.json"}}
    messages["SubmitPeriodicReportMessage"] = {"name": "SubmitPeriodicReport", "payload": {"$ref": "json/SubmitPeriodicReportMessage.json"}}
    channels = {
        topic: {"address": topic, "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names}}
        for topic, names in EVENTS_BY_TOPIC.items()
    }
    channels[TASKS_COMMANDS] = {"address": TASKS_COMMANDS, "messages": {"ReportStatusMessage": {"$ref": "#/components/messages/ReportStatusMessage"},
                                                                        "SubmitPeriodicReportMessage": {"$ref": "#/components/messages/SubmitPeriodicReportMessage"}}}
    channels[TASKS_REPLIES] = {"address": TASKS_REPLIES, "messages": {"CommandReply": {"$ref": "#/components/messages/CommandReply"}}}
    channels[DEAD_LETTER] = {"address": DEAD_LETTER, "description": "Rejected or malformed messages, with the error in headers."}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "tiendo events",
            "version": "1.0.0",
            "description": "Events and commands of tiendo. Message key = stream id; headers carry event_type, schema_version and traceparent.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"messages": messages},
    }


def rendered() -> dict[Path, str]:
    out = {HERE / "json" / name: json.dumps(s, indent=2, ensure_ascii=False, sort_keys=True) + "\n" for name, s in all_schemas().items()}
    out[HERE / "asyncapi.yaml"] = yaml.safe_dump(asyncapi(), sort_keys=True, allow_unicode=True)
    return out


def main() -> int:
    (HERE / "json").mkdir(exist_ok=True)
    for path, text in rendered().items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(rendered())} files under {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
