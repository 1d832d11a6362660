"""`tiendo run`: the whole system on one machine, until Ctrl-C."""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from services.embedded.access import bootstrap_admin, credentials_file, keep_credentials
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

    # SIGINT too, explicitly: a process started with SIGINT ignored (a background job of a non-interactive shell, as
    # `make test &` or `nohup tiendo run &` make it) keeps it ignored under Python's default, and Ctrl-C would stop the
    # services, which set their own handlers, but not this supervisor
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        print("tiendo: starting the broker, the SMTP sink and the services…", flush=True)
        group.start_all()
        admin = bootstrap_admin(layout)
        demo_keys = None if args.no_demo else load_demo(layout, admin)
        if not args.no_demo:
            print("tiendo: demo loaded" if demo_keys else "tiendo: demo already present", flush=True)
        print_urls(layout, keep_credentials(layout, admin, demo_keys))
        print("tiendo: watching the broker and the services; one that dies is started again", flush=True)
        Supervisor(group, say=lambda line: print(line, flush=True)).run()
    except KeyboardInterrupt:
        pass
    except Exception as error:
        print(f"tiendo: {error}", file=sys.stderr)
        return 1
    finally:
        say_stopping()
        group.stop_all()
    return 0


def say_stopping() -> None:
    """Say so, if anyone is still reading: with the terminal or pipe gone (a closed ssh session, a killed pager) the
    print fails, and the processes must be stopped all the same."""
    try:
        print("tiendo: stopping…", flush=True)
    except OSError:
        pass


def print_urls(layout: Layout, credentials: dict) -> None:
    print("tiendo is running. Ctrl-C stops everything.")
    for name in SERVICES:
        print(f"  {name:<10} {layout.url(name)}/docs")
    token = credentials.get("viewers", {}).get(PROVINCE)
    if token:
        print(f"  {'dashboard':<10} {layout.url('reporting')}/dashboard/{PROVINCE}?token={token}   (&lang=en for English)")
    print(f"  {'mail':<10} {layout.url('notify')}/escalations   (digests in {layout.var / 'mail'})")
    print(f"  {'keys':<10} {credentials_file(layout)}   (admin, agencies, viewers, standing_bodies; send as 'Authorization: Bearer <key>')")
    print(f"  data and logs in {layout.var}", flush=True)

