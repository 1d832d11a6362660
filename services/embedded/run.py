"""`tiendo run`: the whole system on one machine, until Ctrl-C."""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

import httpx

from services.embedded.demo import PROVINCE, load_demo
from services.embedded.processes import SERVICES, Layout, ProcessGroup
from services.embedded.supervisor import Supervisor


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tiendo run", description="Run tiendo embedded: broker, SMTP sink, four services.")
    parser.add_argument("--var", default="var", help="data folder (default ./var)")
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    parser.add_argument("--port-offset", type=int, default=0, help="add this to every port (when the defaults are taken)")
    args = parser.parse_args(argv)
    layout = Layout(var=Path(args.var).resolve()).shifted(args.port_offset)
    group = ProcessGroup(layout)
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        print("tiendo: starting the broker, the SMTP sink and the services…", flush=True)
        group.start_all()
        if not args.no_demo:
            print("tiendo: demo loaded" if load_demo(layout) else "tiendo: demo already present", flush=True)
        print_urls(layout)
        print("tiendo: watching the broker and the services; one that dies is started again", flush=True)
        Supervisor(group, say=lambda line: print(line, flush=True)).run()
    except KeyboardInterrupt:
        pass
    except Exception as error:
        print(f"tiendo: {error}", file=sys.stderr)
        return 1
    finally:
        print("tiendo: stopping…", flush=True)
        group.stop_all()
    return 0


def print_urls(layout: Layout) -> None:
    print("tiendo is running. Ctrl-C stops everything.")
    for name in SERVICES:
        print(f"  {name:<10} {layout.url(name)}/docs")
    token = viewer_token(layout, PROVINCE)
    if token:
        print(f"  {'dashboard':<10} {layout.url('reporting')}/dashboard/{PROVINCE}?token={token}   (&lang=en for English)")
    print(f"  {'mail':<10} {layout.url('notify')}/notifications   (sink: {layout.var / 'mail'})")
    print(f"  data and logs in {layout.var}", flush=True)


def viewer_token(layout: Layout, unit_id: str) -> str | None:
    """A viewer credential for the demo province, so the printed dashboard link opens as it is."""
    response = httpx.post(f"{layout.url('plans')}/units/{unit_id}/viewer-credential", timeout=10)
    return response.json()["token"] if response.status_code == 201 else None
