"""The agreement page's Notifications section: sent, failed, dead-lettered; a customer sees its own; en and zh-CN."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from attain.engine.notices import Channel, Condition, Envelope, Notice, NoticeStatus
from attain.model.notify import EventKind
from attain.services.runtime import Runtime
from attain.storage.outbox import SqlOutbox
from web.dashboard_support import sign_in, text_of

from .conftest import FIXED

SECOND = 1_000_000
MESSAGES = [
    ("oncall", EventKind.BURN_RATE, "burn-rate/first-response/page/1h-5m", Channel.ALERTMANAGER, "provider"),
    ("lotus-mail", EventKind.BREACH, "breach/first-response/2026-10", Channel.EMAIL, "customer"),
    ("lotus-hook", EventKind.CREDIT, "credit/2026-10", Channel.WEBHOOK, "customer"),
]


@pytest.fixture(scope="module")
def sent(runtime: Runtime) -> None:
    """support-desk (Asia/Shanghai): a page delivered, a breach e-mail dead-lettered, a credit webhook to retry at 18:05."""
    outbox = SqlOutbox(runtime.engine)
    for i, (receiver, kind, key, channel, party) in enumerate(MESSAGES):
        condition = Condition(kind, key, "support-desk", "first-response", "critical", FIXED, False)
        envelope = Envelope(Notice(receiver, condition, NoticeStatus.FIRING, FIXED), channel, party, "en", "Desk")
        outbox.record("support-desk", [], [envelope], FIXED + i * SECOND)
    page, mail, hook = outbox.claim(FIXED + 60 * SECOND, 3, 30 * SECOND)
    outbox.sent(page.id, FIXED + 60 * SECOND)
    outbox.failed(mail.id, FIXED + 60 * SECOND, "550 mailbox unavailable", None)
    outbox.failed(hook.id, FIXED + 60 * SECOND, "HTTP 503", FIXED + 300 * SECOND)


@pytest.mark.usefixtures("sent")
def test_an_operator_sees_every_message_with_its_state(client: TestClient, tokens: dict[str, str]) -> None:
    """Newest first: the webhook failed and retried at 18:05, the e-mail dead-lettered, the page delivered at 18:01."""
    sign_in(client, tokens["viewer"])
    page = client.get("/agreements/support-desk")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Notifications 1 sent, 1 waiting, 1 dead-lettered" in text
    hook = "Nov 27, 2026 18:00 lotus-hook webhook credit owed credit/2026-10 failed, will retry 1"
    assert f"{hook} HTTP 503; next attempt Nov 27, 2026 18:05" in text
    mail = "lotus-mail e-mail breach breach/first-response/2026-10 dead-lettered 1"
    assert f"{mail} 550 mailbox unavailable; no attempt left" in text
    assert (
        "oncall Alertmanager burn rate burn-rate/first-response/page/1h-5m sent 1 delivered Nov 27, 2026 18:01" in text
    )
    assert text.index("lotus-hook") < text.index("lotus-mail") < text.index("oncall")
    assert [s for s in ("dead", "failed", "sent") if f'data-state="{s}"' in page.text] == ["dead", "failed", "sent"]


@pytest.mark.usefixtures("sent")
def test_a_customer_sees_its_own_receivers_messages_in_chinese(client: TestClient, tokens: dict[str, str]) -> None:
    """Golden Lotus sees its two messages, not the provider's page, and the Chinese page says what failed."""
    sign_in(client, tokens["other"])
    client.get("/lang/zh-CN")
    text = text_of(client.get("/agreements/support-desk").text)
    assert "通知 已发送 0 条，等待发送 1 条，死信 1 条" in text
    assert "发送失败，将重试 1 HTTP 503；下次尝试 2026年11月27日 18:05" in text
    assert "死信 1 550 mailbox unavailable；不再重试" in text
    assert "oncall" not in text


def test_an_agreement_nothing_was_sent_about(client: TestClient, tokens: dict[str, str]) -> None:
    """An agreement with no message says nothing has been sent yet."""
    sign_in(client, tokens["viewer"])
    text = text_of(client.get("/agreements/cloud-uptime").text)
    assert "Notifications 0 sent, 0 waiting, 0 dead-lettered Nothing has been sent about this agreement yet." in text
