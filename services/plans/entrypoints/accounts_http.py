"""HTTP API of people's sign-in (public) and accounts (administrators)."""
from __future__ import annotations

from fastapi import APIRouter

from schemas.accounts import CreateAccount, SignIn
from services.plans.handlers import accounts
from services.runtime.auth import Admin
from services.runtime.http import Runtime

router = APIRouter(tags=["sign-in"])


@router.post("/sign-in")
async def sign_in(body: SignIn, rt: Runtime) -> dict:
    """A person's token for a short while (`sign_in_minutes`), to send as 'Authorization: Bearer <token>'."""
    return await accounts.sign_in(body, rt.store, rt.clock.now(), rt.settings.token_secret, rt.settings.sign_in_minutes)


@router.put("/accounts", status_code=201)
async def put_account(body: CreateAccount, rt: Runtime, admin: Admin) -> dict:
    """Create an account, or set a new password for an existing one."""
    return await accounts.create_account(body, rt.store, rt.clock.now(), admin.actor)


@router.get("/accounts")
async def list_accounts(rt: Runtime, admin: Admin) -> list[dict]:
    return await accounts.list_accounts(rt.store)
