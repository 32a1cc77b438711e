"""The default sender picks the channel: one delivery run reaches a webhook and an SMTP server for real."""

from __future__ import annotations

import json

from attain.engine.notices import Channel
from attain.services.delivery import deliver
from attain.settings import NotifySettings
from attain.testing import MemoryOutbox
from notify_support import AT, envelope, run_hook, smtp_sink


def test_one_run_sends_a_webhook_and_an_email_each_by_its_channel() -> None:
    """Without `send`, deliver uses the Notifier: the hook gets the v4 body, the SMTP sink the e-mail."""
    with run_hook() as hook, smtp_sink() as (sink, port):
        outbox = MemoryOutbox()
        assert outbox.enqueue(envelope(Channel.WEBHOOK, hook.url), AT)
        assert outbox.enqueue(envelope(Channel.EMAIL, to=("ops@example.com",)), AT)
        settings = NotifySettings(allow=("127.0.0.1",), smtp_host="127.0.0.1", smtp_port=port)
        report = deliver(outbox, settings, {}, AT)
    assert [(o.id, o.status) for o in report.outcomes] == [(1, "sent"), (2, "sent")]
    assert json.loads(hook.requests[0].body)["version"] == "4"
    assert [(mail_from, rcpt) for mail_from, rcpt, _ in sink.mails] == [("attain@localhost", ["ops@example.com"])]
