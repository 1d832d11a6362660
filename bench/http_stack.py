"""The cost of one small request through the HTTP stack every service shares, beside a bare ASGI app on the same server.

Servers (each its own process, as the services run: `install_tracing`, `tune_collector`, uvicorn at log level warning,
no broker: lifespan off):
  tasks      tasks' app on SQLite in a temporary folder, 6,000 tasks assigned (60 per lead agency);
  reporting  reporting's app on a projected national-shaped history (`--reporting-tasks`, bench/national_events.py);
  bare       a bare ASGI app answering, for each path, the very bytes (status, content type, body) the service answered.
A small keep-alive client in this process (`--concurrency` connections, prebuilt request bytes) sends, in alternating
rounds so all see the same load: POST /status-reports of 1 and 17 items (each from the commune agency leading them) and
of 500 items (from a province agency leading 2,000 tasks: the largest batch an agency system may send), the same on
unknown task ids (`post_*_unknown`: every item answered 404 after one read, nothing written, so nearly all request
stack), GET /tasks/{id} and GET /units/p00/summary (an administrator); the same requests to the bare app. Each server's CPU seconds come from
/proc/<pid>/stat over each phase: CPU-ms per request is the server's, not the client's. `--phases` picks some.

--profile: one round of the tasks phases with py-spy (from this venv) attached to the tasks server; prints, per phase,
the share of the server's samples in each layer (the innermost layer a sample's stack passes through): the ASGI server
and event loop, each middleware, FastAPI's routing and dependency solving, authentication, reading and validating the
body, the handler, the response encoding.

--in-process: the same requests straight into each app's ASGI callable (no server, no socket), CPU-ms per request; for
the POSTs also the handler alone on requests of the same shape (report_statuses in its transaction, bodies parsed
beforehand), alternating three times with the requests on the same store, so the request stack's CPU is the
difference; and a cProfile split by layer (cumulative CPU per request of each middleware, authentication, FastAPI's
dependency solving and body validation, the handler, the response encoding).
Prints one JSON object. Usage: python bench/http_stack.py [--requests 600] [--rounds 3] [--concurrency 4] [--phases a,b]
[--in-process | --profile]
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import itertools
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from services.runtime.broker import free_port  # noqa: E402
from services.runtime.clock import LOCAL_TZ, ManualClock  # noqa: E402
from services.runtime.credentials import issue_token  # noqa: E402
from services.runtime.settings import ServiceSettings  # noqa: E402

SECRET = "bench-http-stack-secret-of-this-run-only"
TASKS, PER_AGENCY = 6_000, 60
PROVINCE_TASKS, PROVINCE_AGENCY, LARGEST_BATCH = 2_000, "ca-tinh", 500  # one agency leading 2,000 tasks, batches of 500
TASKS_NOW = datetime(2026, 3, 20, 9, tzinfo=LOCAL_TZ)
REPORTING_NOW = datetime(2026, 12, 20, 9, tzinfo=LOCAL_TZ)
SUMMARY = "/units/p00/summary"


def settings(folder: Path) -> ServiceSettings:
    return ServiceSettings(environment="test", token_secret=SECRET, store_url=f"sqlite:///{folder}/unused.sqlite3",
                           rate_per_second=1e9, rate_burst=1_000_000_000)


async def tasks_app(folder: Path):
    from deadlines import assignments
    from services.runtime.eventlog import EventLog
    from services.runtime.sqlite_store import SqliteStore
    from services.tasks.bootstrap import INDEXES, create_app
    from services.tasks.handlers.assign import accept_assignments

    store, clock = SqliteStore(folder / "tasks.sqlite3", INDEXES), ManualClock(TASKS_NOW)
    events = EventLog(store, clock)
    for start in range(0, TASKS, 1000):
        await accept_assignments(assignments(start, min(1000, TASKS - start), clock.now()), store, events)
    await accept_assignments([led_by(e, PROVINCE_AGENCY) for e in assignments(TASKS, PROVINCE_TASKS, clock.now())], store, events)
    return await create_app(settings(folder), clock=clock, store=store)


def led_by(event, agency: str):
    """The same assignment with another lead agency."""
    from schemas.catalog import Event

    envelope = event.envelope.model_copy(update={"payload": {**event.envelope.payload, "lead": agency}})
    return Event(envelope, event.payload.model_copy(update={"lead": agency}))


async def reporting_app(folder: Path, tasks: int):
    from national_events import history
    from services.reporting.bootstrap import INDEXES, create_app
    from services.reporting.handlers.project import project, write_memory
    from services.reporting.handlers.repository.counters import Memory
    from services.runtime.sqlite_store import SqliteStore

    store, memory, source = SqliteStore(folder / "reporting.sqlite3", INDEXES), Memory(), history(tasks)
    while batch := list(itertools.islice(source, 500)):
        await project(batch, store, memory=memory)
    async with store.bulk_load():
        await write_memory(store, memory)
    return await create_app(settings(folder), store=store, clock=ManualClock(REPORTING_NOW))


def bare_app(answers: dict[str, list]):
    """Reads the request body, answers the bytes the service answered in the same phase (x-bench-phase): the server's
    own floor."""
    prepared = {}
    for path, (status, kind, text) in answers.items():
        body = text.encode()
        prepared[path] = (status, [(b"content-type", kind.encode()), (b"content-length", str(len(body)).encode())], body)

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        phase = next((v.decode() for k, v in scope["headers"] if k == b"x-bench-phase"), "")
        status, headers, body = prepared.get(phase, (200, [(b"content-length", b"2")], b"{}"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


async def build(kind: str, folder: Path, reporting_tasks: int):
    if kind == "tasks":
        return await tasks_app(folder)
    if kind == "reporting":
        return await reporting_app(folder, reporting_tasks)
    return bare_app(json.loads((folder / "answers.json").read_text()))


def serve(kind: str, folder: Path, port: int, reporting_tasks: int, http: str) -> None:
    """A server process, as services.runtime.entry.serve runs one (no broker)."""
    import uvicorn

    from services.runtime.entry import tune_collector
    from services.runtime.telemetry import install_tracing

    install_tracing(kind)

    async def run() -> None:
        app = await build(kind, folder, reporting_tasks)
        tune_collector()
        await uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", http=http)).serve()

    asyncio.run(run())


@functools.cache
def token(role: str, subject: str, now: datetime) -> str:
    """One key per agency, sent with each of its requests, as an agency system does."""
    return issue_token(SECRET, role, subject, now=now - timedelta(hours=1), valid_for=timedelta(days=2))[0]


def status_requests(size: int, count: int, offset: int, unknown: bool = False) -> list[tuple[str, str, dict, bytes]]:
    """`count` POST /status-reports of `size` items, each from the agency that leads them (a commune's agency leads 60
    tasks; batches larger than that come from the province agency). `unknown`: the same requests on task ids that do not
    exist, each item answered 404 after one indexed read and nothing written: the request stack nearly alone."""
    out = []
    for n in range(count):
        if size < PER_AGENCY:
            agency = (offset + n) % (TASKS // PER_AGENCY)
            lead, first = f"ca-xa-{agency}", agency * PER_AGENCY + (n // (TASKS // PER_AGENCY) * size) % (PER_AGENCY - size)
        else:
            lead, first = PROVINCE_AGENCY, TASKS + ((offset + n) * size) % (PROVINCE_TASKS - size + 1)
        body = json.dumps([{"task_id": f"{'u' if unknown else 't'}{t:06d}", "status": "in_progress", "progress": (offset + n) % 100}
                           for t in range(first, first + size)]).encode()
        out.append(("POST", "/status-reports", {"authorization": f"Bearer {token('agency', lead, TASKS_NOW)}",
                                                "content-type": "application/json"}, body))
    return out


def task_requests(count: int, offset: int) -> list[tuple[str, str, dict, bytes]]:
    """GET /tasks/{id} by its lead agency: the credential, one document read, the answer; nearly all request stack."""
    out = []
    for n in range(count):
        agency = (offset + n) % (TASKS // PER_AGENCY)
        out.append(("GET", f"/tasks/t{agency * PER_AGENCY:06d}", {"authorization": f"Bearer {token('agency', f'ca-xa-{agency}', TASKS_NOW)}"}, b""))
    return out


def summary_requests(count: int) -> list[tuple[str, str, dict, bytes]]:
    admin = {"authorization": f"Bearer {token('administrator', 'bench', REPORTING_NOW)}"}
    return [("GET", SUMMARY, admin, b"")] * count


PHASES = {  # name → (server, the phase's `n` requests in round `r`)
    "post_1_item": ("tasks", lambda n, r: status_requests(1, n, r * n + 1)),
    "post_17_items": ("tasks", lambda n, r: status_requests(17, n, r * n + 17)),
    "post_500_items": ("tasks", lambda n, r: status_requests(LARGEST_BATCH, max(4, n // 25), r * n)),  # 25× fewer requests
    "post_1_unknown": ("tasks", lambda n, r: status_requests(1, n, r * n + 1, unknown=True)),
    "post_17_unknown": ("tasks", lambda n, r: status_requests(17, n, r * n + 17, unknown=True)),
    "post_500_unknown": ("tasks", lambda n, r: status_requests(LARGEST_BATCH, max(4, n // 25), r * n, unknown=True)),
    "get_task": ("tasks", lambda n, r: task_requests(n, r * n)),
    "get_summary": ("reporting", lambda n, r: summary_requests(n)),
}


def wire(method: str, path: str, headers: dict, body: bytes, phase: str = "") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "host: 127.0.0.1", f"content-length: {len(body)}", f"x-bench-phase: {phase}",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    return status, await reader.readexactly(length)


async def drive(port: int, requests: list[bytes], concurrency: int, expect: int) -> None:
    queue = iter(requests)

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for request in queue:
            status, body = await exchange(reader, writer, request)
            assert status == expect, (status, body[:300])
        writer.close()

    await asyncio.gather(*(connection() for _ in range(concurrency)))


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_listening(port: int, process: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server exited with {process.returncode}"
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.2)  # polling with a deadline for another process to listen
    raise TimeoutError(f"nothing listening on {port}")


def start(kind: str, folder: Path, reporting_tasks: int, http: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--folder", str(folder), "--port", str(port),
                                "--reporting-tasks", str(reporting_tasks), "--http", http])
    return process, port


async def over_uvicorn(phases: dict, count: int, rounds: int, concurrency: int, reporting_tasks: int, http: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        servers = {kind: start(kind, folder, reporting_tasks, http) for kind in {kind for kind, _ in phases.values()}}
        try:
            for process, port in servers.values():
                await wait_listening(port, process)
            answers = {}
            for name, (kind, requests) in phases.items():
                status, body = await one(servers[kind][1], wire(*requests(1, 99)[0]))
                assert status == 200, body[:300]
                answers[name] = [status, "application/json", body.decode()]
            (folder / "answers.json").write_text(json.dumps(answers))
            servers["bare"] = start("bare", folder, reporting_tasks, http)
            await wait_listening(servers["bare"][1], servers["bare"][0])
            totals = {f"{name}{side}": [0, 0.0, 0.0] for name in phases for side in ("", "_bare")}
            for round_ in range(rounds):
                for name, (kind, make) in phases.items():
                    batch = make(count, round_)
                    for side, target in (("", kind), ("_bare", "bare")):
                        process, port = servers[target]
                        requests = [wire(*r, phase=name) for r in batch]
                        cpu, wall = cpu_of(process.pid), time.perf_counter()
                        await drive(port, requests, concurrency, 200)
                        total = totals[name + side]
                        total[0] += len(requests)
                        total[1] += time.perf_counter() - wall
                        total[2] += cpu_of(process.pid) - cpu
        finally:
            stop(servers)
    out = {}
    for name in phases:
        row = {}
        for side in ("", "_bare"):
            n, wall, cpu = totals[name + side]
            row["service" if not side else "bare_asgi_same_bytes"] = {"requests": n, "requests_per_s": round(n / wall), "wall_s": round(wall, 2),
                                                                     "server_cpu_s": round(cpu, 2), "server_cpu_ms_per_request": round(cpu / n * 1000, 3)}
        row["service_cpu_ms_beyond_bare"] = round(row["service"]["server_cpu_ms_per_request"] - row["bare_asgi_same_bytes"]["server_cpu_ms_per_request"], 3)
        out[name] = row
    return out


async def one(port: int, request: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await exchange(reader, writer, request)
    finally:
        writer.close()


def stop(servers: dict) -> None:
    for process, _ in servers.values():
        process.terminate()
        process.wait(timeout=30)


# py-spy's frames, innermost first: the first rule a frame matches names the layer of the sample (file fragment, function
# or "*"). A sample matching none is the ASGI server's and the event loop's (uvicorn, httptools, asyncio), as is one whose
# innermost known frame is theirs (writing the response to the socket from the middlewares' `send`).
SERVER_LAYER = "ASGI server and event loop (uvicorn, httptools, asyncio)"
PROFILE_LAYERS = [
    (SERVER_LAYER, [("uvicorn/", "*"), ("asyncio/", "*"), ("httptools/", "*"), ("h11/", "*")]),
    ("response encoding", [("fastapi/routing.py", "serialize_response"), ("fastapi/encoders.py", "*"), ("starlette/responses.py", "*"),
                           ("tasks/entrypoints/http.py", "_encoded"), ("tasks/entrypoints/http.py", "answered")]),
    ("body validation (pydantic)", [("fastapi/dependencies/utils.py", "request_body_to_args"), ("fastapi/dependencies/utils.py", "_validate_value_with_model_field"),
                                    ("pydantic/type_adapter.py", "*"), ("fastapi/_compat", "*"), ("services/runtime/http.py", "json_body"),
                                    ("services/runtime/http.py", "_validated")]),
    ("body read and JSON decoding", [("starlette/requests.py", "body"), ("starlette/requests.py", "json"), ("starlette/requests.py", "stream"),
                                     ("json/__init__.py", "loads"), ("email/", "*")]),
    ("the handler (decide, append, snapshots, commit)", [("services/tasks/handlers/", "*"), ("services/runtime/sqlite_store.py", "*"),
                                                         ("services/runtime/eventlog.py", "*"), ("services/runtime/events.py", "*"),
                                                         ("services/runtime/sqlite_documents.py", "*")]),
    ("authentication, role, rate limit", [("services/runtime/auth/", "*"), ("services/runtime/limits.py", "take"), ("jwt/", "*")]),
    ("the route's function (rest)", [("fastapi/routing.py", "run_endpoint_function"), ("services/tasks/entrypoints/http", "*"),
                                     ("services/runtime/http.py", "handle")]),
    ("FastAPI dependency solving", [("fastapi/dependencies/", "*"), ("services/tasks/entrypoints/deps.py", "*"), ("services/runtime/http.py", "*")]),
    ("routing (path match, FastAPI's request handler)", [("fastapi/routing.py", "*"), ("starlette/routing.py", "*"), ("fastapi/applications.py", "*"),
                                                         ("starlette/applications.py", "*"), ("starlette/_exception_handler.py", "*")]),
    ("problem handlers", [("services/runtime/problems.py", "*")]),
    ("middleware: idempotency", [("services/runtime/idempotency.py", "*")]),
    ("middleware: tracing", [("services/runtime/telemetry.py", "*"), ("opentelemetry/", "*")]),
    ("middleware: body limit, parameter bounds", [("services/runtime/limits.py", "*")]),
    ("middleware: starlette's errors and exceptions", [("starlette/middleware/", "*")]),
]


def layer_of(stack: list[tuple[str, str]]) -> str:
    for function, file in reversed(stack):  # innermost first
        for layer, rules in PROFILE_LAYERS:
            if any(fragment in file and what in ("*", function) for fragment, what in rules):
                return layer
    return SERVER_LAYER


def layer_shares(raw: str) -> dict:
    """Share of samples per layer from py-spy's raw (collapsed) output: 'frame;frame;… count', frames 'function (file:line)'."""
    counts: dict[str, int] = {}
    for line in raw.splitlines():
        frames, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        stack = []
        for frame in frames.split(";"):
            function, _, rest = frame.partition(" (")
            stack.append((function, rest.rsplit(":", 1)[0]))
        layer = layer_of(stack)
        counts[layer] = counts.get(layer, 0) + int(count)
    total = sum(counts.values()) or 1
    return {"samples": total, "percent_by_layer": {k: round(100 * v / total, 1) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])}}


