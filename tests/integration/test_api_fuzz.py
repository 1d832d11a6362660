"""schemathesis over the OpenAPI document of every service: no answer is a server error, every answer is one the
document declares (status code and body schema).

The four services run in this process on loopback ports, on the real bundled broker, as one system (plans is fuzzed
first, so what it accepts reaches tasks, reporting and notify as events). Each operation is called with a credential of
the role its `security` declares. Generation is derandomized and bounded (EXAMPLES per operation, no shrinking), so
the run is the same every time and takes a few minutes at most.
"""
from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
import schemathesis
import uvicorn
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from schemas.rejections import NotFound
from services.notify.bootstrap import create_app as create_notify
from services.notify.settings import NotifySettings
from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.runtime.broker import free_port, start_tansu
from services.runtime.problems import install_problem_handlers
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.auth import ServiceClient, mint
from tests.support.services import settings_for

EXAMPLES = int(os.environ.get("TIENDO_FUZZ_EXAMPLES", "20"))  # per operation and mode; more for a longer exploration by hand
MODES = [GenerationMode(m) for m in os.environ.get("TIENDO_FUZZ_MODES", "positive").split(",")]  # "positive,negative" by hand
SERVICES = ("plans", "tasks", "reporting", "notify")
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
# whom each role's credential names: the unit and agency are registered before the fuzzing starts
SUBJECTS = {"administrator": "fuzz-admin", "standing_body": "fuzz-unit", "viewer": "fuzz-unit", "agency": "fuzz-agency"}
UNLIMITED = dict(rate_per_second=1e6, rate_burst=10**6)


@dataclass
class System:
    urls: dict[str, str]
    secret: str
    servers: list[uvicorn.Server] = field(default_factory=list)


async def _start(broker: str, tmp_path: Path, system_ready: threading.Event, holder: dict) -> None:
    ports = {name: free_port() for name in SERVICES}
    common = lambda name: settings_for(broker, tmp_path, name, **UNLIMITED)  # noqa: E731
    apps = {
        "plans": await create_plans(common("plans")),
        "tasks": await create_tasks(common("tasks")),
        "reporting": await create_reporting(common("reporting")),
        "notify": await create_notify(NotifySettings(**common("notify").model_dump(), smtp_port=free_port(),
                                                     public_url=f"http://127.0.0.1:{ports['notify']}")),
    }
    servers = [uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=ports[name], log_level="warning", lifespan="on"))
               for name, app in apps.items()]
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    deadline = asyncio.get_running_loop().time() + 60
    while not all(s.started for s in servers):
        if asyncio.get_running_loop().time() > deadline or any(t.done() for t in tasks):
            raise RuntimeError("the services did not start listening within 60 s")
        await asyncio.sleep(0.05)
    await _seed(f"http://127.0.0.1:{ports['plans']}", apps["plans"].state.runtime.settings.token_secret)
    holder.update(urls={n: f"http://127.0.0.1:{p}" for n, p in ports.items()}, servers=servers)
    system_ready.set()
    await asyncio.gather(*tasks)


async def _seed(plans_url: str, secret: str) -> None:
    """The unit and agency the standing body's, viewer's and agency's credentials name, so their calls get past scope checks."""
    async with ServiceClient(secret, base_url=plans_url) as plans:
        unit = {"unit_id": SUBJECTS["standing_body"], "name": "Tỉnh Thử Nghiệm", "level": "province"}
        agency = {"agency_id": SUBJECTS["agency"], "unit_id": unit["unit_id"], "name": "Công an tỉnh Thử Nghiệm",
                  "head_title": "Giám đốc Công an tỉnh", "standing_body": True}
        (await plans.post("/units", json=unit)).raise_for_status()
        (await plans.post("/agencies", json=agency)).raise_for_status()


