"""Measurements pushed over HTTP: stored once per Idempotency-Key, evaluated exactly, refused whole when bad."""

from __future__ import annotations

from typing import Any

from api_support import OWN, Api

EVENTS = "/api/v1/agreements/shop/events"


def _events(errors: int, total: int) -> list[dict[str, Any]]:
    """`total` requests on 15 November 2026 from 10:00 UTC, one per second; the first `errors` failed."""
    return [
        {
            "timestamp": f"2026-11-15T10:{i // 60:02d}:{i % 60:02d}Z",
            "outcome": "error" if i < errors else "ok",
            "region": "eu",
        }
        for i in range(total)
    ]


def _push(api: Api, key: str, body: dict[str, Any], path: str = EVENTS) -> Any:
    return api.client.post(path, json=body, headers=api.as_("editor") | {"Idempotency-Key": key})


def _period(api: Api, objective: str) -> dict[str, Any]:
    status = api.client.get(f"/api/v1/agreements/{OWN}/status", headers=api.as_("viewer")).json()
    [found] = [o for o in status["objectives"] if o["objective"] == objective]
    return found["periods"][-1]


def test_a_replayed_push_returns_the_first_answer_and_stores_nothing(api: Api) -> None:
    """The same key twice stores the 100 events once; the replay is marked and answers the same."""
    body = {"stream": "requests", "rows": _events(2, 100)}
    first = _push(api, "k-1", body)
    again = _push(api, "k-1", body)
    assert first.status_code == again.status_code == 201
    assert (
        first.json()
        == again.json()
        == {
            "batch": "api:shop:requests:k-1",
            "agreement": "shop",
            "stream": "requests",
            "kind": "events",
            "rows": 100,
        }
    )
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert [entry.key for entry in api.runtime.store.ledger("shop")] == ["api:shop:requests:k-1"]
    november = _period(api, "success")
    assert (november["period"], november["good"], november["valid"], november["ratio"]) == (
        "2026-11",
        "98",
        "100",
        "0.98",
    )
    assert november["budget"] == {"unit": "events", "allowed": "1", "consumed": "2", "remaining": "-1"}


def test_burn_rates_cover_each_alert_window(api: Api) -> None:
    """2 bad of 100 between 10:00 and 10:02, seen at 12:00: windows of 2 h and more burn at 0.02 / 0.01 = 2."""
    assert _push(api, "k-5", {"stream": "requests", "rows": _events(2, 100)}).status_code == 201
    status = api.client.get(f"/api/v1/agreements/{OWN}/status", headers=api.as_("viewer")).json()
    [success] = [o for o in status["objectives"] if o["objective"] == "success"]
    assert success["burnRates"] == [
        {"windowMinutes": 5, "burnRate": None},
        {"windowMinutes": 30, "burnRate": None},
        {"windowMinutes": 60, "burnRate": None},
        {"windowMinutes": 120, "burnRate": "2"},
        {"windowMinutes": 360, "burnRate": "2"},
        {"windowMinutes": 1440, "burnRate": "2"},
        {"windowMinutes": 4320, "burnRate": "2"},
    ]


def test_the_same_key_with_another_body_is_a_conflict(api: Api) -> None:
    """A key cannot stand for two requests: the second gets 409 and its rows are not stored."""
    assert _push(api, "k-2", {"stream": "requests", "rows": _events(0, 10)}).status_code == 201
    clash = _push(api, "k-2", {"stream": "requests", "rows": _events(5, 10)})
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "conflict"
    assert _period(api, "success")["good"] == "10"


def test_bad_rows_are_all_named_and_nothing_is_stored(api: Api) -> None:
    """Two bad rows of three: both are named by index and column; the ledger stays empty; a fixed retry works."""
    rows = [*_events(0, 1), {"timestamp": "yesterday", "outcome": "ok"}, {"outcome": "ok"}]
    refused = _push(api, "k-3", {"stream": "requests", "rows": rows})
    assert refused.status_code == 422
    problems = refused.json()["error"]["problems"]
    assert [(p["path"], p["message"]) for p in problems] == [
        ("rows[1].timestamp", "not an ISO 8601 instant: 'yesterday'"),
        ("rows[2].timestamp", "is missing"),
    ]
    assert api.runtime.store.ledger("shop") == []
    assert _push(api, "k-3", {"stream": "requests", "rows": _events(0, 3)}).status_code == 201


def test_a_push_needs_an_idempotency_key(api: Api) -> None:
    """Without the header the push is refused with the header's location."""
    response = api.client.post(EVENTS, json={"stream": "requests", "rows": _events(0, 1)}, headers=api.as_("editor"))
    assert response.status_code == 422
    assert [p["path"] for p in response.json()["error"]["problems"]] == ["header.Idempotency-Key"]


def test_incidents_count_as_downtime(api: Api) -> None:
    """A 30-minute incident consumes 30 of November's 43.2 allowed minutes (0.1% of 30 days)."""
    body = {"stream": "outages", "rows": [{"start": "2026-11-10T00:00:00Z", "end": "2026-11-10T00:30:00Z"}]}
    assert _push(api, "i-1", body, "/api/v1/agreements/shop/incidents").status_code == 201
    assert _period(api, "uptime")["budget"] == {
        "unit": "minutes",
        "allowed": "43.2",
        "consumed": "30",
        "remaining": "13.2",
    }


def test_a_push_names_its_stream(api: Api) -> None:
    """Rows without a stream or objective are refused, listing the agreement's streams."""
    refused = _push(api, "s-1", {"rows": _events(0, 1)})
    [problem] = refused.json()["error"]["problems"]
    assert (refused.status_code, problem["path"]) == (422, "stream")
    assert problem["hint"] == "name the stream (metered, outages, requests) or an objective whose stream it is"


def test_a_stream_takes_only_its_kind(api: Api) -> None:
    """Events pushed to the incident stream are refused, naming the kind it takes."""
    body = {"stream": "outages", "rows": _events(0, 1)}
    refused = _push(api, "x-1", body)
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"][0]["message"] == "stream 'outages' takes incidents"


def test_counts_go_to_a_metric_objective(api: Api) -> None:
    """Three minutes of 99 good in 100 give 297 of 300 for the metered objective; duplicates and bad counts are refused."""
    rows = [{"minute": f"2026-11-15T11:0{i}:00Z", "good": 99, "valid": 100} for i in range(3)]
    path = "/api/v1/agreements/shop/counts"
    assert _push(api, "c-1", {"objective": "metered", "rows": rows}, path).status_code == 201
    november = _period(api, "metered")
    assert (november["good"], november["valid"]) == ("297", "300")
    bad = [{"minute": "2026-11-15T11:00:30Z", "good": 2, "valid": 1}]
    problems = _push(api, "c-2", {"objective": "metered", "rows": bad}, path).json()["error"]["problems"]
    assert [p["path"] for p in problems] == ["rows[0].minute"]
    wrong = _push(api, "c-3", {"objective": "success", "rows": rows}, path).json()["error"]["problems"]
    assert wrong[0]["message"] == "no objective 'success' counted from a metric"


def test_only_editors_and_admins_push(api: Api) -> None:
    """Viewers and customers may not push, even to the customer's own agreement."""
    for role in ("viewer", "customer"):
        response = api.client.post(
            EVENTS, json={"stream": "requests", "rows": _events(0, 1)}, headers=api.as_(role) | {"Idempotency-Key": "r"}
        )
        assert response.status_code == 403
