"""Kafka entrypoints of tasks: assignments from plans, and ReportStatus / SubmitPeriodicReport commands from agency systems."""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
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
        """A batch of commands: credentials checked first (that may need the network), then every command carried out in
        one transaction (each its own savepoint), then refusals dead-lettered and replies sent once it is committed."""
        principals: dict[str, Any] = {}  # token -> principal: an agency system sends its batch with one key
        checked = [await check_command(rt, record, principals) for record in records]
        async with rt.store.transaction():
            outcomes = [await carry_out(rt, record, command) if isinstance(command, Command) else command
                        for record, command in zip(records, checked)]
        for record, outcome in zip(records, outcomes):
            if outcome.rejection is not None:
                await rt.bus.dead_letter(WithoutCredential(record), f"{outcome.rejection.title}: {outcome.rejection.detail}", "tasks.commands")
        replies = [outcome.reply for outcome in outcomes if outcome.reply]
        await asyncio.gather(*(rt.bus.publish(TASKS_REPLIES, r.model_dump_json().encode(), r.command_id, {}) for r in replies))

    rt.subscribe_events([PLANS_EVENTS], "tasks.assignments", on_plan_events)
    rt.bus.subscribe_records([TASKS_COMMANDS], rt.group("commands"), on_commands, consumer=COMMANDS_LEDGER)


@dataclass
class Command:
    """A command whose form and credential were checked."""
    command_id: str
    message: ReportStatusMessage | SubmitPeriodicReportMessage
    agency_id: str
    actor: str


@dataclass
class Outcome:
    reply: CommandReply | None
    rejection: CommandRejection | None = None  # kept on the dead-letter topic too


async def check_command(rt: ServiceRuntime, record: Any, principals: dict[str, Any]) -> Command | Outcome:
    command_id = record.key.decode("utf-8", "replace") if record.key else None
    try:
        data = json.loads(record.value)
        command_id = str(data.get("command_id") or command_id) if isinstance(data, dict) else command_id
        message = _message(data)
        command_id = str(message.command_id)
        principal = principals.get(message.token) or await principal_of(rt, message.token)
        principals[message.token] = principal
        if principal.role.value != "agency":
            raise InvalidCredential("this operation needs an agency credential")
        return Command(command_id, message, principal.subject, principal.actor)
    except Exception as error:
        return _refused(command_id, error)


async def carry_out(rt: ServiceRuntime, record: Any, command: Command) -> Outcome:
    """Carry out one checked command; a refusal is answered and dead-lettered, never dropped."""
    message = command.message
    cause = Cause(command.actor, command.command_id, command.command_id)
    name = "SubmitPeriodicReport" if isinstance(message, SubmitPeriodicReportMessage) else "ReportStatus"
    try:
        with tracer().start_as_current_span(f"tasks handle {name}", context=context_from(header(record, "traceparent"))):
            async with rt.store.transaction():  # carried out and remembered together: a redelivered command does nothing
                if not await rt.store.unseen(COMMANDS_LEDGER, [command.command_id]):
                    return Outcome(CommandReply(command_id=command.command_id, accepted=True, duplicate=True))
                appended = await _carry_out(rt, message, command.agency_id, cause)
                await rt.store.mark(COMMANDS_LEDGER, [command.command_id])
        return Outcome(CommandReply(command_id=command.command_id, accepted=True, event_ids=[str(e.event_id) for e in appended]))
    except Exception as error:
        return _refused(command.command_id, error)


def _refused(command_id: str | None, error: Exception) -> Outcome:
    if isinstance(error, (ValueError, ValidationError)):  # JSONDecodeError is a ValueError
        rejection = CommandRejection(status=422, title="invalid command", detail=describe_error(error), field=_field(error))
    elif isinstance(error, InvalidCredential):
        rejection = CommandRejection(status=401, title=Unauthorized.title, detail=str(error), field="token")
    elif isinstance(error, Rejected):
        rejection = CommandRejection(status=error.status, title=error.title, detail=error.detail, field=error.field)
    elif isinstance(error, ConcurrencyError):
        rejection = CommandRejection(status=409, title="version conflict", detail=str(error), field="expected_version")
    else:
        raise error
    return Outcome(CommandReply(command_id=command_id, accepted=False, rejection=rejection) if command_id else None, rejection)


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
