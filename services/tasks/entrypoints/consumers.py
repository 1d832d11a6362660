"""Kafka entrypoints of tasks: assignments from plans, and ReportStatus / SubmitPeriodicReport commands from agency systems."""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Sequence

from pydantic import ValidationError
from pydantic_core import to_json

from schemas.catalog import PLANS_EVENTS, TASKS_COMMANDS, TASKS_REPLIES
from schemas.rejections import Rejected, Unauthorized
from schemas.reports import PeriodicReport, SubmitPeriodicReportMessage
from schemas.tasks import CommandRejection, CommandReply, ReportStatusMessage
from services.runtime.bus import describe_error, header
from services.runtime.auth.gate import principal_of
from services.runtime.credentials import InvalidCredential
from services.runtime.events import Cause, copied
from services.runtime.ports import ConcurrencyError
from services.runtime.service import ServiceRuntime
from services.runtime.telemetry import context_from, tracer
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.conditions import meet_conditions_by_plans
from services.tasks.handlers.standing import remember_standing_bodies
from services.tasks.handlers.transfers import transfer_tasks
from services.tasks.handlers.periodic import submit_periodic_report
from services.tasks.handlers.report import Reported, decide_reports

log = logging.getLogger("tiendo.tasks.commands")
COMMANDS_LEDGER = "tasks.commands"


def register(rt: ServiceRuntime) -> None:
    async def on_plan_events(batch) -> None:
        await remember_standing_bodies(batch, rt.store)
        await accept_assignments(batch, rt.store, rt.events)
        await meet_conditions_by_plans(batch, rt.store, rt.events, rt.clock, rt.settings.condition_immediate_days)
        await transfer_tasks(batch, rt.store, rt.events)

    async def on_commands(records: Sequence[Any]) -> Awaitable[None]:
        """A batch of commands: credentials checked first (that may need the network), then carried out in one
        transaction (the batch's ReportStatus commands decided together), then refusals dead-lettered and replies handed
        to the producer once it is committed. Returns the replies' acknowledgements: the bus handles the next batch
        while they travel and commits this batch's offsets once they are in (Bus.subscribe_records)."""
        began, cpu = time.monotonic(), time.thread_time()
        principals: dict[str, Any] = {}  # token -> principal: an agency system sends its batch with one key
        checked = [await check_command(rt, record, principals) for record in records]
        decided, decided_cpu = time.monotonic(), time.thread_time()
        with tracer().start_as_current_span("tasks handle commands", context=context_from(header(records[0], "traceparent"))) as span:
            span.set_attribute("messaging.batch.message_count", len(records))
            async with rt.store.transaction():
                outcomes = await carry_out_all(rt, checked)
        committed, committed_cpu = time.monotonic(), time.thread_time()
        for record, outcome in zip(records, outcomes):
            if outcome.rejection is not None:
                await rt.bus.dead_letter(WithoutCredential(record), f"{outcome.rejection.title}: {outcome.rejection.detail}", "tasks.commands")
        replies = [outcome.reply for outcome in outcomes if outcome.reply]
        acknowledged = await rt.bus.send_many(TASKS_REPLIES, [(to_json(r), r.command_id, {}) for r in replies])  # model_dump_json's bytes
        rt.bus.stages.add("tasks.commands", check_s=decided - began, check_cpu_s=decided_cpu - cpu,
                          decide_commit_s=committed - decided, decide_commit_cpu_s=committed_cpu - decided_cpu,
                          replies_s=time.monotonic() - committed)
        return acknowledged

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
        message = _report_status(record.value) or _message(data := json.loads(record.value), command_id)
        command_id = str(message.command_id)
        principal = principals.get(message.token) or await principal_of(rt, message.token)
        principals[message.token] = principal
        if principal.role.value != "agency":
            raise InvalidCredential("this operation needs an agency credential")
        return Command(command_id, message, principal.subject, principal.actor)
    except Refused as refused:
        return _refused(refused.command_id, refused.error)
    except Exception as error:
        return _refused(command_id, error)


