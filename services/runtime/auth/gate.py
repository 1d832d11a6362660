"""The one place that decides who may call what: authenticate the credential, then permit by role.

Routes declare their requirement with an alias from services.runtime.auth (Admin, Reporter,
Reader, PlanManager, Authenticated…). Each alias is a FastAPI `Security` dependency on the
`bearer` scheme whose scopes are the roles allowed, so the requirement shows in the OpenAPI
document (`security: [{"bearer": ["administrator"]}]`) exactly as it is enforced here.

A request without a usable credential is refused 401, a credential of a role not allowed 403;
both as problem+json, and logged with the key id and the reason, never the key.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi import Depends, Request
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes

from schemas.rejections import Forbidden, TooManyRequests, Unauthorized
from services.runtime.auth.oidc import issued_by, verify_oidc
from services.runtime.auth.principal import Principal, Role, describe
from services.runtime.auth.revocations import revoked_since
from services.runtime.auth.verified import verified_tokens
from services.runtime.credentials import InvalidCredential

if TYPE_CHECKING:
    from services.runtime.service import ServiceRuntime

log = logging.getLogger("tiendo.auth")
BEARER_DESCRIPTION = ("a tiendo credential (agency key, viewer or standing body key, administrator key or sign-in token) "
                      "as 'Authorization: Bearer <key>'; the scopes listed on an operation are the roles it accepts")
BEARER = HTTPBearer(scheme_name="bearer", bearerFormat="JWT", auto_error=False, description=BEARER_DESCRIPTION)
LINK = APIKeyQuery(name="token", scheme_name="link", auto_error=False,
                   description="the same credential in the query string, for pages and links opened in a browser")


async def authenticate(request: Request, presented: str | None = None) -> Principal:
    """The caller's principal, verified once per request (cached on request.state)."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    presented = presented or bearer_of(request)
    if not presented:
        raise _refuse(request, Unauthorized("send a credential as 'Authorization: Bearer <key>'", field="Authorization"), "none")
    try:
        principal = await principal_of(request.app.state.runtime, presented)
    except InvalidCredential as error:
        raise _refuse(request, Unauthorized(str(error), field="Authorization"), "-") from None
    request.state.principal = principal
    return principal


async def principal_of(runtime: "ServiceRuntime", presented: str) -> Principal:
    """Verify a credential (signature, expiry, role, revocation): for HTTP and for the command topic alike."""
    now, settings = runtime.clock.now(), runtime.settings
    if settings.oidc_issuer and issued_by(presented) == settings.oidc_issuer:
        claims = await verify_oidc(settings, presented)
    else:
        claims = verified_tokens().verify(settings.token_secret, presented, now)
    try:
        role = Role(claims.role)
    except ValueError:
        raise InvalidCredential("the credential names an unknown role") from None
    revoked_at = await revoked_since(runtime.store, claims.key_id, now)
    if revoked_at is not None:
        raise InvalidCredential(f"the credential {claims.key_id} was revoked at {revoked_at}")
    return Principal(role, claims.subject, claims.key_id, claims.expires_at, claims.person)


def permit(request: Request, principal: Principal, roles: list[str]) -> Principal:
    if roles and principal.role.value not in roles:
        error = Forbidden(f"this operation needs {describe(roles)}; this is {describe([principal.role.value])}", field="Authorization")
        raise _refuse(request, error, principal.key_id)
    wait = request.app.state.rate_limits.take(principal.key_id)
    if wait:
        raise _refuse(request, TooManyRequests(f"too many calls with credential {principal.key_id}; try again in {wait:.1f} s", wait),
                      principal.key_id)
    return principal


async def require(request: Request, roles: list[str]) -> Principal:
    """Authenticate the bearer credential and permit it by role: what a role alias does, for a route that resolves its
    own arguments (services.runtime.http.DirectRoute) and declares the alias in its signature for the document."""
    return permit(request, await authenticate(request, bearer_of(request)), roles)


class Gate(HTTPBearer):
    """The `bearer` scheme that also authenticates the credential and permits by role: one dependency where a scheme and
    a check on it were two (FastAPI's solving of each dependency costs more than the check; bench/http_stack.py)."""

    async def __call__(self, request: Request, scopes: SecurityScopes) -> Principal:  # type: ignore[override]
        return await require(request, scopes.scopes)


authorize = Gate(scheme_name="bearer", bearerFormat="JWT", auto_error=False, description=BEARER_DESCRIPTION)


async def authorize_link(request: Request, scopes: SecurityScopes, bearer: HTTPAuthorizationCredentials | None = Depends(BEARER),
                         token: str | None = Depends(LINK)) -> Principal:
    """As `authorize`, also accepting the credential as ?token= (read-only pages opened from a link)."""
    return permit(request, await authenticate(request, bearer.credentials if bearer else token), scopes.scopes)


async def acting(request: Request) -> Principal:
    """The principal without a role check or an OpenAPI declaration: for dependencies beside a role alias."""
    return await authenticate(request)


def bearer_of(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


def _refuse(request: Request, error: Unauthorized | Forbidden | TooManyRequests, key_id: str) -> Exception:
    log.warning("refused %s %s (%s, key %s): %s", request.method, request.url.path, error.status, key_id, error.detail)
    return error
