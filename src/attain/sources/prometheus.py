"""Prometheus as a measurement source: per-minute good and valid counts from range queries.

A ratio objective is Prometheus-backed when its `valid` selector and its `good` (or `bad`)
selector each carry `metric: {type: Prometheus, spec: {query: ...}}`. Each query must give the
number of events of the minute that ENDS at the evaluation instant, one series only, e.g.
`sum(increase(http_requests_total{job="api"}[1m]))`. attain evaluates it through
`/api/v1/query_range` with a step of 60 s at `t = m + 60 s` and assigns the value to the minute
bucket `[m, m + 1 min)`.

    PrometheusError (AttainError, exit 1)
    ├── PrometheusQueryError (+ ValueError, exit 2)   Prometheus refused the query (4xx), or it gives
    │                                                 several series; carries Prometheus' message
    ├── PrometheusUnavailable (+ ConnectionError)     5xx or timeouts on every one of 3 attempts,
    │                                                 or no connection at all
    └── PrometheusDataError (+ ValueError)            `minute_counts` met data it will not count

Values arrive as float strings; each is read as an exact decimal and rounded half to even to an
integer. A minute where neither series has a sample is no data (good 0, valid 0) and is returned
among the gaps, never as good. NaN, ±Inf, negative values and a good (or bad) sample without a
valid one are data problems: the minute is recorded as no data and the problem is reported. A
`good` above `valid` is clipped to `valid`; a `bad` above `valid` gives good 0; both are reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import httpx
import numpy as np

from attain.engine.instant import US_PER_MINUTE, US_PER_SECOND, Interval, from_us, merge
from attain.engine.measurement import MinuteCounts
from attain.errors import AttainError, InvalidInput, Problem
from attain.model import Objective, RatioIndicator
from attain.model.indicator import Selector

STEP_SECONDS = 60
"""One evaluation per minute."""
MAX_STEPS = 10_000
"""Minutes per request, under Prometheus' limit of 11,000 points per series."""
MAX_ATTEMPTS = 3
"""Attempts per request when Prometheus answers 5xx or times out; a 4xx is never retried."""


class PrometheusError(AttainError):
    """Prometheus could not give the counts."""


class PrometheusQueryError(PrometheusError, ValueError):
    """Prometheus refused a query (4xx), or the query does not give exactly one series.

    Attributes:
        query: The PromQL expression.
        status: The HTTP status (0 when the answer was fine but unusable).
        detail: Prometheus' own error message.
    """

    exit_code = 2

    def __init__(self, query: str, status: int, detail: str) -> None:
        self.query, self.status, self.detail = query, status, detail
        super().__init__(f"Prometheus refused the query {query!r} (HTTP {status}): {detail}")


class PrometheusUnavailable(PrometheusError, ConnectionError):
    """Prometheus did not answer usefully after every attempt."""


class PrometheusDataError(PrometheusError, ValueError):
    """The data has problems that `minute_counts` will not count silently; `problems` lists them."""

    def __init__(self, problems: list[DataProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class DataProblem:
    """Something wrong with one minute's samples, and what attain recorded instead."""

    objective: str
    minute: int
    message: str

    def __str__(self) -> str:
        return f"{self.objective} {from_us(self.minute).isoformat()}: {self.message}"


@dataclass(frozen=True)
class Queries:
    """The PromQL of a ratio objective: `valid`, and `good` or `bad`."""

    valid: str
    good: str | None
    bad: str | None


@dataclass(frozen=True)
class Fetched:
    """The counts of `[start, end)`, the minutes recorded as no data, and the problems met."""

    counts: MinuteCounts
    gaps: list[Interval]
    problems: list[DataProblem]


def prometheus_queries(objective: Objective) -> Queries | None:
    """The objective's Prometheus queries, or None when it is not a Prometheus-backed ratio."""
    indicator = objective.indicator
    if not isinstance(indicator, RatioIndicator):
        return None
    valid = _query(indicator.valid)
    good, bad = _query(indicator.good), _query(indicator.bad)
    if valid is None or (good is None and bad is None):
        return None
    return Queries(valid, good, bad)


def _query(selector: Selector | None) -> str | None:
    metric = None if selector is None else selector.metric
    if metric is None or metric.type.lower() != "prometheus":
        return None
    query = metric.spec.get("query")
    return query if isinstance(query, str) and query.strip() else None


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
        return _combine(objective.name, start, (end - start) // US_PER_MINUTE, valid, part, bad=queries.good is None)

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


def to_count(text: str) -> int | None:
    """A sample as an integer count, rounded half to even from its exact decimal; None for NaN, ±Inf."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value.to_integral_value(rounding=ROUND_HALF_EVEN))


def _combine(
    objective: str, start: int, minutes: int, valid: dict[int, str], part: dict[int, str], *, bad: bool
) -> Fetched:
    """Per-minute counts from the valid series and the good (or, with `bad`, the bad) series."""
    good_counts, valid_counts = np.zeros(minutes, dtype=np.int64), np.zeros(minutes, dtype=np.int64)
    gaps: list[Interval] = []
    problems: list[DataProblem] = []
    name = "bad" if bad else "good"
    for index in range(minutes):
        minute = start + index * US_PER_MINUTE
        raw_valid, raw_part = valid.get(index), part.get(index)
        message = None
        if raw_valid is None and raw_part is not None:
            message = f"{name} is {raw_part} but valid has no sample (stale or absent); recorded as no data"
        total = None if raw_valid is None else to_count(raw_valid)
        counted = 0 if raw_part is None else to_count(raw_part)
        if raw_valid is not None and (total is None or counted is None):
            message = f"valid {raw_valid}, {name} {raw_part}: not a finite number; recorded as no data"
        elif total is not None and counted is not None and min(total, counted) < 0:
            message = f"valid {total}, {name} {counted}: a count cannot be negative; recorded as no data"
        if message is not None:
            problems.append(DataProblem(objective, minute, message))
        if message is not None or total is None or counted is None:
            gaps.append((minute, minute + US_PER_MINUTE))
            continue
        if counted > total:
            kept = 0 if bad else total
            problems.append(DataProblem(objective, minute, f"{name} {counted} above valid {total}; good set to {kept}"))
            counted = total
        good_counts[index] = total - counted if bad else counted
        valid_counts[index] = total
    return Fetched(MinuteCounts(start, good_counts, valid_counts), merge(gaps), problems)
