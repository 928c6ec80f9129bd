"""E-mail through the task queue.

`QueuedEmailBackend` (settings.EMAIL_BACKEND) turns each message into a `send_email` task,
so a message is queued in the same transaction as the change that caused it (a rolled-back
change sends nothing) and a slow or unreachable mail server never holds up a page. The
task rebuilds the message and hands it to settings.EMAIL_DELIVERY_BACKEND.
"""

import base64
from collections.abc import Sequence
from email.mime.base import MIMEBase
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.utils import DNS_NAME


def _header(headers: dict, name: str) -> str | None:
    """The value of header `name` (header names are case-insensitive)."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _attachment_to_dict(attachment) -> dict:
    if isinstance(attachment, MIMEBase):
        # A ready-made MIME part: keep what a reader of the message sees.
        filename = attachment.get_filename()
        content = attachment.get_payload(decode=True) or b""
        mimetype = attachment.get_content_type()
    else:
        filename, content, mimetype = attachment
    is_text = isinstance(content, str)
    raw = content.encode() if is_text else bytes(content)
    return {
        "filename": filename,
        "mimetype": mimetype,
        "content": base64.b64encode(raw).decode("ascii"),
        "is_text": is_text,
    }


def message_to_dict(message: EmailMessage) -> dict:
    """A JSON-safe form of `message` that `message_from_dict` turns back into a message.

    The Message-ID and Date headers are fixed here if the message has none: the id names
    the message for the whole of its delivery, so a task run twice can tell it was already
    sent, and the date is when it was written, not when a retry finally delivered it.
    """
    headers = {str(key): str(value) for key, value in message.extra_headers.items()}
    if _header(headers, "Message-ID") is None:
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    if _header(headers, "Date") is None:
        headers["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "bcc": [str(a) for a in message.bcc],
        "reply_to": [str(a) for a in message.reply_to],
        "headers": headers,
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment_to_dict(a) for a in message.attachments],
    }


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
    )
    message.content_subtype = data["content_subtype"]
    for attachment in data["attachments"]:
        content = base64.b64decode(attachment["content"])
        message.attach(
            attachment["filename"],
            content.decode() if attachment["is_text"] else content,
            attachment["mimetype"],
        )
    return message


def message_id_of(data: dict) -> str:
    return _header(data["headers"], "Message-ID")


class QueuedEmailBackend(BaseEmailBackend):
    """Queues every message as a `send_email` task instead of sending it now."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        # Imported here: tasks.py imports this module for message_from_dict.
        from jobbag.core.tasks import send_email

        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                send_email.enqueue(message_to_dict(message))
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                queued += 1
        return queued
