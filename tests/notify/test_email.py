"""E-mails reach a real SMTP server (aiosmtpd on loopback): exact subject, recipients, both parts, Chinese intact."""

from __future__ import annotations

from typing import Any

import pytest

from attain.engine.notices import Channel, NoticeStatus
from attain.notify import SendFailed
from attain.notify.email import send_email
from attain.settings import NotifySettings
from notify_support import condition, envelope, free_port, smtp_sink

NOW = 1_764_936_300_000_000
TO = ("ops@example.com", "王芳 <wang@example.cn>")
TO_ADDRESSES = ["ops@example.com", "wang@example.cn"]


def settings(port: int, **changes: Any) -> NotifySettings:
    """Settings that send through the sink on `port`, from `sla@example.com`."""
    values: dict[str, Any] = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "sla@example.com"}
    return NotifySettings(**(values | changes))


def test_an_english_email_has_the_exact_subject_recipients_and_both_parts() -> None:
    """Subject from the summary; To and RCPT the receiver's addresses; plain text and HTML with the facts."""
    with smtp_sink() as (sink, port):
        send_email(
            envelope(Channel.EMAIL, to=TO), "delivery-1", settings(port, public_url="https://sla.example.com"), {}, NOW
        )
    ((mail_from, rcpt, _),) = sink.mails
    assert (mail_from, rcpt) == ("sla@example.com", TO_ADDRESSES)
    message = sink.parsed()
    assert message["Subject"] == "[attain] Shop API: objective api — error budget burning too fast"
    assert message["From"] == "sla@example.com"
    assert message["To"] == "ops@example.com, 王芳 <wang@example.cn>"
    assert message["X-Attain-Delivery"] == "delivery-1"
    assert message["Content-Language"] == "en"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content().replace("\r\n", "\n") == (
        "Agreement “Shop API” (shop), objective api: error budget burning too fast since 2026-12-05T12:00:00Z.\n"
        "\n"
        "Severity: page\n"
        "Condition: burn-rate/api/page/60m-5m\n"
        "\n"
        "Facts:\n"
        "  burnRate: 14.4\n"
        "  window: 60m/5m\n"
        "\n"
        "Open in attain: https://sla.example.com/agreements/shop\n"
    )
    text = html.get_content()
    assert "<h1>[attain] Shop API: objective api — error budget burning too fast</h1>" in text
    assert "<tr><th>burnRate</th><td>14.4</td></tr>" in text
    assert '<a href="https://sla.example.com/agreements/shop">Open in attain</a>' in text


def test_a_chinese_email_decodes_to_the_same_chinese_text() -> None:
    """zh-CN subject and body arrive encoded and decode back exactly; a resolved notice says 已恢复."""
    with smtp_sink() as (sink, port):
        message = envelope(Channel.EMAIL, to=TO, language="zh-CN", status=NoticeStatus.RESOLVED)
        send_email(message, "d", settings(port), {}, NOW)
    raw = sink.mails[0][2]
    assert "已恢复".encode() not in raw.split(b"\r\n\r\n", 1)[0]  # headers are MIME-encoded, not raw UTF-8
    parsed = sink.parsed()
    assert parsed["Subject"] == "[attain] 已恢复：Shop API: 目标 api — 错误预算消耗过快"
    assert parsed["Content-Language"] == "zh-CN"
    plain = parsed.get_body(("plain",))
    assert plain is not None
    assert plain.get_content().replace("\r\n", "\n") == (
        "协议“Shop API”（shop），目标 api：自 2026-12-05T12:05:00Z 起已不再错误预算消耗过快。\n"
        "\n"
        "严重程度: page\n"
        "条件: burn-rate/api/page/60m-5m\n"
        "\n"
        "数据:\n"
        "  burnRate: 14.4\n"
        "  window: 60m/5m\n"
    )


def test_a_fact_cannot_inject_markup_into_the_html_part() -> None:
    """Jinja2 autoescape: `<script>` in a fact arrives as text in HTML, as it is in plain text."""
    hostile = condition(facts=(("note", '<script>alert("x")</script>'),))
    with smtp_sink() as (sink, port):
        send_email(envelope(Channel.EMAIL, to=TO, of=hostile), "d", settings(port), {}, NOW)
    parsed = sink.parsed()
    html, plain = parsed.get_body(("html",)), parsed.get_body(("plain",))
    assert html is not None
    assert plain is not None
    assert "<td>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</td>" in html.get_content()
    assert "<script>" not in html.get_content()
    assert '  note: <script>alert("x")</script>\r\n' in plain.get_content()


def test_a_login_uses_the_password_from_the_named_variable() -> None:
    """ATTAIN_SMTP_USER set: the password comes from the variable ATTAIN_SMTP_PASSWORD_ENV names."""
    with smtp_sink(login=True) as (sink, port):
        mail_settings = settings(port, smtp_user="attain", smtp_password_env="MAIL_PASSWORD")  # noqa: S106
        send_email(envelope(Channel.EMAIL, to=TO), "d", mail_settings, {"MAIL_PASSWORD": "pa55"}, NOW)
    assert sink.logins == [("attain", "pa55")]
    assert len(sink.mails) == 1


def test_a_missing_password_variable_is_a_permanent_failure() -> None:
    """A user without its password variable set: permanent, naming the variable."""
    with pytest.raises(SendFailed, match="ATTAIN_SMTP_PASSWORD that holds its password is not") as raised:
        send_email(envelope(Channel.EMAIL, to=TO), "d", settings(1, smtp_user="attain"), {}, NOW)
    assert raised.value.permanent


@pytest.mark.parametrize(("reply", "permanent"), [("550 no such user", True), ("451 try again later", False)])
def test_refused_recipients_fail_permanently_on_5xx_and_transiently_on_4xx(reply: str, permanent: bool) -> None:
    """The SMTP reply code decides: 5xx will not get better, 4xx may."""
    with smtp_sink() as (sink, port):
        sink.refuse = reply
        with pytest.raises(SendFailed) as raised:
            send_email(envelope(Channel.EMAIL, to=TO), "d", settings(port), {}, NOW)
    assert raised.value.permanent is permanent
    assert str(raised.value) == f"SMTP 127.0.0.1:{port}: recipients refused: ops@example.com, wang@example.cn"


def test_an_unreachable_smtp_server_is_a_transient_failure() -> None:
    """Nothing listening on the port: retried later."""
    port = free_port()
    with pytest.raises(SendFailed) as raised:
        send_email(envelope(Channel.EMAIL, to=TO), "d", settings(port), {}, NOW)
    assert not raised.value.permanent
    assert str(raised.value).startswith(f"SMTP 127.0.0.1:{port}: ConnectionRefusedError")


def test_an_email_without_addresses_is_a_permanent_failure() -> None:
    """No address to send to: dead-lettered, nothing to retry."""
    with pytest.raises(SendFailed, match="no address to send to") as raised:
        send_email(envelope(Channel.EMAIL), "d", settings(1), {}, NOW)
    assert raised.value.permanent
