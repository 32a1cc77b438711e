"""Prometheus as a source: the HTTP contract on a fake transport, then a real server on backfilled data.

Expected counts are written out by hand (fake transport) or counted from the generated requests
in plain Python (real server, see conftest.py), never derived from the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from attain.engine.instant import US_PER_MINUTE, US_PER_SECOND, from_us
from attain.errors import InvalidInput
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.model import Objective
from attain.ports import Store
from attain.services import fetch as fetch_cli
from attain.services.store import apply_files
from attain.sources.prometheus.error import PrometheusDataError, PrometheusQueryError, PrometheusUnavailable
from attain.sources.prometheus.source import PrometheusSource
from attain.storage import SqlStore, connect, upgrade
from cli_support import Cli

VALID = "sum(increase(http_requests_total[1m]))"
GOOD = 'sum(increase(http_requests_total{code!~"5.."}[1m]))'
BAD = 'sum(increase(http_requests_total{code=~"5.."}[1m]))'

AGREEMENT = f"""\
apiVersion: attain/v1
kind: Agreement
metadata: {{name: web-api}}
spec:
  title: Web API
  purpose: Requests to the web API succeed.
  status: active
  timeZone: UTC
  parties:
    provider: {{name: Provider}}
    customer: {{name: Customer}}
  effective: {{from: 2020-01-01}}
  objectives:
    - name: availability
      indicator:
        kind: ratio
        valid: {{metric: {{type: Prometheus, spec: {{query: '{VALID}'}}}}}}
        good: {{metric: {{type: Prometheus, spec: {{query: '{GOOD}'}}}}}}
      target: 99%
      window: {{calendar: month}}
    - name: errors
      indicator:
        kind: ratio
        valid: {{metric: {{type: Prometheus, spec: {{query: '{VALID}'}}}}}}
        bad: {{metric: {{type: Prometheus, spec: {{query: '{BAD}'}}}}}}
      target: 99%
      window: {{calendar: month}}
    - name: from-files
      indicator: {{kind: ratio, events: requests, bad: {{where: {{code: "500"}}}}}}
      target: 99%
      window: {{calendar: month}}
"""

T0 = 1_800_000_000 * US_PER_SECOND
"""A whole minute (2027-01-15T08:00:00Z) where the fake ranges start."""
MINUTE_S = 60


def objective(name: str) -> Objective:
    """The objective `name` of the test agreement."""
    agreement = parse_agreement(read_text(AGREEMENT, "web-api.yaml")[0])
    return next(o for o in agreement.objectives if o.name == name)


def at_s(minute_index: int) -> int:
    """The evaluation instant (s) of minute `minute_index` after T0: the minute's end."""
    return T0 // US_PER_SECOND + MINUTE_S * (minute_index + 1)


Handler = Callable[[httpx.Request], httpx.Response]


def matrix(values: dict[int, str] | None) -> dict[str, object]:
    """A Prometheus success answer with one series (or none when `values` is None)."""
    result = [] if values is None else [{"metric": {}, "values": [[t, v] for t, v in sorted(values.items())]}]
    return {"status": "success", "data": {"resultType": "matrix", "result": result}}


def form(request: httpx.Request) -> dict[str, str]:
    """The form fields of a POSTed range query."""
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def fake(series: dict[str, dict[int, str]], log: list[dict[str, str]] | None = None) -> Handler:
    """A Prometheus that answers each query from `series` (instant in s -> value) within start..end."""

    def handle(request: httpx.Request) -> httpx.Response:
        fields = form(request)
        if log is not None:
            log.append(fields)
        start, end = int(fields["start"]), int(fields["end"])
        if (end - start) // MINUTE_S + 1 > 11_000:
            return httpx.Response(400, json={"status": "error", "errorType": "bad_data", "error": "exceeded maximum"})
        values = series.get(fields["query"])
        chosen = None if values is None else {t: v for t, v in values.items() if start <= t <= end}
        return httpx.Response(200, json=matrix(chosen or None))

    return handle


