"""The cost of one small request through the HTTP stack every service shares, beside a bare ASGI app on the same server.

Servers (each its own process, as the services run: `install_tracing`, `tune_collector`, uvicorn at log level warning,
no broker: lifespan off):
  tasks      tasks' app on SQLite in a temporary folder, 6,000 tasks assigned (60 per lead agency);
  reporting  reporting's app on a projected national-shaped history (`--reporting-tasks`, bench/national_events.py);
  bare       a bare ASGI app answering, for each path, the very bytes (status, content type, body) the service answered.
A small keep-alive client in this process (`--concurrency` connections, prebuilt request bytes) sends, in alternating
rounds so all see the same load: a 1-item and a 6-item POST /status-reports (one agency each) and GET
/units/p00/summary (an administrator); the same requests to the bare app. Each server's CPU seconds come from
/proc/<pid>/stat over each phase: CPU-ms per request is the server's, not the client's.

--in-process: the same requests straight into each app's ASGI callable (no server, no socket), CPU-ms per request, and
a cProfile split by layer (cumulative CPU per request of each middleware, authentication, FastAPI's dependency solving
and body validation, the handler, the response encoding).
Prints one JSON object. Usage: python bench/http_stack.py [--requests 600] [--rounds 3] [--concurrency 4] [--in-process]
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
    return await create_app(settings(folder), clock=clock, store=store)


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


def status_requests(size: int, count: int, offset: int) -> list[tuple[str, str, dict, bytes]]:
    """`count` POST /status-reports of `size` items, each from the agency that leads them."""
    out = []
    for n in range(count):
        agency = (offset + n) % (TASKS // PER_AGENCY)
        first = agency * PER_AGENCY + (n // (TASKS // PER_AGENCY) * size) % (PER_AGENCY - size)
        body = json.dumps([{"task_id": f"t{t:06d}", "status": "in_progress", "progress": (offset + n) % 100}
                           for t in range(first, first + size)]).encode()
        out.append(("POST", "/status-reports", {"authorization": f"Bearer {token('agency', f'ca-xa-{agency}', TASKS_NOW)}",
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
    "post_6_items": ("tasks", lambda n, r: status_requests(6, n, r * n + 6)),
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


async def over_uvicorn(count: int, rounds: int, concurrency: int, reporting_tasks: int, http: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        servers = {kind: start(kind, folder, reporting_tasks, http) for kind in ("tasks", "reporting")}
        bare = None
        try:
            for process, port in servers.values():
                await wait_listening(port, process)
            phases = PHASES
            answers = {}
            for name, (kind, requests) in phases.items():
                reader, writer = await asyncio.open_connection("127.0.0.1", servers[kind][1])
                status, body = await exchange(reader, writer, wire(*requests(1, 99)[0]))
                writer.close()
                assert status == 200, body[:300]
                answers[name] = [status, "application/json", body.decode()]
            (folder / "answers.json").write_text(json.dumps(answers))
            bare = start("bare", folder, reporting_tasks, http)
            await wait_listening(bare[1], bare[0])
            servers["bare"] = bare
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
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=30)
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


async def in_process(count: int, reporting_tasks: int) -> dict:
    from services.runtime.telemetry import install_tracing

    install_tracing("bench")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        apps = {"tasks": await tasks_app(Path(tmp)), "reporting": await reporting_app(Path(tmp), reporting_tasks)}
        for name, (kind, make) in PHASES.items():
            batch = make(count, 3)
            started = time.process_time()
            for request in batch:
                status, body = await asgi_call(apps[kind], *request)
                assert status == 200, body[:300]
            plain = time.process_time() - started
            batch = make(count, 4)
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
                    layers[layer] = round(cumulative / count * 1000, 3)
            endpoint = layers.get("the route's function (handler, its reads and writes)", 0)
            out[name] = {"cpu_ms_per_request": round(plain / count * 1000, 3), "profiled_cpu_ms_per_request": round(total / count * 1000, 3),
                         "profiled_share_beyond_the_route_function": round(1 - endpoint / (total / count * 1000), 3),
                         "cumulative_cpu_ms_per_request_by_layer_profiled": layers}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600, help="per phase and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--reporting-tasks", type=int, default=3_400)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--http", default="auto", choices=("auto", "h11", "httptools"), help="uvicorn's HTTP parser (auto: httptools when installed)")
    parser.add_argument("--serve", choices=("tasks", "reporting", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, Path(args.folder), args.port, args.reporting_tasks, args.http)
    load_before = [round(x, 2) for x in os.getloadavg()]
    result = asyncio.run(in_process(args.requests, args.reporting_tasks) if args.in_process
                         else over_uvicorn(args.requests, args.rounds, args.concurrency, args.reporting_tasks, args.http))
    try:
        import httptools  # noqa: F401
        http_impl = "httptools" if args.http != "h11" else "h11"
    except ImportError:
        http_impl = "h11"
    print(json.dumps({"benchmark": "http_stack_in_process" if args.in_process else "http_stack_uvicorn",
                      "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "python": platform.python_version(),
                      "uvicorn_http": http_impl, "concurrency": args.concurrency,
                      "load_average_before_after": [load_before, [round(x, 2) for x in os.getloadavg()]], **result}, indent=1))


if __name__ == "__main__":
    main()
