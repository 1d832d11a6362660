"""Sending e-mail: `SmtpMailer` hands mail to an SMTP server with aiosmtplib (the `Mailer` port is in the domain)."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from services.notify.domain.mail import Mail, Mailer, MailNotSent  # noqa: F401  (re-exported for the composition root)


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
