"""The bad-inputs catalogue (tests/integration/bad_inputs.py), driven channel by channel against one started system.

One broker and the four services (SQLite stores, a clock held at 20 March 2023) start once for the
module. For every channel: the stores settle, every bad input gets its specific answer, the four
stores are then exactly as they were (every table's rows: events, outbox positions, documents,
ledgers), and a good input sent after the bad ones still goes all the way through.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import math
import os
import signal
import sqlite3
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from schemas.catalog import TASKS_COMMANDS
from services.cli import main as tiendo
from services.notify.bootstrap import create_app as create_notify
from services.notify.settings import NotifySettings
from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.runtime.broker import free_port, start_tansu
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.deadletter_cli import read_dead_letters
from services.tasks.bootstrap import create_app as create_tasks
from tests.integration.bad_inputs import DOCUMENTS, EVENTS, HTTP, NOBODY, TOTAL, Document, Http, command, commands
from tests.support.kafka import produce
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, commune_plan, register_hierarchy, standing_body
from tests.unit.notify.memory_mailer import MemoryMailer

in_the_system = pytest.mark.asyncio(loop_scope="module")  # the async tests share the module's loop with the started system
SERVICES = ("plans", "tasks", "reporting", "notify")
LOOKS = math.ceil(NotifySettings.model_fields["news_gap_seconds"].default) + 1  # looks a second apart that must agree
GOOD_PLAN_TEXT = "KẾ HOẠCH\nSố: 7/KH-UBND\nI. NHIỆM VỤ\n1. Rà soát dữ liệu dân cư.\n- Cơ quan chủ trì: Công an xã\n".encode()


@dataclass
class System:
    broker: str
    var: Path
    clients: dict
    apps: dict
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def module_broker(tmp_path_factory):
    """One broker for the module's one system (the catalogue's streams do not meet another test's)."""
    port = free_port()
    process = start_tansu("127.0.0.1", port, log=tmp_path_factory.mktemp("broker") / "tansu.log")
    yield f"127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(module_broker, tmp_path_factory):
    var = tmp_path_factory.mktemp("catalogue")
    clock = ManualClock(datetime(2023, 3, 20, 9, tzinfo=LOCAL_TZ))  # before every due date: no deadline work runs meanwhile
    apps = {
        "plans": await create_plans(settings_for(module_broker, var, "plans")),
        "tasks": await create_tasks(settings_for(module_broker, var, "tasks"), clock=clock),
        "reporting": await create_reporting(settings_for(module_broker, var, "reporting"), clock=clock),
        "notify": await create_notify(settings_for(module_broker, var, "notify"), clock=clock, mailer=MemoryMailer()),
    }
    async with AsyncExitStack() as stack:
        clients = {name: await stack.enter_async_context(running(app)) for name, app in apps.items()}
        tokens = await register_hierarchy(clients["plans"])
        assert (await clients["plans"].post("/plans", json=commune_plan(), headers=standing_body(clients["plans"]))).status_code == 201
        await eventually(lambda: _reporting_knows(clients["reporting"], "kh-32.1"), timeout=90, what="the plan's tasks in reporting")
        yield System(module_broker, var, clients, apps, tokens)


def test_the_catalogue_holds_at_least_sixty_distinct_bad_inputs():
    names = [r.case for r in HTTP] + [d.case for d in DOCUMENTS] + [f"cmd-{c}" for c, _, _ in commands({"tp-xa": "t", "vp-xa": "v"})] + \
        [f"event-{e[0]}" for e in EVENTS]
    assert len(names) == len(set(names)) == TOTAL >= 60


# -- what the stores hold ---------------------------------------------------------------------------------------
def store_contents(var: Path) -> dict[str, dict[str, tuple[int, str]]]:
    """Every table of every service's SQLite store: its row count and a digest of its rows."""
    contents = {}
    for service in SERVICES:
        db = sqlite3.connect(f"file:{var / service}.sqlite3?mode=ro", uri=True)
        try:
            tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            contents[service] = {t: _digest(db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()) for t in tables}
        finally:
            db.close()
    return contents


def _digest(rows: list) -> tuple[int, str]:
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


