"""People's accounts for the embedded run: passwords kept as scrypt hashes, sign-in gives a short-lived token.

Accounts are personal data, kept in plans' document store only (never in an event); each records
who created it. Production can leave this empty and sign people in through an OIDC issuer instead.
"""
from __future__ import annotations

import asyncio
from datetime import timedelta

from schemas.accounts import CreateAccount, SignIn
from schemas.rejections import NotFound, Unauthorized
from services.plans.handlers.repository import UNITS
from services.runtime.auth.passwords import hash_password, verify_password
from services.runtime.credentials import issue_token
from services.runtime.ports import Store

ACCOUNTS = "accounts"


async def create_account(command: CreateAccount, store: Store, now, actor: str) -> dict:
    if command.unit_id and await store.get(UNITS, command.unit_id) is None:
        raise NotFound(f"no unit with id {command.unit_id!r}", field="unit_id")
    hashed = await asyncio.to_thread(hash_password, command.password)
    doc = {**command.model_dump(exclude={"password"}), "password_hash": hashed, "created_at": now.isoformat(), "created_by": actor}
    await store.put(ACCOUNTS, command.username, doc)
    return public(doc)


async def sign_in(command: SignIn, store: Store, now, secret: str, minutes: int) -> dict:
    doc = await store.get(ACCOUNTS, command.username)
    if not await asyncio.to_thread(verify_password, command.password, doc["password_hash"] if doc else None):
        raise Unauthorized("the username or the password is wrong", field="password")
    subject = doc["unit_id"] or doc["username"]
    token, claims = issue_token(secret, doc["role"], subject, now=now, valid_for=timedelta(minutes=minutes), person=doc["username"])
    return {"token": token, "token_type": "bearer", "role": doc["role"], "subject": subject, "expires_at": claims.expires_at.isoformat()}


async def list_accounts(store: Store) -> list[dict]:
    return [public(d) for d in await store.find(ACCOUNTS)]


def public(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "password_hash"}
