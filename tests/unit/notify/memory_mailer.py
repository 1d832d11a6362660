"""An in-memory Mailer for unit tests: keeps what it was given; can be told the server is down."""
from __future__ import annotations

from services.notify.adapters.mailer import Mail, MailNotSent


class MemoryMailer:
    def __init__(self) -> None:
        self.sent: list[Mail] = []
        self.down = False

    async def send(self, mail: Mail) -> None:
        if self.down:
            raise MailNotSent("ConnectionRefusedError: the test says the server is down")
        self.sent.append(mail)
