"""The results' response models answer exactly the JSON of the status (`formats.results`), field for field and byte for byte."""

from __future__ import annotations

import json
from typing import Any

from api_support import NOW, OWN, Api
from attain.api.schemas.results import AlertOut, FiringAlertOut, PeriodOut, StatusOut, StoredResultOut
from attain.engine.instant import US_PER_MINUTE, iso_utc

AGREEMENT = f"/api/v1/agreements/{OWN}"


def _errors_in_the_last_minutes(api: Api) -> None:
    """Push only failed requests for the ten minutes before now, so that the page alert fires."""
    start = NOW - NOW % US_PER_MINUTE - 10 * US_PER_MINUTE
    rows = [{"timestamp": iso_utc(start + i * 6_000_000), "outcome": "error"} for i in range(100)]
    pushed = api.client.post(
        f"{AGREEMENT}/events",
        json={"stream": "requests", "rows": rows},
        headers=api.as_("editor") | {"Idempotency-Key": "errors"},
    )
    assert pushed.status_code == 201


def _compact(data: Any) -> bytes:
    """JSON as the status is written: compact, UTF-8, keys in their order."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def test_the_status_round_trips_through_its_model(api: Api) -> None:
    """The status body validates as StatusOut and serialises back to the same bytes."""
    _errors_in_the_last_minutes(api)
    body = api.client.get(f"{AGREEMENT}/status", headers=api.as_("viewer")).content
    assert StatusOut.model_validate_json(body).model_dump_json(by_alias=True).encode() == body


def test_objective_alerts_and_credits_are_the_status_parts(api: Api) -> None:
    """An objective, the firing alerts and the credits answer the status's own parts, keys in the same order."""
    _errors_in_the_last_minutes(api)
    viewer = api.as_("viewer")
    status = api.client.get(f"{AGREEMENT}/status", headers=viewer).json()
    for objective in status["objectives"]:
        answer = api.client.get(f"{AGREEMENT}/objectives/{objective['objective']}", headers=viewer)
        assert answer.content == _compact(objective)
    firing = [{"objective": o["objective"]} | a for o in status["objectives"] for a in o["alerts"] if a["firing"]]
    assert firing
    assert {a["objective"] for a in firing} == {"success"}
    assert api.client.get(f"{AGREEMENT}/alerts", headers=viewer).content == _compact(firing)
    assert api.client.get(f"{AGREEMENT}/credits", headers=viewer).content == _compact(status["credits"])


def test_a_period_answers_each_objective_s_period_of_the_status(api: Api) -> None:
    """A period's answer is each objective's period of that label from the status, nulls kept as null."""
    viewer = api.as_("viewer")
    status = api.client.get(f"{AGREEMENT}/status", headers=viewer).json()
    expected = [p for o in status["objectives"] for p in o["periods"] if p["period"] == "2026-11"]
    answer = api.client.get(f"{AGREEMENT}/periods/2026-11", headers=viewer)
    assert answer.content == _compact(expected)
    assert any(p["ratio"] is None for p in answer.json())


def test_the_copies_keep_their_originals_fields() -> None:
    """A stored result has a period's fields plus objective and evaluatedAt; a firing alert an alert's plus objective."""
    assert set(StoredResultOut.model_fields) == set(PeriodOut.model_fields) | {"objective", "evaluated_at"}
    assert list(FiringAlertOut.model_fields) == ["objective", *AlertOut.model_fields]
