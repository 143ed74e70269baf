"""`send_mail` against a real SMTP server (aiosmtpd) on localhost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.mail.inbox import Inbox, running_inbox
from threadline.errors import ConfigurationError
from threadline.mail import Mail, MailNotConfigured, send_mail
from threadline.settings import Settings


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with running_inbox() as server:
        yield server


def _settings(inbox: Inbox, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": inbox.port,
        "smtp_security": "none",
        "smtp_from": "threadline@police.test",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def test_without_a_host_nothing_is_sent() -> None:
    with pytest.raises(MailNotConfigured, match="THREADLINE_SMTP_HOST"):
        send_mail(Settings(smtp_host=""), [Mail("lro@police.test", "Hello", "Body")])


def test_mails_arrive_with_sender_recipient_subject_and_body(inbox: Inbox) -> None:
    sent = send_mail(
        _settings(inbox),
        [
            Mail("lro@police.test", "Threadline: 2 new alerts", "See https://x.test/alerts\n"),
            Mail("analyst@police.test", "Threadline: 1 new alert", "See https://x.test/alerts\n"),
        ],
    )
    assert sent == 2
    assert inbox.recipients == [["lro@police.test"], ["analyst@police.test"]]
    first = inbox.messages[0]
    assert first["From"] == "threadline@police.test"
    assert first["To"] == "lro@police.test"
    assert first["Subject"] == "Threadline: 2 new alerts"
    assert first["Message-ID"] and first["Date"]
    assert inbox.bodies()[0].strip() == "See https://x.test/alerts"


def test_nothing_to_send_opens_no_connection(inbox: Inbox) -> None:
    assert send_mail(_settings(inbox), []) == 0
    assert inbox.messages == []


def test_an_unknown_security_setting_is_refused_naming_it(inbox: Inbox) -> None:
    with pytest.raises(ConfigurationError, match="THREADLINE_SMTP_SECURITY is 'ssl'"):
        send_mail(_settings(inbox, smtp_security="ssl"), [Mail("a@police.test", "s", "b")])


def test_a_server_that_is_not_there_raises_for_the_caller_to_retry() -> None:
    from tests.mail.inbox import free_port

    settings = Settings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none")
    with pytest.raises(OSError):
        send_mail(settings, [Mail("a@police.test", "s", "b")])
