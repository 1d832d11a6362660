"""Identity and roles, one layer for every service: who the caller is and what its role may do.

Routes take one of these `Annotated` aliases as a parameter; each both enforces the requirement
and declares it in the OpenAPI document (scheme `bearer`, scopes = the roles accepted):

    Admin          administrators: the directory, credentials, people's personal data
    PlanManager    standing bodies: plans and drafts of their unit and below (check `covers`)
    Reporter       agency systems: status of the tasks their agency leads or supports
    Reader         viewers and standing bodies (their subtree) and administrators (everything)
    Authenticated  any valid credential
    ReaderByLink   as Reader, also accepting ?token= for pages opened from a link

`Acting` gives the principal without declaring anything: for a `Cause` built beside a role alias.
`allow("agency", "administrator")` makes an alias for another combination of roles.
`require(request, [AGENCY])` is the same check for a route that resolves its own arguments (http.DirectRoute).
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Security

from services.runtime.auth.gate import acting, authorize, authorize_link, require
from services.runtime.auth.principal import Principal, Role

ADMIN, STANDING, AGENCY, VIEWER = Role.administrator.value, Role.standing_body.value, Role.agency.value, Role.viewer.value

Admin = Annotated[Principal, Security(authorize, scopes=[ADMIN])]
PlanManager = Annotated[Principal, Security(authorize, scopes=[STANDING])]
Reporter = Annotated[Principal, Security(authorize, scopes=[AGENCY])]
Reader = Annotated[Principal, Security(authorize, scopes=[VIEWER, STANDING, ADMIN])]
ReaderByLink = Annotated[Principal, Security(authorize_link, scopes=[VIEWER, STANDING, ADMIN])]
Authenticated = Annotated[Principal, Security(authorize, scopes=[])]
Acting = Annotated[Principal, Depends(acting)]


def allow(*roles: str) -> Any:
    """An alias accepting exactly these roles (values of Role)."""
    return Annotated[Principal, Security(authorize, scopes=[Role(r).value for r in roles])]


__all__ = ["Admin", "PlanManager", "Reporter", "Reader", "ReaderByLink", "Authenticated", "Acting", "allow", "require", "Principal", "Role"]
