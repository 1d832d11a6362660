"""The Mailer port (notify's domain owns it; adapters implement it): hand over a batch of mails, learn what was accepted."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Sequence


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    html: str | None = None
    message_id: str = ""
    sent_at: datetime | None = None


class MailNotSent(Exception):
    """The server could not be reached or did not accept the mail; sending again later may work."""


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None:
        """Hand one mail over; raise MailNotSent if it was not accepted."""

    async def send_batch(self, mails: Sequence[Mail]) -> list[str | None]:
        """Hand several over on one connection; per mail None (accepted) or why it was not."""