async def settled(system: System) -> dict:
    """The stores once looks a second apart agree for longer than notify holds news back before a digest pass
    (news_gap_seconds): what earlier inputs started has finished."""
    seen: list = []

    async def same_twice():
        seen.append(await asyncio.to_thread(store_contents, system.var))
        return len(seen) > LOOKS and all(look == seen[-1] for look in seen[-LOOKS - 1:]) and seen[-1]

    return await eventually(same_twice, timeout=90, interval=1, what="the four stores to settle")


def changed(before: dict, after: dict) -> list[str]:
    return [f"{service}.{table}: {before[service].get(table)} -> {rows}"
            for service in SERVICES for table, rows in after[service].items() if before[service].get(table) != rows]


async def _reporting_knows(reporting, task_id: str) -> bool:
    return (await reporting.get(f"/tasks/{task_id}")).status_code == 200


async def _reported_progress(system: System, task_id: str, progress: int) -> bool:
    task = (await system.clients["reporting"].get(f"/tasks/{task_id}")).json()
    return task.get("progress") == progress or task.get("last_report", {}).get("progress") == progress


# -- HTTP -------------------------------------------------------------------------------------------------------
async def send(system: System, row: Http):
    client = system.clients[row.service]
    if row.role is NOBODY:
        async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as anonymous:
            return await anonymous.request(row.method, row.path, json=row.json)
    headers = {"Authorization": f"Bearer {system.tokens[row.role]}"} if isinstance(row.role, str) else client.as_(*row.role)
    if row.path == "/drafts":
        return await client.post(row.path, data=row.form, files={"file": ("p.txt", GOOD_PLAN_TEXT)}, headers=headers)
    if row.content is not None:
        return await client.request(row.method, row.path, content=row.content, headers={**headers, "Content-Type": "application/json"})
    return await client.request(row.method, row.path, json=row.json, headers=headers)


@in_the_system
async def test_every_bad_http_request_gets_its_specific_problem_and_writes_nothing(system):
    before = await settled(system)
    wrong = []
    for row in HTTP:
        response = await send(system, row)
        body = response.json() if response.headers.get("content-type", "").startswith("application/problem+json") else None
        answer = (response.status_code, body and body.get("field"), body and body.get("detail"))
        if body is None or response.status_code != row.status or (row.field and body.get("field") != row.field) or \
                (row.words and row.words not in (body.get("detail") or "")):
            wrong.append(f"{row.case}: expected {row.status} {row.field or row.words!r}, got {answer} {response.text[:200]!r}")
    assert not wrong, "\n".join(wrong)
    assert changed(before, await settled(system)) == []  # nothing half-written
    good = await system.clients["tasks"].post("/tasks/kh-32.1/status", json={"status": "in_progress", "progress": 30},
                                              headers={"Authorization": f"Bearer {system.tokens['ca-xa']}"})
    assert good.status_code in (200, 201, 202), good.text
    await eventually(lambda: _reported_progress(system, "kh-32.1", 30), timeout=60, what="the good report in reporting")


# -- the importer: the CLI and the upload --------------------------------------------------------------------------
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.case)
def test_every_bad_document_is_refused_by_the_import_command_with_its_reason(document: Document, tmp_path, capsys):
    path = tmp_path / document.filename
    path.write_bytes(document.data)
    assert tiendo(["plans", "import", str(path), "--json"]) == document.exit_code
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()  # one line
    assert line.startswith("tiendo plans import: ") and document.words in line, line
    assert captured.out == ""


@in_the_system
async def test_every_bad_document_uploaded_is_refused_on_its_file_and_stores_nothing(system):
    plans = system.clients["plans"]
    before = await settled(system)
    wrong = []
    for document in DOCUMENTS:
        response = await plans.post("/drafts", data={"unit_id": COMMUNE}, files={"file": (document.filename, document.data)},
                                    headers=standing_body(plans))
        body = response.json()
        if response.status_code != 422 or body.get("field") != "file" or document.words not in body.get("detail", ""):
            wrong.append(f"{document.case}: got {response.status_code} {response.text[:200]!r}")
    assert not wrong, "\n".join(wrong)
    assert changed(before, await settled(system)) == []
    good = await plans.post("/drafts", data={"unit_id": COMMUNE}, files={"file": ("p.txt", GOOD_PLAN_TEXT)}, headers=standing_body(plans))
    assert good.status_code == 201 and [t["lead"] for t in good.json()["tasks"]] == [["Công an xã"]]


