"""How a newcomer gets in: the run's administrator key and the demo's keys, in var/credentials.json (0600).

The run mints a bootstrap administrator token with the secret (valid for minutes), uses it to ask
plans for a recorded, revocable administrator key, and keeps that key with the demo's agency and
viewer keys in one file readable only by its owner.
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx

from services.embedded.processes import Layout
from services.runtime.auth.secret import read_secret, write_private
from services.runtime.clock import FileClock
from services.runtime.credentials import issue_token

ADMINISTRATOR = "newcomer"


def credentials_file(layout: Layout) -> Path:
    return layout.var / "credentials.json"


def bootstrap_admin(layout: Layout) -> str:
    """A short-lived administrator token, by the services' clock (the run's clock file)."""
    now = FileClock(layout.clock_file).now()
    return issue_token(read_secret(layout.secret_file), "administrator", "tiendo-run", now=now, valid_for=timedelta(minutes=15))[0]


def keep_credentials(layout: Layout, admin: str, demo_keys: dict | None) -> dict:
    """The file's keys; made on first start (an administrator key), with the demo's keys added when it was loaded now."""
    path = credentials_file(layout)
    kept = json.loads(path.read_text()) if path.exists() else None
    if kept is not None and not demo_keys:
        return kept
    kept = kept or {"admin": _administrator_key(layout, admin), "agencies": {}, "viewers": {}}
    for group, keys in (demo_keys or {}).items():
        kept.setdefault(group, {}).update(keys)
    write_private(path, json.dumps(kept, indent=2, ensure_ascii=False) + "\n")
    return kept


def _administrator_key(layout: Layout, admin: str) -> str:
    response = httpx.post(f"{layout.url('plans')}/administrators/{ADMINISTRATOR}/credentials", json={},
                          headers={"Authorization": f"Bearer {admin}"}, timeout=10)
    response.raise_for_status()
    return response.json()["token"]
