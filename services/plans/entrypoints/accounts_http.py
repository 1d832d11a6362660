"""HTTP API of people's sign-in (public) and accounts (administrators)."""
from __future__ import annotations

from fastapi import APIRouter, Request

from schemas.accounts import CreateAccount, SignIn
from schemas.rejections import TooManyRequests
from services.plans.handlers import accounts
from services.runtime.auth import Admin
from services.runtime.http import Runtime
from services.runtime.problems import problems

router = APIRouter(tags=["sign-in"])


@router.post("/sign-in", responses=problems(401, 429))
async def sign_in(body: SignIn, rt: Runtime, request: Request) -> dict:
    """A person's token for a short while (`sign_in_minutes`), to send as 'Authorization: Bearer <token>'.
    Attempts per username are rate limited as calls per credential are."""
    wait = request.app.state.rate_limits.take(f"sign-in:{body.username}")
    if wait:
        raise TooManyRequests(f"too many sign-in attempts for this username; try again in {wait:.0f} s", wait)
    return await accounts.sign_in(body, rt.store, rt.clock.now(), rt.settings.token_secret, rt.settings.sign_in_minutes)


@router.put("/accounts", status_code=201, responses=problems(404))
async def put_account(body: CreateAccount, rt: Runtime, admin: Admin) -> dict:
    """Create an account, or set a new password for an existing one."""
    return await accounts.create_account(body, rt.store, rt.clock.now(), admin.actor)


@router.get("/accounts")
async def list_accounts(rt: Runtime, admin: Admin) -> list[dict]:
    return await accounts.list_accounts(rt.store)
