"""The status cache: one evaluation for concurrent callers, and never stale after a store or when the minute turns."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from api_support import NOW, OWN, Api
from attain.formats.results import evaluation_data
from attain.services.forecast import forecast_data
from attain.services.store import status


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
    """Status is re-evaluated after a push; when the minute turns it is refreshed in the background."""
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
    assert third["at"] == "2026-11-15T12:00:00Z", "only the minute turned: the previous minute is served"
    _wait_for(lambda: api.runtime.fresh_status(OWN, api.runtime.access.generation()) is not None)
    fourth = api.client.get(path, headers=api.as_("viewer")).json()
    assert fourth["at"] == "2026-11-15T12:01:00Z"
    assert _evaluations(api) == 3
    api.runtime.clock = lambda: NOW + 3 * 60_000_000
    fifth = api.client.get(path, headers=api.as_("viewer")).json()
    assert fifth["at"] == "2026-11-15T12:03:00Z", "two minutes behind is evaluated before answering"
    assert _evaluations(api) == 4


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the background refresh did not finish within 30 s"
        time.sleep(0.02)


def test_the_minute_turning_reuses_the_counts_read(api: Api) -> None:
    """The refresh when only the minute turned reads no counts again, and gives what a fresh evaluation gives."""
    path = f"/api/v1/agreements/{OWN}/status"
    api.client.get(path, headers=api.as_("viewer"))
    misses = api.runtime.memo.misses
    assert misses > 0
    api.runtime.clock = lambda: NOW + 60_000_000
    api.client.get(path, headers=api.as_("viewer"))
    _wait_for(lambda: api.runtime.fresh_status(OWN, api.runtime.access.generation()) is not None)
    refreshed = api.client.get(path, headers=api.as_("viewer")).json()
    assert refreshed["at"] == "2026-11-15T12:01:00Z"
    assert (api.runtime.memo.misses, api.runtime.memo.hits) == (misses, misses)
    [fresh] = status(api.runtime.store, [OWN], NOW + 60_000_000)
    forecasts = [
        next((f for f in fresh.forecasts if f.objective == o.objective), None) for o in fresh.evaluation.objectives
    ]
    expected = evaluation_data(fresh.evaluation) | {
        "adjustments": fresh.adjustments,
        "terminated": None,
        "review": None,
    }
    expected["objectives"] = [
        o | {"forecast": forecast_data(f)} for o, f in zip(expected["objectives"], forecasts, strict=True)
    ]
    assert refreshed == json.loads(json.dumps(expected))
