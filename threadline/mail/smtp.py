"""Send one plain-text email through the configured SMTP server (`THREADLINE_SMTP_*`)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from threadline.errors import ConfigurationError
from threadline.settings import Settings


class MailNotConfigured(ConfigurationError):
    """No SMTP host is set: nothing is emailed (items still reach people in the app)."""


@dataclass(frozen=True, slots=True)
class Mail:
    """One email: to one address, a subject and a plain-text body (no sensitive content)."""

    to: str
    subject: str
    body: str


def send_mail(settings: Settings, mails: list[Mail]) -> int:
    """Send `mails` over one SMTP connection; returns how many were sent.

    Raises `MailNotConfigured` when no host is set, `ConfigurationError` for a bad
    security setting, and lets `smtplib`/`OSError` failures through for the caller to
    retry on the next tick (nothing is marked emailed unless this returns).
    """
    if not settings.smtp_host:
        raise MailNotConfigured("THREADLINE_SMTP_HOST is not set, so no email is sent")
    if not mails:
        return 0
    security = settings.smtp_security.lower()
    if security not in {"starttls", "tls", "none"}:
        raise ConfigurationError(
            f"THREADLINE_SMTP_SECURITY is {settings.smtp_security!r}; expected starttls, tls "
            "or none"
        )
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if security == "tls":
        smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, context=context, timeout=10)
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10)
    with smtp:
        if security == "starttls":
            smtp.starttls(context=context)
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        for mail in mails:
            message = EmailMessage()
            message["From"] = settings.smtp_from
            message["To"] = mail.to
            message["Subject"] = mail.subject
            message["Date"] = formatdate(usegmt=True)
            message["Message-ID"] = make_msgid(domain="threadline")
            message.set_content(mail.body)
            smtp.send_message(message)
    return len(mails)
