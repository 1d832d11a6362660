"""Sending e-mail: the `Mailer` port, and `SmtpMailer` that hands mail to an SMTP server with aiosmtplib."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

import aiosmtplib


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


class SmtpMailer:
    """Plain SMTP to a configured server (Mailpit in production compose, the local sink in the embedded run)."""

    def __init__(self, host: str, port: int, sender: str, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def compose(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        if mail.message_id:
            message["Message-ID"] = mail.message_id
        if mail.sent_at:
            message["Date"] = format_datetime(mail.sent_at)
        message.set_content(mail.body, charset="utf-8")
        return message

    async def send(self, mail: Mail) -> None:
        try:
            await aiosmtplib.send(
                self.compose(mail), sender=self.sender, recipients=[mail.to], hostname=self.host, port=self.port,
                timeout=self.timeout, start_tls=False,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise MailNotSent(f"{type(error).__name__}: {error}") from error
