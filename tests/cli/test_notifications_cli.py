"""`attain notifications NAME`: the history as a table in English and Chinese, as JSON, filtered by status."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_support import Cli

from attain.engine.notices import Channel, Condition, Envelope, Notice, NoticeStatus
from attain.model.notify import EventKind
from attain.storage import connect
from attain.storage.outbox import SqlOutbox
from attain.testing import agreement, agreement_yaml, ratio_objective

T0 = 1_793_448_000_000_000  # 2026-10-31T12:00:00Z in µs (`date -u -d @1793448000`), 20:00 in Shanghai
SECOND = 1_000_000


def _seed(data_dir: Path) -> None:
    """A breach e-mail sent to the customer, a page dead-lettered, a webhook failed once and due at 20:05 Shanghai time."""
    engine = connect(f"sqlite:///{data_dir}/attain.db")
    outbox = SqlOutbox(engine)
    for i, (receiver, kind, key, channel, party) in enumerate(
        [
            ("shop-mail", EventKind.BREACH, "breach/checkout/2026-10", Channel.EMAIL, "customer"),
            ("oncall", EventKind.BURN_RATE, "burn-rate/checkout/page/1h-5m", Channel.ALERTMANAGER, "provider"),
            ("shop-hook", EventKind.CREDIT, "credit/2026-10", Channel.WEBHOOK, "customer"),
        ]
    ):
        condition = Condition(kind, key, "shop", "checkout", "critical", T0, kind is EventKind.BURN_RATE)
        envelope = Envelope(Notice(receiver, condition, NoticeStatus.FIRING, T0), channel, party, "en", "Shop")
        outbox.record("shop", [], [envelope], T0 + i * SECOND)
    mail, page, hook = outbox.claim(T0 + 60 * SECOND, 3, 30 * SECOND)
    outbox.sent(mail.id, T0 + 60 * SECOND)
    outbox.failed(page.id, T0 + 60 * SECOND, "connection refused", None)
    outbox.failed(hook.id, T0 + 60 * SECOND, "HTTP 503", T0 + 300 * SECOND)
    engine.dispose()


def _apply(attain: Cli, tmp_path: Path) -> None:
    """Store agreement `shop` (time zone Asia/Shanghai) and seed its outbox."""
    document = agreement(objectives=[ratio_objective("checkout", target="99%")], time_zone="Asia/Shanghai")
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    attain.out("apply", tmp_path / "shop.yaml")
    _seed(attain.data_dir)


def test_the_history_as_json_newest_first(attain: Cli, tmp_path: Path) -> None:
    """JSON lists the three messages newest first with their status and errors; --status dead keeps the page only."""
    _apply(attain, tmp_path)
    found = json.loads(attain.out("notifications", "shop", "-o", "json"))
    assert found["counts"] == {"pending": 1, "sent": 1, "dead": 1}
    assert [(n["receiver"], n["status"], n["attempts"], n["lastError"]) for n in found["notifications"]] == [
        ("shop-hook", "pending", 1, "HTTP 503"),
        ("oncall", "dead", 1, "connection refused"),
        ("shop-mail", "sent", 1, None),
    ]
    assert found["notifications"][0]["nextAttemptAt"] == "2026-10-31T12:05:00Z"
    dead = json.loads(attain.out("notifications", "shop", "--status", "dead", "-o", "json"))
    assert [n["receiver"] for n in dead["notifications"]] == ["oncall"]
    newest = json.loads(attain.out("notifications", "shop", "--limit", "1", "-o", "json"))
    assert [n["receiver"] for n in newest["notifications"]] == ["shop-hook"]


def test_the_table_in_english_and_chinese(attain: Cli, tmp_path: Path) -> None:
    """The table says what failed and when it is tried again, in the agreement's time zone (UTC+8), in both languages."""
    _apply(attain, tmp_path)
    wide = attain.with_env(COLUMNS="250")
    english = wide.out("notifications", "shop")
    assert "Notifications about shop" in english
    assert "1 sent, 1 waiting, 1 dead-lettered" in english
    assert "failed, will retry" in english
    assert "HTTP 503; next attempt Oct 31, 2026 20:05" in english
    assert "connection refused; no attempt left" in english
    assert "delivered Oct 31, 2026 20:01" in english
    chinese = wide.out("notifications", "shop", "--lang", "zh-CN")
    assert "关于 shop 的通知" in chinese
    assert "已发送 1 条，等待发送 1 条，死信 1 条" in chinese
    assert "发送失败，将重试" in chinese
    assert "HTTP 503；下次尝试 2026年10月31日 20:05" in chinese


def test_unknown_agreement_and_bad_options_are_refused(attain: Cli) -> None:
    """An unknown agreement exits 2 naming it; an unknown status or a limit of 0 is a usage error."""
    unknown = attain("notifications", "nope")
    assert unknown.returncode == 2
    assert "no stored agreement named 'nope'" in unknown.stderr
    assert attain("notifications", "nope", "--status", "lost").returncode == 2
    assert attain("notifications", "nope", "--limit", "0").returncode == 2


def test_nothing_sent_yet(attain: Cli, tmp_path: Path) -> None:
    """An agreement nothing was sent about says so."""
    document = agreement(objectives=[ratio_objective("checkout", target="99%")])
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    attain.out("apply", tmp_path / "shop.yaml")
    printed = attain.out("notifications", "shop")
    assert "0 sent, 0 waiting, 0 dead-lettered" in printed
    assert "Nothing has been sent about this agreement yet." in printed


def test_requeue_makes_the_dead_letter_due_again_in_both_languages(attain: Cli, tmp_path: Path) -> None:
    """--requeue says one message is due again (en and zh-CN); the page is pending with its attempts reset."""
    _apply(attain, tmp_path)
    said = attain.out("notifications", "shop", "--requeue", "--status", "dead")
    assert said.splitlines()[0] == "1 dead-lettered message(s) due again; the scheduler sends them at its next tick."
    assert "Nothing has been sent about this agreement yet." in said  # no dead letter is left to list
    found = json.loads(attain.out("notifications", "shop", "-o", "json"))
    assert found["counts"] == {"pending": 2, "sent": 1, "dead": 0}
    page = next(n for n in found["notifications"] if n["receiver"] == "oncall")
    assert (page["status"], page["attempts"], page["lastError"]) == ("pending", 0, "connection refused")
    again = attain.out("notifications", "shop", "--requeue", "--lang", "zh-CN")
    assert again.splitlines()[0] == "0 条死信已重新排队；调度器将在下一次运行时发送。"
