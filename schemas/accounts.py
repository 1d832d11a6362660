"""Commands of people's accounts (the embedded run's local sign-in): create or reset an account, sign in."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from schemas.envelope import Payload

USERNAME = Field(min_length=3, max_length=64, pattern=r"^[a-z0-9._@-]+$")


class CreateAccount(Payload):
    """Command: an account for a person of a standing body, a leader (viewer) or an administrator; again = reset the password."""

    username: str = USERNAME
    password: str = Field(min_length=12, max_length=256)
    role: Literal["viewer", "standing_body", "administrator"]
    unit_id: str | None = Field(default=None, min_length=1, max_length=100, description="the unit of a viewer or standing body")
    name: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def unit_for_unit_roles(self) -> "CreateAccount":
        if (self.role == "administrator") == (self.unit_id is not None):
            raise ValueError("unit_id is required for a viewer or standing body, and not given for an administrator")
        return self


class SignIn(Payload):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
