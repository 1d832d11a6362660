"""Kafka entrypoints of tasks: assignments from plans, and ReportStatus / SubmitPeriodicReport commands from agency systems."""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Sequence

from pydantic import ValidationError

from schemas.catalog import PLANS_EVENTS, TASKS_COMMANDS, TASKS_REPLIES
from schemas.rejections import Rejected, Unauthorized
from schemas.reports import PeriodicReport, SubmitPeriodicReportMessage
from schemas.tasks import CommandRejection, CommandReply, ReportStatusMessage, StatusReport
from services.runtime.bus import describe_error, header
from services.runtime.auth.gate import principal_of
from services.runtime.credentials import InvalidCredential
from services.runtime.events import Cause
from services.runtime.ports import ConcurrencyError
from services.runtime.service import ServiceRuntime
from services.runtime.telemetry import context_from, tracer
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.conditions import meet_conditions_by_plans
from services.tasks.handlers.standing import remember_standing_bodies
from services.tasks.handlers.transfers import transfer_tasks
from services.tasks.handlers.periodic import submit_periodic_report
from services.tasks.handlers.report import report_status

log = logging.getLogger("tiendo.tasks.commands")
COMMANDS_LEDGER = "tasks.commands"


def register(rt: ServiceRuntime) -> None:
    async def on_plan_events(batch) -> None:
        await remember_standing_bodies(batch, rt.store)
        await accept_assignments(batch, rt.store, rt.events)
        await meet_conditions_by_plans(batch, rt.store, rt.events, rt.clock, rt.settings.condition_immediate_days)
        await transfer_tasks(batch, rt.store, rt.events)

    async def on_commands(records: Sequence[Any]) -> None:
        replies = [await handle_command(rt, record) for record in records]
        await asyncio.gather(*(rt.bus.publish(TASKS_REPLIES, r.model_dump_json().encode(), r.command_id, {}) for r in replies if r))

    rt.bus.subscribe_events([PLANS_EVENTS], rt.group("assignments"), "tasks.assignments", on_plan_events)
    rt.bus.subscribe_records([TASKS_COMMANDS], rt.group("commands"), on_commands, consumer=COMMANDS_LEDGER)


async def handle_command(rt: ServiceRuntime, record: Any) -> CommandReply | None:
    """Validate and carry out one command; a refusal is answered and dead-lettered, never dropped."""
    command_id = record.key.decode("utf-8", "replace") if record.key else None
    try:
        data = json.loads(record.value)
        command_id = str(data.get("command_id") or command_id) if isinstance(data, dict) else command_id
        message = _message(data)
        command_id = str(message.command_id)
        principal = await principal_of(rt, message.token)
        if principal.role.value != "agency":
            raise InvalidCredential("this operation needs an agency credential")
        cause = Cause(principal.actor, str(message.command_id), str(message.command_id))
        name = "SubmitPeriodicReport" if isinstance(message, SubmitPeriodicReportMessage) else "ReportStatus"
        with tracer().start_as_current_span(f"tasks handle {name}", context=context_from(header(record, "traceparent"))):
            async with rt.store.transaction():  # carried out and remembered together: a redelivered command does nothing
                if not await rt.store.unseen(COMMANDS_LEDGER, [command_id]):
                    return CommandReply(command_id=command_id, accepted=True, duplicate=True)
                appended = await _carry_out(rt, message, principal.subject, cause)
                await rt.store.mark(COMMANDS_LEDGER, [command_id])
        return CommandReply(command_id=command_id, accepted=True, event_ids=[str(e.event_id) for e in appended])
    except (ValueError, ValidationError) as error:  # JSONDecodeError is a ValueError
        rejection = CommandRejection(status=422, title="invalid command", detail=describe_error(error), field=_field(error))
    except InvalidCredential as error:
        rejection = CommandRejection(status=401, title=Unauthorized.title, detail=str(error), field="token")
    except Rejected as error:
        rejection = CommandRejection(status=error.status, title=error.title, detail=error.detail, field=error.field)
    except ConcurrencyError as error:
        rejection = CommandRejection(status=409, title="version conflict", detail=str(error), field="expected_version")
    await rt.bus.dead_letter(WithoutCredential(record), f"{rejection.title}: {rejection.detail}", "tasks.commands")
    return CommandReply(command_id=command_id, accepted=False, rejection=rejection) if command_id else None


def _message(data: Any) -> ReportStatusMessage | SubmitPeriodicReportMessage:
    """A periodic report names its plan and period and no task; everything else is read as ReportStatus."""
    if isinstance(data, dict) and "task_id" not in data and "period" in data:
        return SubmitPeriodicReportMessage.model_validate(data)
    return ReportStatusMessage.model_validate(data)


async def _carry_out(rt: ServiceRuntime, message: ReportStatusMessage | SubmitPeriodicReportMessage, agency_id: str, cause: Cause) -> list:
    """The same handler and validation as the HTTP route of the command."""
    if isinstance(message, SubmitPeriodicReportMessage):
        report = PeriodicReport(**message.model_dump(include=set(PeriodicReport.model_fields)))
        return await submit_periodic_report(agency_id, report, rt.store, rt.events, rt.clock, cause)
    status = StatusReport(**message.model_dump(include=set(StatusReport.model_fields)))
    return await report_status(message.task_id, agency_id, status, rt.store, rt.events, rt.clock, cause)


class WithoutCredential:
    """The record as it is kept in the dead-letter topic: the command with its `token` blanked out."""

    def __init__(self, record: Any) -> None:
        self._record, self.value = record, without_credential(record.value)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


def without_credential(value: bytes | None) -> bytes | None:
    try:
        data = json.loads(value) if value else None
    except ValueError:
        return value  # not JSON: no field to blank (nor a command a credential could be read from)
    if isinstance(data, dict) and "token" in data:
        return json.dumps({**data, "token": "[removed]"}, ensure_ascii=False).encode()
    return value


def _field(error: Exception) -> str | None:
    if isinstance(error, ValidationError) and error.errors():
        return ".".join(str(p) for p in error.errors()[0]["loc"]) or None
    return None
