"""Notices by e-mail over SMTP, in the receiver's language, as plain text and HTML.

The message goes through the SMTP server of the settings (`ATTAIN_SMTP_*`), upgraded with
STARTTLS when asked (the server's certificate is checked), logged in when a user is set (the
password from the environment variable `ATTAIN_SMTP_PASSWORD_ENV` names). It is
`multipart/alternative`: a plain text part and an HTML part rendered with Jinja2 autoescape (a
fact's value cannot inject markup), both UTF-8. Its `Message-ID` is derived from the delivery id,
so a message sent twice after a crash is recognisably the same message.

An SMTP reply 4xx (and a lost connection) is transient; 5xx is permanent, as SMTP means them.
"""

from __future__ import annotations

import email.policy
import hashlib
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, getaddresses

import jinja2

from attain.engine.instant import US_PER_SECOND
from attain.engine.notices import Envelope
from attain.notify.failure import SendFailed
from attain.notify.message import description, language_of, link, phrase, summary
from attain.settings import NotifySettings

_ENVIRONMENT = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_PLAIN = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701 (plain text, not HTML)

POLICY = email.policy.default.clone(max_line_length=998)
"""Header lines up to RFC 5322's 998 characters: Python's folding at 78 drops the space at a fold
between two encoded words, which would glue Chinese words of a subject together."""

TEXT = _PLAIN.from_string(
    """{{ description }}

{{ severity_label }}: {{ severity }}
{{ key_label }}: {{ key }}
{% if facts %}
{{ facts_label }}:
{% for name, value in facts %}  {{ name }}: {{ value }}
{% endfor %}{% endif %}{% if url %}
{{ link_label }}: {{ url }}
{% endif %}"""
)

HTML = _ENVIRONMENT.from_string(
    """<!DOCTYPE html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body>
<h1>{{ subject }}</h1>
<p>{{ description }}</p>
<table>
<tr><th>{{ severity_label }}</th><td>{{ severity }}</td></tr>
<tr><th>{{ key_label }}</th><td>{{ key }}</td></tr>
{% for name, value in facts %}<tr><th>{{ name }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>
{% if url %}<p><a href="{{ url }}">{{ link_label }}</a></p>
{% endif %}</body>
</html>
"""
)


def message(envelope: Envelope, delivery: str, settings: NotifySettings, now: int) -> EmailMessage:
    """The e-mail for one notice: subject, sender, recipients, a plain text and an HTML part."""
    c = envelope.notice.condition
    subject = f"[attain] {summary(envelope)}"
    values = {
        "language": language_of(envelope),
        "subject": subject,
        "description": description(envelope),
        "severity_label": phrase(envelope, "severity"),
        "severity": c.severity,
        "key_label": phrase(envelope, "key"),
        "key": c.key,
        "facts_label": phrase(envelope, "facts"),
        "facts": c.facts,
        "link_label": phrase(envelope, "link"),
        "url": link(envelope, settings.public_url),
    }
    mail = EmailMessage(policy=POLICY)
    mail["Subject"] = subject
    mail["From"] = settings.smtp_from
    mail["To"] = ", ".join(envelope.to)
    mail["Date"] = formatdate(now // US_PER_SECOND, usegmt=True)
    domain = settings.smtp_from.rsplit("@", 1)[-1] or "attain"
    mail["Message-ID"] = f"<{hashlib.sha256(delivery.encode()).hexdigest()[:32]}@{domain}>"
    mail["X-Attain-Delivery"] = delivery
    mail.set_content(TEXT.render(values), subtype="plain", charset="utf-8")
    mail.add_alternative(HTML.render(values), subtype="html", charset="utf-8")
    mail["Content-Language"] = language_of(envelope)  # after the parts: set_content drops Content-* headers
    return mail


def send_email(
    envelope: Envelope, delivery: str, settings: NotifySettings, environ: Mapping[str, str], now: int
) -> None:
    """Send the notice's e-mail to `envelope.to` through the SMTP server of the settings.

    Raises:
        SendFailed: no address to send to, or the password's variable unset (permanent); the
            server refused (5xx permanent, 4xx transient) or could not be reached (transient).
    """
    if not envelope.to:
        raise SendFailed(f"e-mail of receiver {envelope.notice.receiver!r}: no address to send to", permanent=True)
    password = ""
    if settings.smtp_user:
        password = environ.get(settings.smtp_password_env, "")
        if not password:
            raise SendFailed(
                f"SMTP user {settings.smtp_user!r} is set but the environment variable"
                f" {settings.smtp_password_env} that holds its password is not",
                permanent=True,
            )
    mail = message(envelope, delivery, settings, now)
    where = f"SMTP {settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, password)
            smtp.send_message(mail, to_addrs=[address for _, address in getaddresses(envelope.to)])
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise SendFailed(
            f"{where}: recipients refused: {', '.join(sorted(error.recipients))}", permanent=min(codes) >= 500
        ) from error
    except smtplib.SMTPResponseException as error:
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        raise SendFailed(f"{where}: {error.smtp_code} {text}", permanent=error.smtp_code >= 500) from error
    except (smtplib.SMTPException, OSError) as error:
        raise SendFailed(f"{where}: {type(error).__name__}: {error}", permanent=False) from error