async def profiled(phases: dict, count: int, concurrency: int, http: str, rate: int, keep: str | None) -> dict:
    """One round of the tasks phases with py-spy recording the tasks server (not the bare app): where its CPU goes."""
    spy = Path(sys.executable).with_name("py-spy")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        servers = {"tasks": start("tasks", folder, 0, http)}
        try:
            await wait_listening(servers["tasks"][1], servers["tasks"][0])
            for name, (kind, make) in phases.items():
                if kind != "tasks":
                    continue
                requests = [wire(*r, phase=name) for r in make(count, 5)]
                await drive(servers["tasks"][1], requests[:concurrency * 2], concurrency, 200)  # warm
                output = folder / f"{name}.txt"
                recorder = subprocess.Popen([str(spy), "record", "--pid", str(servers["tasks"][0].pid), "--rate", str(rate), "--format", "raw",
                                             "--output", str(output), "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                await asyncio.sleep(1.0)  # py-spy attaches; no event to wait on from another process's ptrace
                cpu = cpu_of(servers["tasks"][0].pid)
                await drive(servers["tasks"][1], requests, concurrency, 200)
                cpu = cpu_of(servers["tasks"][0].pid) - cpu
                recorder.send_signal(2)  # SIGINT: py-spy writes what it recorded
                recorder.wait(timeout=60)
                if keep:
                    shutil.copy(output, Path(keep) / output.name)
                out[name] = {"requests": len(requests), "server_cpu_ms_per_request_while_profiled": round(cpu / len(requests) * 1000, 3),
                             **layer_shares(output.read_text())}
        finally:
            stop(servers)
    return out


async def asgi_call(app, method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    """One request straight into the ASGI app, as a server would hand it over."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http", "path": path,
             "raw_path": path.encode(), "query_string": b"", "root_path": "", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1),
             "headers": [(k.encode(), v.encode()) for k, v in headers.items()] + [(b"content-length", str(len(body)).encode())]}
    sent, answer = False, {"body": b""}

    async def receive():
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # a client that neither sends more nor leaves
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        else:
            answer["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return answer["status"], answer["body"]


LAYERS = {  # (file fragment, function name) → layer, cumulative CPU per request in cProfile
    "IdempotencyMiddleware": ("idempotency.py", "__call__"), "TracingMiddleware": ("telemetry.py", "__call__"),
    "BodyLimit": ("limits.py", "__call__", "BodyLimit"), "ParameterBounds": ("limits.py", "__call__", "ParameterBounds"), "starlette ServerErrorMiddleware": ("errors.py", "__call__"),
    "starlette ExceptionMiddleware": ("exceptions.py", "__call__"),
    "dependencies (solve_dependencies, incl. auth and the body)": ("dependencies/utils.py", "solve_dependencies"),
    "authentication (authenticate)": ("gate.py", "authenticate"), "token verification (verify_token)": ("credentials.py", "verify_token"),
    "revocation lookup (revoked_since)": ("revocations.py", "revoked_since"), "rate limit (TokenBuckets.take)": ("limits.py", "take"),
    "request body read + JSON parse (FastAPI)": ("routing.py", "_extract_endpoint_context"),
    "body validation (request_body_to_args)": ("dependencies/utils.py", "request_body_to_args"),
    "the route's function (handler, its reads and writes)": ("fastapi/routing.py", "run_endpoint_function"),
    "handler: report_statuses": ("report.py", "report_statuses"), "handler: unit_summary (views)": ("views.py", "unit_summary"),
    "response encoding (serialize_response)": ("routing.py", "serialize_response"), "jsonable_encoder": ("encoders.py", "jsonable_encoder"),
    "tracing span start (start_span)": ("trace/__init__.py", "start_span"),
}


def _first_line(owner: str) -> int | None:
    """Where `owner.__call__` starts in services/runtime/limits.py (two middlewares share the file and the name)."""
    from services.runtime import limits

    kind = getattr(limits, owner, None)
    return kind.__call__.__code__.co_firstlineno if kind else -1


ALTERNATIONS = 3


async def handler_alone(app, requests: list) -> float:
    """CPU seconds of the route's work alone for these POST /status-reports (report_statuses in one transaction, its
    commit included), the bodies parsed and the credentials read beforehand: the request minus its HTTP stack."""
    from schemas.tasks import TaskStatusReport
    from services.runtime.credentials import verify_token
    from services.runtime.events import Cause
    from services.tasks.handlers.report import report_statuses

    rt = app.state.runtime
    parsed = [([TaskStatusReport.model_validate(i) for i in json.loads(body)], verify_token(SECRET, headers["authorization"][7:], TASKS_NOW).subject)
              for _, _, headers, body in requests]
    started = time.process_time()
    for items, agency in parsed:
        async with rt.store.transaction():
            await report_statuses(items, agency, rt.store, rt.events, rt.clock, Cause(f"agency:{agency}", "bench"))
    return time.process_time() - started


async def in_process(phases: dict, count: int, reporting_tasks: int) -> dict:
    from services.runtime.telemetry import install_tracing

    install_tracing("bench")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        kinds = {kind for kind, _ in phases.values()}
        apps = {"tasks": await tasks_app(Path(tmp)) if "tasks" in kinds else None,
                "reporting": await reporting_app(Path(tmp), reporting_tasks) if "reporting" in kinds else None}
        for name, (kind, make) in phases.items():
            plain, alone = 0.0, (0.0 if name.startswith("post_") else None)
            for turn in range(ALTERNATIONS):  # the requests and the handler alone, alternating, on the same store
                batch = make(count, 10 + 2 * turn)
                started = time.process_time()
                for request in batch:
                    status, body = await asgi_call(apps[kind], *request)
                    assert status == 200, body[:300]
                plain += time.process_time() - started
                if alone is not None:
                    alone += await handler_alone(apps[kind], make(count, 11 + 2 * turn))
            batch = make(count, 4)
            per = len(batch) * ALTERNATIONS
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for request in batch:
                await asgi_call(apps[kind], *request)
            profiler.disable()
            stats = pstats.Stats(profiler).stats
            total = sum(v[2] for v in stats.values())
            layers = {}
            for layer, (fragment, function, *owner) in LAYERS.items():
                line = _first_line(*owner) if owner else None
                cumulative = sum(v[3] for (file, at, func), v in stats.items()
                                 if func == function and file.endswith(fragment) and line in (None, at))
                if cumulative:
                    layers[layer] = round(cumulative / len(batch) * 1000, 3)
            endpoint = layers.get("the route's function (handler, its reads and writes)", 0)
            if alone is not None:
                out[name] = {"handler_alone_cpu_ms_per_request": round(alone / per * 1000, 3),
                             "request_stack_cpu_ms_per_request": round((plain - alone) / per * 1000, 3)}
            out[name] = {**out.get(name, {}), "cpu_ms_per_request": round(plain / per * 1000, 3), "profiled_cpu_ms_per_request": round(total / len(batch) * 1000, 3),
                         "profiled_share_beyond_the_route_function": round(1 - endpoint / (total / len(batch) * 1000), 3),
                         "cumulative_cpu_ms_per_request_by_layer_profiled": layers}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600, help="per phase and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--reporting-tasks", type=int, default=3_400)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--profile", action="store_true", help="py-spy on the tasks server: share of samples per layer")
    parser.add_argument("--profile-rate", type=int, default=200)
    parser.add_argument("--profile-keep", help="a folder to keep py-spy's raw stacks in")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"some of {','.join(PHASES)}")
    parser.add_argument("--http", default="auto", choices=("auto", "h11", "httptools"), help="uvicorn's HTTP parser (auto: httptools when installed)")
    parser.add_argument("--serve", choices=("tasks", "reporting", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, Path(args.folder), args.port, args.reporting_tasks, args.http)
    load_before = [round(x, 2) for x in os.getloadavg()]
    phases = {name: PHASES[name] for name in args.phases.split(",")}
    if args.profile:
        result = asyncio.run(profiled(phases, args.requests, args.concurrency, args.http, args.profile_rate, args.profile_keep))
    elif args.in_process:
        result = asyncio.run(in_process(phases, args.requests, args.reporting_tasks))
    else:
        result = asyncio.run(over_uvicorn(phases, args.requests, args.rounds, args.concurrency, args.reporting_tasks, args.http))
    try:
        import httptools  # noqa: F401
        http_impl = "httptools" if args.http != "h11" else "h11"
    except ImportError:
        http_impl = "h11"
    kind = "http_stack_profile" if args.profile else "http_stack_in_process" if args.in_process else "http_stack_uvicorn"
    print(json.dumps({"benchmark": kind,
                      "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "python": platform.python_version(),
                      "uvicorn_http": http_impl, "concurrency": args.concurrency,
                      "load_average_before_after": [load_before, [round(x, 2) for x in os.getloadavg()]], **result}, indent=1))


if __name__ == "__main__":
    main()
