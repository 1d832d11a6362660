"""The `Mailer` port: what notify needs from whatever sends its e-mail (SMTP in services/notify/adapters)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    message_id: str = ""
    sent_at: datetime | None = None


class MailNotSent(Exception):
    """The server could not be reached or did not accept the mail; sending again later may work."""


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None:
        """Hand the mail over; raise MailNotSent if it was not accepted."""
