"""An in-memory Mailer for unit tests: keeps what it was given; can be told the server is down."""
from __future__ import annotations

from typing import Sequence

from services.notify.domain.mailer import Mail, MailNotSent


class MemoryMailer:
    def __init__(self) -> None:
        self.sent: list[Mail] = []
        self.batches: list[int] = []
        self.down = False

    async def send(self, mail: Mail) -> None:
        [error] = await self.send_batch([mail])
        if error:
            raise MailNotSent(error)

    async def send_batch(self, mails: Sequence[Mail]) -> list[str | None]:
        self.batches.append(len(mails))
        if self.down:
            return ["ConnectionRefusedError: the test says the server is down"] * len(mails)
        self.sent.extend(mails)
        return [None] * len(mails)

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.sent if m.to == address]
