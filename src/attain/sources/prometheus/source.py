"""Reading a Prometheus server: range queries over HTTP, in chunks, with retries.

Each query is evaluated through `/api/v1/query_range` with a step of 60 s at `t = m + 60 s`,
and its value is assigned to the minute bucket `[m, m + 1 min)`. A 5xx or a timeout is retried
with backoff; a 4xx is never retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx

from attain.engine.instant import US_PER_MINUTE, US_PER_SECOND, Interval, from_us
from attain.engine.measurement import MinuteCounts
from attain.errors import InvalidInput, Problem
from attain.model import Objective
from attain.sources.prometheus.error import PrometheusDataError, PrometheusQueryError, PrometheusUnavailable
from attain.sources.prometheus.query import prometheus_queries
from attain.sources.prometheus.sample import Fetched, combine

STEP_SECONDS = 60
"""One evaluation per minute."""
MAX_STEPS = 10_000
"""Minutes per request, under Prometheus' limit of 11,000 points per series."""
MAX_ATTEMPTS = 3
"""Attempts per request when Prometheus answers 5xx or times out; a 4xx is never retried."""


class PrometheusSource:
    """Reads per-minute counts of ratio objectives from a Prometheus server.

    Args:
        base_url: The server, e.g. `http://prometheus:9090` (a path prefix is kept).
        client: The HTTP client; tests pass one on `httpx.MockTransport`.
        timeout_seconds: Per request, for the connection and for Prometheus' evaluation.
        backoff_seconds: Wait before the second attempt; doubled before the third.
        sleep: How to wait (tests pass a recorder).
    """

    def __init__(
        self,
        base_url: str,
        client: httpx.Client,
        *,
        timeout_seconds: float = 30.0,
        backoff_seconds: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.url = self.base_url + "/api/v1/query_range"
        self._client = client
        self._timeout = timeout_seconds
        self._backoff = backoff_seconds
        self._sleep = sleep

    def minute_counts(self, objective: Objective, start: int, end: int) -> tuple[MinuteCounts, list[Interval]]:
        """Counts of minutes `[start, end)` and the gaps recorded as no data.

        Raises:
            PrometheusDataError: a minute had NaN, ±Inf, a negative value, good above valid, or
                good without valid; use `fetch` to keep the counts and see the problems.
        """
        fetched = self.fetch(objective, start, end)
        if fetched.problems:
            raise PrometheusDataError(fetched.problems)
        return fetched.counts, fetched.gaps

    def fetch(self, objective: Objective, start: int, end: int) -> Fetched:
        """Counts, gaps and problems of minutes `[start, end)` (instants on whole minutes)."""
        queries = prometheus_queries(objective)
        if queries is None:
            hint = "give valid and good (or bad) each a metric: {type: Prometheus, spec: {query: ...}}"
            raise _invalid("objective", f"{objective.name} is not a ratio with Prometheus queries", hint)
        if start % US_PER_MINUTE or end % US_PER_MINUTE or end <= start:
            hint = "give whole-minute instants with start before end"
            raise _invalid("range", f"[{from_us(start)}, {from_us(end)}) is not a range of whole minutes", hint)
        valid = self.samples(queries.valid, start, end)
        part = self.samples(queries.good or queries.bad or "", start, end)
        return combine(objective.name, start, (end - start) // US_PER_MINUTE, valid, part, bad=queries.good is None)

    def samples(self, query: str, start: int, end: int) -> dict[int, str]:
        """The raw value of each minute in `[start, end)` by minute index, in chunks of `MAX_STEPS`."""
        found: dict[int, str] = {}
        for chunk in range(start, end, MAX_STEPS * US_PER_MINUTE):
            last = min(end, chunk + MAX_STEPS * US_PER_MINUTE) - US_PER_MINUTE
            body = self._request(query, chunk + US_PER_MINUTE, last + US_PER_MINUTE)
            for at_seconds, value in _points(query, body):
                minute = at_seconds * US_PER_SECOND - US_PER_MINUTE
                if not chunk <= minute <= last or (minute - start) % US_PER_MINUTE:
                    raise PrometheusQueryError(query, 0, f"answer has an instant off the minute grid: {at_seconds}")
                found[(minute - start) // US_PER_MINUTE] = value
        return found

    def _request(self, query: str, first: int, last: int) -> dict[str, Any]:
        """POST one range query evaluated at `first`, `first + 60 s`, ..., `last` (µs), with retries."""
        form = {
            "query": query,
            "start": str(first // US_PER_SECOND),
            "end": str(last // US_PER_SECOND),
            "step": f"{STEP_SECONDS}s",
            "timeout": f"{max(1, int(self._timeout))}s",
        }
        reason = ""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if attempt > 1:
                self._sleep(self._backoff * 2 ** (attempt - 2))
            try:
                response = self._client.post(self.url, data=form, timeout=self._timeout)
            except httpx.TimeoutException as error:
                reason = f"timed out after {self._timeout} s ({type(error).__name__})"
                continue
            except httpx.TransportError as error:
                raise PrometheusUnavailable(f"cannot reach Prometheus at {self.url}: {error}") from error
            if response.status_code >= 500:
                reason = f"HTTP {response.status_code}: {_detail(response)}"
                continue
            if response.status_code >= 400:
                raise PrometheusQueryError(query, response.status_code, _detail(response))
            return _body(query, response)
        raise PrometheusUnavailable(f"Prometheus at {self.url} failed {MAX_ATTEMPTS} times; last: {reason}")


def _invalid(path: str, message: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem("<prometheus>", None, None, path, message, hint)])


def _detail(response: httpx.Response) -> str:
    """Prometheus' `error` field, or the start of the body when it is not Prometheus JSON."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(data, dict) and "error" in data:
        return f"{data.get('errorType', 'error')}: {data['error']}"
    return response.text[:200]


def _body(query: str, response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise PrometheusQueryError(query, response.status_code, f"not JSON: {response.text[:200]!r}") from None
    if not isinstance(data, dict) or data.get("status") != "success":
        raise PrometheusQueryError(query, response.status_code, _detail(response))
    return data


def _points(query: str, body: dict[str, Any]) -> list[tuple[int, str]]:
    """The (instant in whole seconds, value text) pairs of the one series of a matrix answer."""
    data = body.get("data") or {}
    if data.get("resultType") != "matrix":
        raise PrometheusQueryError(query, 0, f"expected a matrix, got {data.get('resultType')!r}")
    series = data.get("result") or []
    if len(series) > 1:
        labels = ", ".join(str(s.get("metric", {})) for s in series[:3])
        raise PrometheusQueryError(query, 0, f"gives {len(series)} series ({labels}); aggregate it, e.g. sum(...)")
    points = []
    for at, value in series[0].get("values", []) if series else []:
        seconds = Decimal(str(at))
        if seconds != seconds.to_integral_value():
            raise PrometheusQueryError(query, 0, f"answer has an instant off the minute grid: {at}")
        points.append((int(seconds), str(value)))
    return points
