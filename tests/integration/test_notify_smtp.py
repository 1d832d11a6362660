"""notify's SMTP adapters against each other on loopback: SmtpMailer sends, SmtpSink writes .eml files."""
from __future__ import annotations

import email
import email.policy
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from services.notify.adapters.mailer import Mail, MailNotSent, SmtpMailer
from services.notify.adapters.smtp_sink import SmtpSink
from services.runtime.broker import free_port, wait_for_port
from tests.support.polling import eventually

MAIL = Mail(to="cong.hv@truongha.gov.vn", subject="[tiendo] Nhiệm vụ quá hạn: 1.1 Tham mưu ban hành Kế hoạch / Overdue task",
            body="Kính gửi: Đồng chí Hoàng Văn Công, Trưởng Công an xã.\n\nDear Hoàng Văn Công,\n",
            message_id="<abc.agency_head@tiendo>", sent_at=datetime(2023, 4, 1, 2, tzinfo=timezone.utc))


def read_eml(path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


async def test_a_mail_sent_over_smtp_lands_in_the_sink_as_an_eml_file_with_its_diacritics(tmp_path):
    sink = SmtpSink(tmp_path / "mail", port=free_port())
    sink.start()
    try:
        await SmtpMailer("127.0.0.1", sink.port, "tiendo@localhost").send(MAIL)
        [path] = sink.messages()
    finally:
        sink.stop()
    received = read_eml(path)
    assert received["Subject"] == MAIL.subject and received["To"] == MAIL.to and received["From"] == "tiendo@localhost"
    assert received["Message-ID"] == MAIL.message_id
    assert received.get_content().replace("\r\n", "\n") == MAIL.body  # SMTP carries CRLF line ends


async def test_a_digest_with_html_arrives_as_multipart_alternative_plain_text_first_both_with_their_diacritics(tmp_path):
    rows = "".join(f"<tr><td>{n}. Cập nhật dữ liệu dân cư, xã Trường Hà</td></tr>" for n in range(400))  # many base64 lines
    mail = Mail(to=MAIL.to, subject=MAIL.subject, body=MAIL.body * 50, html=f"<table>{rows}</table>", message_id=MAIL.message_id)
    sink = SmtpSink(tmp_path / "mail", port=free_port())
    sink.start()
    try:
        await SmtpMailer("127.0.0.1", sink.port, "tiendo@localhost").send(mail)
        [path] = sink.messages()
    finally:
        sink.stop()
    received = read_eml(path)
    assert received.get_content_type() == "multipart/alternative" and not received.defects
    plain, html = received.iter_parts()
    assert plain.get_content_type() == "text/plain" and plain.get_content().replace("\r\n", "\n") == mail.body
    assert html.get_content_type() == "text/html" and html.get_content().replace("\r\n", "\n") == mail.html
    assert received["Subject"] == MAIL.subject


async def test_a_mail_server_that_does_not_answer_is_reported_as_not_sent():
    with pytest.raises(MailNotSent):
        await SmtpMailer("127.0.0.1", free_port(), "tiendo@localhost", timeout=2).send(MAIL)


async def test_the_sink_runs_as_a_module_for_the_embedded_run(tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "services.notify.adapters.smtp_sink", "--port", str(port), "--dir", str(tmp_path)])
    try:
        wait_for_port("127.0.0.1", port, timeout=15, process=process)
        await SmtpMailer("127.0.0.1", port, "tiendo@localhost").send(MAIL)
        [path] = await eventually(lambda: _messages(tmp_path), timeout=10, what="the .eml file")
        assert read_eml(path)["Subject"] == MAIL.subject
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


async def _messages(folder):
    return sorted(folder.glob("*.eml"))