@pytest.fixture(scope="module")
def system(tmp_path_factory) -> Iterator[System]:
    tmp_path = tmp_path_factory.mktemp("fuzz")
    port = free_port()
    broker = start_tansu("127.0.0.1", port, log=tmp_path / "tansu.log")
    loop, ready, holder, failure = asyncio.new_event_loop(), threading.Event(), {}, []

    def run() -> None:
        try:
            loop.run_until_complete(_start(f"127.0.0.1:{port}", tmp_path, ready, holder))
        except BaseException as error:  # reported by the fixture, not lost in the thread
            failure.append(error)
            ready.set()

    thread = threading.Thread(target=run, name="fuzzed-services", daemon=True)
    thread.start()
    ready.wait(timeout=120)
    try:
        if failure or not holder:
            raise RuntimeError(f"the services did not start: {failure}")
        secret = settings_for(f"127.0.0.1:{port}", tmp_path, "x").token_secret
        yield System(holder["urls"], secret, holder["servers"])
    finally:
        for server in holder.get("servers", []):
            server.should_exit = True
        thread.join(timeout=60)
        os.killpg(broker.pid, signal.SIGTERM)
        broker.wait(timeout=10)


def credential_for(operation: Any, secret: str) -> dict[str, str]:
    """The Authorization header of a role the operation's `security` accepts: an administrator's where allowed (the
    widest view), else the first role named; none for a public operation."""
    requirements = operation.definition.raw.get("security") or []
    scopes = next((scopes for requirement in requirements for scopes in requirement.values()), None)
    if scopes is None:
        return {}
    role = "administrator" if not scopes or "administrator" in scopes else scopes[0]
    return {"Authorization": f"Bearer {mint(secret, role, SUBJECTS[role])}"}


def documented_as_json(operation: Any) -> bool:
    """Whether the operation answers JSON: pages and downloads (text/html, application/pdf …) are left out of the
    response schema check only."""
    responses = operation.definition.raw.get("responses", {})
    success = [r for code, r in responses.items() if str(code).startswith("2")]
    media = {m for r in success for m in (r.get("content") or {"application/json": {}})}
    return any(m.endswith("json") for m in media) or not media


@dataclass
class Tally:
    operations: int = 0
    cases: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # the first of each kind (operation, check, status)


def fuzz(schema: Any, base_url: str, secret: str, tally: Tally) -> None:
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        tally.operations += 1
        headers = credential_for(operation, secret)
        checks = CHECKS if documented_as_json(operation) else [c for c in CHECKS if c is not response_schema_conformance]
        for mode in MODES:
            try:
                exercise(operation.as_strategy(generation_mode=mode), base_url, session, headers, checks, tally, operation.label)
            except Unsatisfiable:  # no invalid request can be made for an operation without parameters
                assert mode == GenerationMode.NEGATIVE, operation.label


def exercise(cases: Any, base_url: str, session: requests.Session, headers: dict, checks: list, tally: Tally, label: str) -> None:
    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases)
    def call(case) -> None:
        tally.cases += 1
        try:
            case.call_and_validate(base_url=base_url, session=session, headers=headers, checks=checks, timeout=30)
        except (AssertionError, FailureGroup, Failure) as error:  # keep going: report every failing operation at the end
            for failure in error.exceptions if isinstance(error, FailureGroup) else [error]:
                kind = f"{label}: {type(failure).__name__} {getattr(failure, 'status_code', '')}".strip()
                tally.failures.setdefault(kind, f"{kind}: {str(failure).strip()[:800]}")

    call()


@pytest.mark.timeout(900)
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")  # schemathesis' own strategies
@pytest.mark.parametrize("service", SERVICES)
def test_no_operation_answers_a_server_error_or_outside_its_documented_schema(system, service):
    schema = schemathesis.openapi.from_url(f"{system.urls[service]}/openapi.json")
    tally, started = Tally(), time.monotonic()
    fuzz(schema, system.urls[service], system.secret, tally)
    print(f"\n{service}: {tally.operations} operations, {tally.cases} cases, {len(tally.failures)} kinds of failure, "
          f"{time.monotonic() - started:.0f} s")
    assert tally.operations > 0 and tally.cases >= tally.operations
    assert tally.failures == {}, "\n\n".join(tally.failures.values())


def test_the_fuzzing_reports_a_server_error_and_an_undocumented_refusal():
    """The harness itself: an app that fails on odd numbers and refuses even ones with an undocumented 404."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/things/{n}")
    async def thing(n: int) -> dict:
        if n % 2:
            raise RuntimeError("boom")
        raise NotFound(f"no thing {n}")

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="faulty-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.02)
    try:
        tally = Tally()
        fuzz(schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/openapi.json"), f"http://127.0.0.1:{port}", "-", tally)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    kinds = " ".join(tally.failures)
    assert tally.operations == 1 and "ServerError" in kinds and "UndefinedStatusCode 404" in kinds
