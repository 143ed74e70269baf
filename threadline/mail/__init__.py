"""Email through SMTP: short announcements with a link, never sensitive content.

Alerts and digest announcements say only that something is waiting and where: the
content stays in Threadline, behind sign-in, policy and the audit log.
"""

from threadline.mail.smtp import Mail, MailNotConfigured, send_mail

__all__ = ["Mail", "MailNotConfigured", "send_mail"]
