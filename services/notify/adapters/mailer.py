"""SmtpMailer: the Mailer port over SMTP with aiosmtplib; a batch travels on one connection (reconnecting once if it drops)."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime
from typing import Sequence

import aiosmtplib

from services.notify.domain.mailer import Mail, Mailer, MailNotSent

__all__ = ["Mail", "Mailer", "MailNotSent", "SmtpMailer"]


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
        message.set_content(mail.body, charset="utf-8", cte="base64")  # chosen, not sniffed: sniffing encodes the body twice
        if mail.html:
            message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="base64")
        return message

    async def send(self, mail: Mail) -> None:
        [error] = await self.send_batch([mail])
        if error:
            raise MailNotSent(error)

    async def send_batch(self, mails: Sequence[Mail]) -> list[str | None]:
        outcomes: list[str | None] = []
        client: aiosmtplib.SMTP | None = None
        try:
            for mail in mails:
                try:
                    if client is None or not client.is_connected:
                        client = aiosmtplib.SMTP(hostname=self.host, port=self.port, timeout=self.timeout, start_tls=False)
                        await client.connect()
                    await client.send_message(self.compose(mail), sender=self.sender, recipients=[mail.to])
                    outcomes.append(None)
                except aiosmtplib.SMTPRecipientsRefused as error:
                    outcomes.append(f"{type(error).__name__}: {error}")  # this mail only; the connection goes on
                except (aiosmtplib.SMTPException, OSError) as error:
                    outcomes.append(f"{type(error).__name__}: {error}")
                    client = await _drop(client)
        finally:
            await _drop(client)
        return outcomes


async def _drop(client: aiosmtplib.SMTP | None) -> None:
    if client is not None and client.is_connected:
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()
    return None
