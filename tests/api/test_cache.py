"""The status cache: one evaluation for concurrent callers, and never stale after a store or when the minute turns."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from api_support import NOW, OWN, Api


def _evaluations(api: Api) -> float:
    """How many statuses the runtime has evaluated (the evaluation histogram's count)."""
    [family] = api.runtime.metrics.evaluation_seconds.collect()
    return next(s.value for s in family.samples if s.name.endswith("_count"))


def test_concurrent_callers_share_one_evaluation(api: Api) -> None:
    """Eight threads asking at once for the same status cause one evaluation and get the same result."""
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: api.runtime.cached_status(OWN), range(8)))
    assert all(r is results[0] for r in results)
    assert _evaluations(api) == 1


def test_a_stored_batch_or_a_new_minute_refreshes_the_status(api: Api) -> None:
    """Status is re-evaluated after a push and when the clock enters the next minute, and not otherwise."""
    path = f"/api/v1/agreements/{OWN}/status"
    first = api.client.get(path, headers=api.as_("viewer")).json()
    api.client.get(path, headers=api.as_("viewer"))
    assert _evaluations(api) == 1
    row = {"timestamp": "2026-11-15T11:00:00Z", "outcome": "error"}
    api.client.post(
        f"/api/v1/agreements/{OWN}/events",
        json={"stream": "requests", "rows": [row]},
        headers=api.as_("editor") | {"Idempotency-Key": "cache"},
    )
    second = api.client.get(path, headers=api.as_("viewer")).json()
    assert (first["objectives"][0]["periods"][-1]["valid"], second["objectives"][0]["periods"][-1]["valid"]) == (
        "0",
        "1",
    )
    api.runtime.clock = lambda: NOW + 60_000_000
    third = api.client.get(path, headers=api.as_("viewer")).json()
    assert (second["at"], third["at"]) == ("2026-11-15T12:00:00Z", "2026-11-15T12:01:00Z")
    assert _evaluations(api) == 3