async def carry_out_all(rt: ServiceRuntime, checked: list[Command | Outcome]) -> list[Outcome]:
    """Carry out a batch's checked commands inside the caller's transaction, each remembered in the ledger with what it
    did (a redelivered command does nothing). ReportStatus commands are decided together (one read of their tasks, one
    append, one snapshot write), whatever agency sent each; then each periodic report on its own savepoint (after the
    batch's status reports, whatever their order in the batch)."""
    outcomes: list[Outcome | None] = [c if isinstance(c, Outcome) else None for c in checked]
    commands = {n: c for n, c in enumerate(checked) if isinstance(c, Command)}
    unseen = await rt.store.unseen(COMMANDS_LEDGER, [c.command_id for c in commands.values()]) if commands else set()
    first: dict[str, int] = {}  # command id -> the record that carries it out (a repeat in the same batch is a duplicate)
    for n, command in commands.items():
        if command.command_id not in unseen or first.setdefault(command.command_id, n) != n:
            outcomes[n] = Outcome(CommandReply(command_id=command.command_id, accepted=True, duplicate=True))
    carried = sorted(first.values())
    reports = [n for n in carried if isinstance(commands[n].message, ReportStatusMessage)]
    decided = await decide_reports([Reported(commands[n].message, commands[n].agency_id, _cause(commands[n])) for n in reports],
                                   rt.store, rt.events, rt.clock) if reports else []
    for n, outcome in zip(reports, decided):
        outcomes[n] = _refused(commands[n].command_id, outcome) if isinstance(outcome, Exception) else _accepted(commands[n], outcome)
    for n in carried:
        if outcomes[n] is None:
            outcomes[n] = await _submit_periodic(rt, commands[n])
    await rt.store.mark(COMMANDS_LEDGER, [commands[n].command_id for n in carried if outcomes[n].reply.accepted])  # type: ignore[union-attr]
    return outcomes  # type: ignore[return-value]


def _cause(command: Command) -> Cause:
    return Cause(command.actor, command.command_id, command.command_id)


ACCEPTED = CommandReply(command_id="accepted", accepted=True, event_ids=[], duplicate=False, rejection=None)  # every accepted reply copies it


def _accepted(command: Command, appended: list) -> Outcome:
    """The reply to a command carried out: built from validated values (a UUID command id, the events' ids), not checked again."""
    return Outcome(copied(ACCEPTED, {"command_id": command.command_id, "event_ids": [str(e.event_id) for e in appended]}))


async def _submit_periodic(rt: ServiceRuntime, command: Command) -> Outcome:
    """The same handler and validation as the HTTP route of the command; a refusal rolls back its own savepoint."""
    message = command.message
    try:
        async with rt.store.transaction():
            report = PeriodicReport(**message.model_dump(include=set(PeriodicReport.model_fields)))
            appended = await submit_periodic_report(command.agency_id, report, rt.store, rt.events, rt.clock, _cause(command))
        return _accepted(command, appended)
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


def _report_status(value: bytes) -> ReportStatusMessage | None:
    """The common case in one pass of pydantic-core's JSON parser: a valid ReportStatus (None for anything else, which
    `_message` then reads and, if it must, refuses with its error)."""
    try:
        return ReportStatusMessage.model_validate_json(value)
    except ValidationError:
        return None


def _message(data: Any, command_id: str | None) -> ReportStatusMessage | SubmitPeriodicReportMessage:
    """A periodic report names its plan and period and no task; everything else is read as ReportStatus."""
    try:
        if isinstance(data, dict) and "task_id" not in data and "period" in data:
            return SubmitPeriodicReportMessage.model_validate(data)
        return ReportStatusMessage.model_validate(data)
    except ValidationError as error:
        raise Refused(str(data.get("command_id") or command_id) if isinstance(data, dict) else command_id, error) from error


class Refused(Exception):
    """A command that failed validation, with the command id it names (if it names one)."""

    def __init__(self, command_id: str | None, error: Exception) -> None:
        super().__init__(str(error))
        self.command_id, self.error = command_id, error


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