def source(handler: Handler, sleeps: list[float] | None = None) -> PrometheusSource:
    """A source on a fake transport that records its back-off waits instead of sleeping."""
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return PrometheusSource("http://prometheus.test/", client, sleep=(sleeps if sleeps is not None else []).append)


# --- the HTTP contract, on httpx.MockTransport ---------------------------------------------------


def test_each_minute_is_the_query_evaluated_at_its_end() -> None:
    """Minute m takes the value evaluated at m + 60 s, and the request is a 60 s range query."""
    log: list[dict[str, str]] = []
    series = {VALID: {at_s(0): "10", at_s(1): "20", at_s(2): "30"}, GOOD: {at_s(0): "9", at_s(1): "20", at_s(2): "0"}}
    counts, gaps = source(fake(series, log)).minute_counts(objective("availability"), T0, T0 + 3 * US_PER_MINUTE)
    assert counts.first_minute == T0
    assert counts.valid.tolist() == [10, 20, 30]
    assert counts.good.tolist() == [9, 20, 0]
    assert gaps == []
    assert log[0] == {"query": VALID, "start": "1800000060", "end": "1800000180", "step": "60s", "timeout": "30s"}


def test_a_long_range_is_split_under_the_11000_point_limit() -> None:
    """25,000 minutes go as requests of 10,000, 10,000 and 5,000 points that tile the range exactly."""
    log: list[dict[str, str]] = []
    minutes = 25_000
    series = {VALID: {at_s(i): "2" for i in range(minutes)}, GOOD: {at_s(i): "1" for i in range(minutes)}}
    counts, gaps = source(fake(series, log)).minute_counts(objective("availability"), T0, T0 + minutes * US_PER_MINUTE)
    valid_requests = [(int(f["start"]), int(f["end"])) for f in log if f["query"] == VALID]
    assert [(end - start) // 60 + 1 for start, end in valid_requests] == [10_000, 10_000, 5_000]
    assert valid_requests[0][0] == at_s(0)
    assert valid_requests[1][0] == valid_requests[0][1] + 60
    assert valid_requests[2][1] == at_s(minutes - 1)
    assert int(counts.valid.sum()) == 50_000
    assert int(counts.good.sum()) == 25_000
    assert gaps == []


def test_503_is_retried_with_backoff_then_succeeds() -> None:
    """Two 503 answers are retried after 0.5 s and 1 s, and the third answer is used."""
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(form(request)["query"])
        if len(calls) <= 2:
            return httpx.Response(503, json={"status": "error", "errorType": "timeout", "error": "query timed out"})
        return httpx.Response(200, json=matrix({at_s(0): "4"}))

    sleeps: list[float] = []
    values = source(handle, sleeps).samples(VALID, T0, T0 + US_PER_MINUTE)
    assert values == {0: "4"}
    assert calls == [VALID, VALID, VALID]
    assert sleeps == [0.5, 1.0]


def test_timeouts_are_retried_at_most_three_times() -> None:
    """A server that always times out gets exactly three attempts, then PrometheusUnavailable."""
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(PrometheusUnavailable, match="failed 3 times; last: timed out"):
        source(handle).samples(VALID, T0, T0 + US_PER_MINUTE)
    assert len(calls) == 3


def test_5xx_on_every_attempt_is_unavailable_with_the_last_message() -> None:
    """Three 502 answers end in PrometheusUnavailable naming the status and body."""
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(502, text="Bad Gateway from the proxy")

    with pytest.raises(PrometheusUnavailable, match="HTTP 502: Bad Gateway from the proxy"):
        source(handle).samples(VALID, T0, T0 + US_PER_MINUTE)
    assert len(calls) == 3


def test_400_is_not_retried_and_surfaces_prometheus_message() -> None:
    """A refused query is tried once and the error carries Prometheus' own message and exit code 2."""
    calls: list[httpx.Request] = []
    message = "1:36: parse error: unclosed left parenthesis"

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(400, json={"status": "error", "errorType": "bad_data", "error": message})

    sleeps: list[float] = []
    with pytest.raises(PrometheusQueryError) as caught:
        source(handle, sleeps).samples("sum(increase(x[1m]", T0, T0 + US_PER_MINUTE)
    assert len(calls) == 1
    assert sleeps == []
    assert caught.value.status == 400
    assert caught.value.detail == f"bad_data: {message}"
    assert message in str(caught.value)
    assert caught.value.exit_code == 2


def test_a_query_giving_several_series_is_refused() -> None:
    """A query that is not aggregated to one series is a query error that says to aggregate."""
    body = {
        "status": "success",
        "data": {
            "resultType": "matrix",
            "result": [{"metric": {"code": "200"}, "values": []}, {"metric": {"code": "500"}, "values": []}],
        },
    }
    with pytest.raises(PrometheusQueryError, match=r"gives 2 series .*aggregate it, e\.g\. sum"):
        source(lambda _: httpx.Response(200, json=body)).samples(VALID, T0, T0 + US_PER_MINUTE)


def test_no_connection_is_unavailable_without_retries() -> None:
    """A refused connection is reported at once as PrometheusUnavailable naming the URL."""
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(PrometheusUnavailable, match=r"cannot reach Prometheus at http://prometheus\.test/api/v1"):
        source(handle).samples(VALID, T0, T0 + US_PER_MINUTE)
    assert len(calls) == 1


def test_minutes_without_samples_are_gaps_recorded_as_no_data() -> None:
    """Minutes 1, 2 and 4 have no sample in either series: counts 0 and two gap intervals."""
    series = {VALID: {at_s(0): "5", at_s(3): "7"}, GOOD: {at_s(0): "5", at_s(3): "6"}}
    counts, gaps = source(fake(series)).minute_counts(objective("availability"), T0, T0 + 5 * US_PER_MINUTE)
    assert counts.valid.tolist() == [5, 0, 0, 7, 0]
    assert counts.good.tolist() == [5, 0, 0, 6, 0]
    minute = US_PER_MINUTE
    assert gaps == [(T0 + minute, T0 + 3 * minute), (T0 + 4 * minute, T0 + 5 * minute)]


def test_an_absent_good_series_with_valid_present_counts_zero_good() -> None:
    """Valid without good (no request was good) counts every valid request as not good, with no gap."""
    counts, gaps = source(fake({VALID: {at_s(0): "3"}})).minute_counts(
        objective("availability"), T0, T0 + US_PER_MINUTE
    )
    assert (counts.good.tolist(), counts.valid.tolist(), gaps) == ([0], [3], [])


def test_good_without_valid_is_a_reported_problem_not_good() -> None:
    """A good sample in a minute where valid has none is no data and a reported problem."""
    series = {VALID: {at_s(0): "4"}, GOOD: {at_s(0): "4", at_s(1): "9"}}
    src = source(fake(series))
    fetched = src.fetch(objective("availability"), T0, T0 + 2 * US_PER_MINUTE)
    assert fetched.counts.valid.tolist() == [4, 0]
    assert fetched.counts.good.tolist() == [4, 0]
    assert fetched.gaps == [(T0 + US_PER_MINUTE, T0 + 2 * US_PER_MINUTE)]
    assert [p.minute for p in fetched.problems] == [T0 + US_PER_MINUTE]
    assert "valid has no sample" in fetched.problems[0].message
    with pytest.raises(PrometheusDataError, match="good is 9 but valid has no sample"):
        src.minute_counts(objective("availability"), T0, T0 + 2 * US_PER_MINUTE)


@pytest.mark.parametrize("value", ["NaN", "+Inf", "-Inf"])
def test_nan_and_inf_are_refused_as_counts(value: str) -> None:
    """A NaN or infinite sample makes its minute no data, a problem that minute_counts refuses."""
    series = {VALID: {at_s(0): "8", at_s(1): value}, GOOD: {at_s(0): "8", at_s(1): "1"}}
    src = source(fake(series))
    fetched = src.fetch(objective("availability"), T0, T0 + 2 * US_PER_MINUTE)
    assert fetched.counts.valid.tolist() == [8, 0]
    assert fetched.gaps == [(T0 + US_PER_MINUTE, T0 + 2 * US_PER_MINUTE)]
    assert "not a finite number" in fetched.problems[0].message
    with pytest.raises(PrometheusDataError):
        src.minute_counts(objective("availability"), T0, T0 + 2 * US_PER_MINUTE)


def test_a_bad_query_gives_good_as_valid_minus_bad_clipped_at_zero() -> None:
    """Good is valid − bad; a bad above valid gives good 0 and a reported inconsistency."""
    series = {VALID: {at_s(0): "10", at_s(1): "10", at_s(2): "3"}, BAD: {at_s(0): "2", at_s(2): "5"}}
    fetched = source(fake(series)).fetch(objective("errors"), T0, T0 + 3 * US_PER_MINUTE)
    assert fetched.counts.valid.tolist() == [10, 10, 3]
    assert fetched.counts.good.tolist() == [8, 10, 0]
    assert [(p.minute, p.message) for p in fetched.problems] == [
        (T0 + 2 * US_PER_MINUTE, "bad 5 above valid 3; good set to 0")
    ]


def test_good_above_valid_is_clipped_to_valid_and_reported() -> None:
    """A good above valid counts as valid and is reported."""
    series = {VALID: {at_s(0): "3"}, GOOD: {at_s(0): "4"}}
    fetched = source(fake(series)).fetch(objective("availability"), T0, T0 + US_PER_MINUTE)
    assert (fetched.counts.good.tolist(), fetched.counts.valid.tolist()) == ([3], [3])
    assert [p.message for p in fetched.problems] == ["good 4 above valid 3; good set to 3"]


def test_an_objective_without_prometheus_queries_is_refused() -> None:
    """An event-based ratio objective is not something Prometheus can count."""
    with pytest.raises(InvalidInput, match="from-files is not a ratio with Prometheus queries"):
        source(fake({})).fetch(objective("from-files"), T0, T0 + US_PER_MINUTE)


def test_a_range_off_whole_minutes_is_refused() -> None:
    """Start and end must be whole minutes with start before end."""
    with pytest.raises(InvalidInput, match="not a range of whole minutes"):
        source(fake({})).fetch(objective("availability"), T0 + 1, T0 + US_PER_MINUTE)


# --- fetch into the store: idempotent, and trimmed to what no earlier fetch covered ---------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh SQLite store holding the test agreement."""
    engine = connect(f"sqlite:///{tmp_path / 'attain.db'}")
    upgrade(engine)
    sql = SqlStore(engine)
    (tmp_path / "web-api.yaml").write_text(AGREEMENT)
    apply_files(sql, [tmp_path / "web-api.yaml"], T0)
    return sql


def test_refetching_a_range_stores_nothing_and_overlap_is_trimmed(store: Store) -> None:
    """After [0, 60) of one objective, the same range stores nothing and [30, 90) stores only minutes 60 to 90."""
    log: list[dict[str, str]] = []
    series = {VALID: {at_s(i): "3" for i in range(90)}, GOOD: {at_s(i): "2" for i in range(90)}}
    src, later = source(fake(series, log)), T0 + 10 * 24 * 60 * US_PER_MINUTE
    minute = US_PER_MINUTE
    first = fetch_cli.fetch_agreement(store, src, "web-api", (T0, T0 + 60 * minute), "availability", later)
    again = fetch_cli.fetch_agreement(store, src, "web-api", (T0, T0 + 60 * minute), "availability", later)
    requests_before_overlap = len(log)
    overlap = fetch_cli.fetch_agreement(store, src, "web-api", (T0 + 30 * minute, T0 + 90 * minute), None, later)
    assert first[0].stored == [(T0, T0 + 60 * minute)]
    assert (again[0].stored, again[0].skipped, again[0].buckets) == ([], [(T0, T0 + 60 * minute)], 0)
    assert requests_before_overlap == 2
    # availability asks only for minutes 60 to 89; errors, never fetched before, for 30 to 89
    assert {(f["start"], f["end"]) for f in log[2:]} == {(str(at_s(60)), str(at_s(89))), (str(at_s(30)), str(at_s(89)))}
    assert overlap[0].stored == [(T0 + 60 * minute, T0 + 90 * minute)]
    buckets = store.buckets("web-api", "availability", T0, T0 + 90 * minute)
    assert [(b.good, b.valid) for b in buckets] == [(2, 3)] * 90
    keys = {e.key for e in store.ledger("web-api") if e.key.startswith("prometheus:")}
    assert keys == {
        f"prometheus:web-api:availability:{T0}:{T0 + 60 * minute}",
        f"prometheus:web-api:availability:{T0 + 60 * minute}:{T0 + 90 * minute}",
        f"prometheus:web-api:errors:{T0 + 30 * minute}:{T0 + 90 * minute}",
    }


def test_fetch_refuses_a_range_ending_after_now(store: Store) -> None:
    """Minutes that have not ended cannot be fetched, so no partial minute is locked in."""
    with pytest.raises(InvalidInput, match="not a past range"):
        fetch_cli.fetch_agreement(store, source(fake({})), "web-api", (T0, T0 + US_PER_MINUTE), None, T0)


# --- a real Prometheus on backfilled blocks --------------------------------------------------------


def expected_minutes(data) -> dict[int, tuple[int, int]]:
    """(good, valid) per minute index, from the generated requests, where Prometheus has both ends."""
    return {m: (data.ok[m], data.ok[m] + data.errors[m]) for m in range(len(data.ok)) if data.has_increase(m)}


def test_real_prometheus_counts_every_minute_exactly(prometheus) -> None:
    """Against backfilled data, each minute with samples at both ends equals the generated counts."""
    data = prometheus.data
    start = data.start_seconds * US_PER_SECOND
    first, end = start - US_PER_MINUTE, start + (len(data.ok) + 1) * US_PER_MINUTE
    with httpx.Client() as client:
        src = PrometheusSource(prometheus.url, client, timeout_seconds=10)
        counts, gaps = src.minute_counts(objective("availability"), first, end)
        bad_counts, bad_gaps = src.minute_counts(objective("errors"), first, end)
    expected = expected_minutes(data)
    assert len(expected) == 240 - 11
    for m, (good, valid) in expected.items():
        assert (int(counts.good[m + 1]), int(counts.valid[m + 1])) == (good, valid), from_us(start + m * US_PER_MINUTE)
    assert counts.good.tolist() == bad_counts.good.tolist()
    assert counts.valid.tolist() == bad_counts.valid.tolist()
    # The edges: the minute before the first sample and the minute after the last have one sample
    # each in their [m, m + 1 min] window, so no increase; the outage takes minutes 99 to 109.
    minute = US_PER_MINUTE
    assert gaps == [(first, start), (start + 99 * minute, start + 110 * minute), (end - minute, end)]
    assert bad_gaps == gaps
    assert int(counts.valid[0]) == 0
    assert int(counts.valid[-1]) == 0


def test_real_prometheus_restart_minute_counts_only_after_the_reset(prometheus) -> None:
    """The minute in which the 200 counter restarted holds the requests after the restart, as generated."""
    data = prometheus.data
    start = data.start_seconds * US_PER_SECOND + 149 * US_PER_MINUTE
    with httpx.Client() as client:
        counts, _ = PrometheusSource(prometheus.url, client).minute_counts(
            objective("availability"), start, start + 2 * US_PER_MINUTE
        )
    assert counts.good.tolist() == [data.ok[149], data.ok[150]]


def test_real_prometheus_refuses_a_bad_query_with_its_message(prometheus) -> None:
    """A PromQL syntax error comes back as a query error quoting Prometheus' parser."""
    with httpx.Client() as client, pytest.raises(PrometheusQueryError, match="parse error") as caught:
        PrometheusSource(prometheus.url, client).samples("sum(increase(x[1m]", T0, T0 + US_PER_MINUTE)
    assert caught.value.status == 400


def test_fetch_command_stores_the_real_counts_once(attain: Cli, prometheus, tmp_path: Path) -> None:
    """`attain fetch` stores each minute's counts; running it again stores nothing more."""
    data = prometheus.data
    (tmp_path / "web-api.yaml").write_text(AGREEMENT)
    cli = attain.with_env(ATTAIN_DATABASE_URL=f"sqlite:///{tmp_path / 'attain.db'}")
    applied = cli("apply", tmp_path / "web-api.yaml")
    assert applied.returncode == 0, applied.stderr
    start = data.start_seconds * US_PER_SECOND
    window = ["--from", from_us(start).isoformat(), "--to", from_us(start + 240 * US_PER_MINUTE).isoformat()]
    args = ["fetch", "web-api", "--url", prometheus.url, *window, "--objective", "availability", "-o", "json"]
    args += ["--allow-address", "127.0.0.1"]
    first = cli(*args)
    second = cli(*args)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    expected = expected_minutes(data)
    report = json.loads(first.stdout)[0]
    assert (report["good"], report["valid"]) == (
        sum(g for g, _ in expected.values()),
        sum(v for _, v in expected.values()),
    )
    assert json.loads(second.stdout)[0]["stored"] == []
    engine = connect(f"sqlite:///{tmp_path / 'attain.db'}")
    buckets = SqlStore(engine).buckets("web-api", "availability", start, start + 240 * US_PER_MINUTE)
    engine.dispose()
    stored = {(b.minute - start) // US_PER_MINUTE: (b.good, b.valid) for b in buckets}
    assert stored == {m: gv for m, gv in expected.items() if gv[1] > 0}


EVENTS_AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: web-events}
spec:
  title: Web API, from request logs
  parties: {provider: {name: P}, customer: {name: C}}
  purpose: The same requests, counted from a file.
  effective: {from: 2020-01-01}
  objectives:
    - name: availability
      indicator: {kind: ratio, events: requests, good: {where: {code: 200}}}
      target: 99%
      window: month
"""


def test_real_prometheus_agrees_with_the_same_requests_ingested_from_a_file(prometheus, tmp_path: Path) -> None:
    """Counts fetched from Prometheus equal the counts of the same requests ingested as a CSV, minute by minute."""
    data = prometheus.data
    start = data.start_seconds * US_PER_SECOND
    lines = ["timestamp,code"]
    for minute, (ok, errors) in enumerate(zip(data.ok, data.errors, strict=True)):
        at = from_us(start + minute * US_PER_MINUTE + 30 * US_PER_SECOND).isoformat()
        lines += [f"{at},200"] * ok + [f"{at},500"] * errors
    (tmp_path / "requests.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "web-events.yaml").write_text(EVENTS_AGREEMENT, encoding="utf-8")
    store = SqlStore(connect(f"sqlite:///{tmp_path / 'attain.db'}"))
    upgrade(store._engine)
    apply_files(store, [tmp_path / "web-events.yaml"], now=0)
    from attain.ingestion.run import ingest_file  # noqa: PLC0415

    ingest_file(store, tmp_path / "requests.csv", "web-events", now=0)
    from_file = {
        (b.minute - start) // US_PER_MINUTE: (b.good, b.valid)
        for b in store.buckets("web-events", "availability", start, start + 240 * US_PER_MINUTE)
    }
    with httpx.Client() as client:
        counts, _ = PrometheusSource(prometheus.url, client).minute_counts(
            objective("availability"), start, start + 240 * US_PER_MINUTE
        )
    compared = [m for m in range(240) if data.has_increase(m)]
    assert len(compared) == 229
    for m in compared:
        assert (int(counts.good[m]), int(counts.valid[m])) == from_file.get(m, (0, 0)), m
