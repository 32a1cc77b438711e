"""The status answers each case's state and each freshness period's gaps, typed by StatusOut, values worked by hand."""

from __future__ import annotations

from typing import Any

from api_support import NOW, Api
from attain.api.schemas.results import StatusOut
from attain.formats.bundle import load_bundle_text
from attain.services.store import apply_bundle
from desk_support import DESK


def _push(api: Api, kind: str, stream: str, rows: list[dict[str, Any]]) -> None:
    answer = api.client.post(
        f"/api/v1/agreements/desk/{kind}",
        json={"stream": stream, "rows": rows},
        headers=api.as_("editor") | {"Idempotency-Key": stream},
    )
    assert answer.status_code == 201, answer.text


def _status(api: Api) -> dict[str, Any]:
    apply_bundle(api.runtime.store, load_bundle_text(DESK, "desk.yaml"), NOW)
    tickets = [
        ("t1", "opened", "2026-11-15T09:00:00Z", "P1"),
        ("t2", "opened", "2026-11-15T10:00:00Z", "P1"),
        ("t2", "waiting", "2026-11-15T10:30:00Z", None),
        ("t3", "opened", "2026-11-14T08:00:00Z", "P1"),
        ("t3", "resolved", "2026-11-14T10:00:00Z", None),
        ("t4", "opened", "2026-11-15T06:00:00Z", "P1"),
    ]
    rows = [{"case": c, "type": t, "timestamp": at} | ({"priority": p} if p else {}) for c, t, at, p in tickets]
    _push(api, "cases", "tickets", rows)
    backups = ["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "2026-11-04T00:00:00Z", "2026-11-14T12:00:00Z"]
    _push(api, "events", "backups", [{"timestamp": at} for at in backups])
    body = api.client.get("/api/v1/agreements/desk/status", headers=api.as_("viewer")).content
    assert StatusOut.model_validate_json(body).model_dump_json(by_alias=True).encode() == body
    return StatusOut.model_validate_json(body).model_dump(by_alias=True)


def test_the_status_gives_each_case_s_state_at_the_instant(api: Api) -> None:
    """At 15 Nov 12:00 (P1 goal 4 h, calendar time): one case open, one paused, one met, one breached still open."""
    response, backup = _status(api)["objectives"]
    assert backup["cases"] is None
    cases = response["cases"]
    assert cases["counts"] == {"open": 1, "paused": 1, "met": 1, "breached": 1}
    assert cases["atRisk"] == 1
    t1, t2, t3, t4 = cases["items"]
    # t1: 09:00 → 12:00 = 180 min of 240, 60 left, 75%; due 13:00; 50% (2 h) reached at 11:00, so at risk.
    assert t1 == {
        "case": "t1",
        "priority": "P1",
        "state": "open",
        "clock": "running",
        "atRisk": True,
        "started": "2026-11-15T09:00:00Z",
        "stopped": None,
        "goalMinutes": "240",
        "elapsedMinutes": "180",
        "remainingMinutes": "60",
        "used": "0.75",
        "usedPercent": "75%",
        "due": "2026-11-15T13:00:00Z",
        "decidedAt": None,
        # 2 h (50%) of running time at 11:00, 3 h (75%) at 12:00, the instant itself
        "warning": "0.75",
        "warningPercent": "75%",
        "warnings": [
            {"share": "0.5", "percent": "50%", "reachedAt": "2026-11-15T11:00:00Z"},
            {"share": "0.75", "percent": "75%", "reachedAt": "2026-11-15T12:00:00Z"},
        ],
    }
    # t2: 10:00 → 10:30 then paused: 30 min, 12.5%, no due while paused.
    assert (t2["state"], t2["clock"], t2["elapsedMinutes"], t2["used"], t2["due"]) == (
        "paused",
        "paused",
        "30",
        "0.125",
        None,
    )
    # t3: 08:00 → 10:00 on the 14th: 120 min, 50%, met at its stop.
    assert (t3["state"], t3["clock"], t3["used"], t3["decidedAt"]) == ("met", "stopped", "0.5", "2026-11-14T10:00:00Z")
    # t4: 06:00 → 12:00 = 360 min, 120 over, 150%; breached at 10:00, clock still running.
    assert (t4["state"], t4["clock"], t4["remainingMinutes"], t4["used"], t4["decidedAt"]) == (
        "breached",
        "running",
        "-120",
        "1.5",
        "2026-11-15T10:00:00Z",
    )


def test_the_status_gives_a_freshness_period_s_gaps(api: Api) -> None:
    """November so far: gaps 1→2 Nov (24 h), 2→4 Nov (48 h, 24 h over), 4→14 Nov 12:00 (252 h, 228 h over), then open."""
    response, backup = _status(api)["objectives"]
    assert response["periods"][-1]["gaps"] is None
    november = backup["periods"][-1]
    assert november["period"] == "2026-11"
    longest = {
        "start": "2026-11-04T00:00:00Z",
        "end": "2026-11-14T12:00:00Z",
        "minutes": "15120",  # 252 h
        "excessMinutes": "13680",  # 228 h
        "countedMinutes": "13680",
        "fromEvent": True,
        "open": False,
    }
    assert november["gaps"] == {
        "longest": longest,
        "over": [
            {
                "start": "2026-11-02T00:00:00Z",
                "end": "2026-11-04T00:00:00Z",
                "minutes": "2880",
                "excessMinutes": "1440",
                "countedMinutes": "1440",
                "fromEvent": True,
                "open": False,
            },
            longest,
        ],
    }
    # The last gap, 14 Nov 12:00 → 15 Nov 12:00 (the instant), is exactly 24 h: open, not over.
    # October had no backup: one gap from the agreement's start (not an event) to the period's end.
    october = backup["periods"][-2]
    assert october["gaps"]["over"] == [
        {
            "start": "2026-10-01T00:00:00Z",
            "end": "2026-11-01T00:00:00Z",
            "minutes": "44640",  # 31 days
            "excessMinutes": "43200",  # 30 days
            "countedMinutes": "43200",
            "fromEvent": False,
            "open": True,
        }
    ]
