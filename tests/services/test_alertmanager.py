"""Alertmanager's alerts in any order and number of repeats give one incident, ended once a resolved alert came."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from api_support import agreement_text
from attain.engine.measurement import Incident
from attain.formats.bundle import load_bundle_text
from attain.services.alertmanager import receive_alerts
from attain.services.store import apply_bundle
from attain.services.store import status as stored_status
from attain.testing import MemoryStore

NOW = int(datetime(2026, 11, 15, 12, tzinfo=UTC).timestamp()) * 1_000_000
START = int(datetime(2026, 11, 15, 11, tzinfo=UTC).timestamp()) * 1_000_000
END = START + 17 * 60_000_000
LABELS = {"agreement": "shop", "alertname": "ShopDown"}


def _alert(status: str) -> dict[str, str | dict[str, str]]:
    return {
        "status": status,
        "labels": LABELS,
        "startsAt": "2026-11-15T11:00:00Z",
        "endsAt": "2026-11-15T11:17:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
        "fingerprint": "a1b2c3d4e5f60718",
    }


@given(st.lists(st.sampled_from(["firing", "resolved"]), min_size=1, max_size=6))
def test_any_sequence_of_firing_and_resolved_alerts_stores_one_incident(sequence: list[str]) -> None:
    """The first alert opens (firing) or records (resolved) it; the first resolved after a firing closes it; the rest are known."""
    store = MemoryStore()
    apply_bundle(store, load_bundle_text(agreement_text("shop", "Example Shop"), "shop.yaml"), NOW)
    actions = [receive_alerts(store, [_alert(status)], lambda _: True, NOW)[0].action for status in sequence]
    expected, seen_firing, ended = [], False, False
    for status in sequence:
        if status == "firing":
            expected.append("known" if seen_firing or ended else "opened")
            seen_firing = True
        else:
            expected.append("known" if ended else "closed" if seen_firing else "recorded")
            ended = True
    assert actions == expected
    end = END if "resolved" in sequence else None
    attributes = LABELS | {"fingerprint": "a1b2c3d4e5f60718"}
    assert store.incidents("outages", START, NOW, "shop") == [Incident(START, end, attributes)]
    assert len(store.ledger("shop")) == (2 if "resolved" in sequence else 1)


def test_the_indicator_s_where_applies_to_the_alert_s_labels() -> None:
    """With `where: {severity: critical}` a critical alert's 17 minutes count and a warning's 30 do not."""
    store = MemoryStore()
    text = agreement_text("shop", "Example Shop").replace(
        "{kind: availability, from: incidents, events: outages}",
        "{kind: availability, from: incidents, events: outages, where: {severity: critical}}",
    )
    apply_bundle(store, load_bundle_text(text, "shop.yaml"), NOW)
    critical = _alert("resolved") | {"labels": LABELS | {"severity": "critical"}}
    warning = _alert("firing") | {"labels": LABELS | {"severity": "warning"}, "fingerprint": "0000000000000001"}
    warning["startsAt"] = "2026-11-15T11:30:00Z"
    received = receive_alerts(store, [critical, warning], lambda _: True, NOW)
    assert [r.action for r in received] == ["recorded", "opened"]
    [evaluation] = stored_status(store, ["shop"], NOW)
    [uptime] = [o for o in evaluation.evaluation.objectives if o.objective == "uptime"]
    assert uptime.current is not None
    assert uptime.current.budget is not None
    assert uptime.current.budget.consumed == 17
