"""SmtpMailer: the Mailer port over SMTP with aiosmtplib; a batch travels on one connection (reconnecting once if it drops)."""
from __future__ import annotations

import base64
import uuid
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Sequence

import aiosmtplib

from services.notify.domain.mailer import Mail, Mailer, MailNotSent

__all__ = ["Mail", "Mailer", "MailNotSent", "SmtpMailer"]


class SmtpMailer:
    """Plain SMTP to a configured server (Mailpit in production compose, the local sink in the embedded run)."""

    def __init__(self, host: str, port: int, sender: str, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def compose(self, mail: Mail) -> bytes:
        """The message as SMTP carries it: multipart/alternative (plain text, then HTML), each part UTF-8 in base64.
        The headers go through the `email` package (RFC 2047 for the Vietnamese subject); the parts are encoded here in
        one call each: the package's generator writes base64 line by line, which cost more than composing a
        1,000-entry digest."""
        head = EmailMessage(policy=SMTP)
        head["From"] = self.sender
        head["To"] = mail.to
        head["Subject"] = mail.subject
        if mail.message_id:
            head["Message-ID"] = mail.message_id
        if mail.sent_at:
            head["Date"] = format_datetime(mail.sent_at)
        head["MIME-Version"] = "1.0"
        if not mail.html:
            head["Content-Type"], head["Content-Transfer-Encoding"] = 'text/plain; charset="utf-8"', "base64"
            return _headers(head) + _base64(mail.body)
        boundary = f"=_tiendo_{uuid.uuid4().hex}"
        head["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
        parts = b"".join(f"--{boundary}\r\nContent-Type: text/{subtype}; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                         .encode() + _base64(text) for subtype, text in (("plain", mail.body), ("html", mail.html)))
        return _headers(head) + parts + f"--{boundary}--\r\n".encode()

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
                    await client.sendmail(self.sender, [mail.to], self.compose(mail))
                    outcomes.append(None)
                except aiosmtplib.SMTPRecipientsRefused as error:
                    outcomes.append(f"{type(error).__name__}: {error}")  # this mail only; the connection goes on
                except (aiosmtplib.SMTPException, OSError) as error:
                    outcomes.append(f"{type(error).__name__}: {error}")
                    client = await _drop(client)
        finally:
            await _drop(client)
        return outcomes


def _headers(head: EmailMessage) -> bytes:
    """The headers, folded and encoded, and the blank line that ends them."""
    return b"".join(head.policy.fold_binary(name, value) for name, value in head.items()) + b"\r\n"


def _base64(text: str) -> bytes:
    return base64.encodebytes(text.encode()).replace(b"\n", b"\r\n")  # 76-character lines, CRLF as SMTP wants


async def _drop(client: aiosmtplib.SMTP | None) -> None:
    if client is not None and client.is_connected:
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()
    return None
