"""Who is calling: a principal with one role, and the rule of what each role may reach."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Iterable


class Role(str, Enum):
    """The four roles of issue 12; a credential carries exactly one."""

    agency = "agency"  # an agency system: reports on tasks its agency leads or supports
    viewer = "viewer"  # a unit's leaders: read the progress of the unit and everything below it
    standing_body = "standing_body"  # the unit's standing body: manages plans for its unit and below (and reads them)
    administrator = "administrator"  # the directory, credentials and people's personal data


@dataclass(frozen=True)
class Principal:
    role: Role
    subject: str  # the agency id (agency), the unit id (viewer, standing body), the person's name (administrator)
    key_id: str
    expires_at: datetime | None = None
    person: str | None = None  # the person signed in, when a person (not a system) holds the credential

    @property
    def actor(self) -> str:
        """What events record as their `actor`: never the key, only who it was issued to (and who signed in)."""
        return f"{self.role.value}:{self.subject}" + (f":{self.person}" if self.person and self.person != self.subject else "")

    @property
    def unit_id(self) -> str | None:
        """The unit whose subtree a viewer or standing body reaches; None for the other roles."""
        return self.subject if self.role in (Role.viewer, Role.standing_body) else None

    def covers(self, unit_id: str, ancestors: Iterable[str]) -> bool:
        """Whether the unit (with these ancestors) is within reach: administrators reach every unit."""
        if self.role is Role.administrator:
            return True
        return self.unit_id is not None and (unit_id == self.unit_id or self.unit_id in set(ancestors))


def describe(roles: Iterable[str]) -> str:
    names = {"agency": "an agency credential", "viewer": "a unit viewer credential", "standing_body": "a standing body credential",
             "administrator": "an administrator credential"}
    return " or ".join(names.get(r, r) for r in roles)