# -- the command topic ----------------------------------------------------------------------------------------------
async def _dead_letters(broker: str, expected: dict[str, str | None]) -> dict | None:
    """key -> the dead letter of it from the expected consumer (any consumer when None); None until all are there."""
    found = {}
    for record in await read_dead_letters(broker):
        key, headers = (record.key or b"").decode(), {k: v.decode() for k, v in record.headers}
        if key in expected and expected[key] in (None, headers.get("consumer")):
            found[key] = (headers, record.value)
    return found if set(found) == set(expected) else None


@in_the_system
async def test_every_bad_command_is_dead_lettered_with_its_reason_no_token_kept_and_nothing_applied(system):
    rows = commands(system.tokens)
    before = await settled(system)
    for case, value, _ in rows:
        await asyncio.to_thread(produce, system.broker, TASKS_COMMANDS, value, f"cmd-{case}")
    expected = {f"cmd-{case}": words for case, _, words in rows}
    dead = await eventually(lambda: _dead_letters(system.broker, dict.fromkeys(expected, "tasks.commands")), timeout=180, interval=1,
                            what="every bad command on the dead-letter topic")
    wrong = []
    for key, words in expected.items():
        headers, value = dead[key]
        if not headers["error"].startswith(words):
            wrong.append(f"{key}: {headers['error']!r}")
        wrong += [f"{key}: carries a credential" for secret in system.tokens.values() if secret.encode() in value]
    assert not wrong, "\n".join(wrong)
    assert changed(before, await settled(system)) == []
    await asyncio.to_thread(produce, system.broker, TASKS_COMMANDS, command(system.tokens["tp-xa"], progress=60), "cmd-good")
    await eventually(lambda: _reported_progress(system, "kh-32.2", 60), timeout=60, what="the good command's report in reporting")


# -- the event topics -------------------------------------------------------------------------------------------------
@in_the_system
async def test_every_bad_event_is_dead_lettered_with_its_reason_and_nothing_is_applied(system):
    before = await settled(system)
    for case, topic, value, headers, _, _ in EVENTS:
        raw = value if isinstance(value, bytes) else json.dumps(value).encode()
        await asyncio.to_thread(produce, system.broker, topic, raw, f"catalogue-{case}", headers)
    expected = {f"catalogue-{case}": (consumer, words) for case, _, _, _, consumer, words in EVENTS if words}
    dead = await eventually(lambda: _dead_letters(system.broker, {key: consumer for key, (consumer, _) in expected.items()}),
                            timeout=180, interval=1, what="every bad record on the dead-letter topic")
    wrong = []
    for key, (_, words) in expected.items():
        headers, _ = dead[key]
        if words not in headers["error"]:
            wrong.append(f"{key}: {headers['consumer']} {headers['error']!r}")
    assert not wrong, "\n".join(wrong)
    assert changed(before, await settled(system)) == []  # nothing applied, nothing half-written (no task huge.1 anywhere)
    good = await system.clients["tasks"].post("/tasks/kh-32.1/status", json={"status": "in_progress", "progress": 70},
                                              headers={"Authorization": f"Bearer {system.tokens['ca-xa']}"})
    assert good.status_code in (200, 201, 202), good.text
    # the real next version of task-kh-32.1 still reaches reporting: "future-999" and "lying-headers" blocked nothing
    await eventually(lambda: _reported_progress(system, "kh-32.1", 70), timeout=60, what="the good report after the bad events")
    plans = system.clients["plans"]  # and a real plan still reaches tasks and reporting over the plans topic
    assert (await plans.post("/plans", json=commune_plan("kh-33"), headers=standing_body(plans))).status_code == 201
    await eventually(lambda: _reporting_knows(system.clients["reporting"], "kh-33.1"), timeout=60, what="the good plan after the bad events")
    assert (await system.clients["tasks"].get("/tasks/kh-33.1")).status_code == 200
    assert (await system.clients["tasks"].get("/tasks/kh-32.9")).status_code == 404  # the forged assignments made no task
