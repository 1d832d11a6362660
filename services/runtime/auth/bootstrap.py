"""`tiendo credential bootstrap-admin`: the first administrator's way in, on a deployment with no keys yet.

Prints an administrator token signed with the deployment's secret (TIENDO_TOKEN_SECRET or
TIENDO_TOKEN_SECRET_FILE), valid for a few minutes: long enough to ask plans for a recorded,
revocable key (`POST /administrators/{name}/credentials`) or to create accounts (`PUT /accounts`).
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone

from pydantic import ValidationError

from services.runtime.credentials import issue_token
from services.runtime.settings import ServiceSettings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tiendo credential bootstrap-admin")
    parser.add_argument("--minutes", type=int, default=15, help="validity (default 15, at most 60)")
    parser.add_argument("--name", default="bootstrap", help="recorded as the actor of what the token does")
    args = parser.parse_args(argv)
    try:
        settings = ServiceSettings()
    except ValidationError as error:
        print(f"tiendo: {error.errors()[0]['msg']}", file=sys.stderr)
        return 2
    minutes = max(1, min(args.minutes, 60))
    token, _ = issue_token(settings.token_secret, "administrator", args.name, now=datetime.now(timezone.utc),
                           valid_for=timedelta(minutes=minutes))
    print(token)
    return 0
