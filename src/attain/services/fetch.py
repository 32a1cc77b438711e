"""Fetching per-minute counts of Prometheus-backed objectives into the store, exactly once.

The service behind `attain fetch`.

Each objective's fetched range is stored as one batch of buckets under the key
`prometheus:{agreement}:{objective}:{start}:{end}` (instants in µs). Before fetching, the ranges
already covered by earlier `prometheus:` batches of that objective (read from the store's ledger)
are subtracted: re-fetching the same range stores nothing, and an overlapping range fetches and
stores only the minutes not yet covered, so no minute is ever counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from attain.engine.instant import US_PER_MINUTE, Interval, from_us, subtract
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import latest_agreement
from attain.model import Objective, stream_name
from attain.notify.address import check_source_url
from attain.notify.pinned import PinnedTransport
from attain.ports import Batch, Bucket, Store
from attain.sources.prometheus import DataProblem, PrometheusSource, prometheus_queries

SOURCE = "prometheus"


@dataclass(frozen=True)
class FetchReport:
    """What `fetch` did for one objective: ranges stored and skipped, counts, gaps, problems."""

    objective: str
    stored: list[Interval]
    skipped: list[Interval]
    buckets: int
    good: int
    valid: int
    gaps: list[Interval]
    problems: list[DataProblem]

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data, instants in ISO 8601."""

        def iso(intervals: list[Interval]) -> list[list[str]]:
            return [[from_us(s).isoformat(), from_us(e).isoformat()] for s, e in intervals]

        return {
            "objective": self.objective,
            "stored": iso(self.stored),
            "alreadyFetched": iso(self.skipped),
            "buckets": self.buckets,
            "good": self.good,
            "valid": self.valid,
            "gaps": iso(self.gaps),
            "problems": [str(p) for p in self.problems],
        }


def batch_key(agreement: str, objective: str, start: int, end: int) -> str:
    """The idempotency key of one fetched range."""
    return f"{SOURCE}:{agreement}:{objective}:{start}:{end}"


def fetched_ranges(store: Store, agreement: str, objective: str) -> list[Interval]:
    """The ranges of earlier fetch batches of an objective, from the ledger keys."""
    prefix = batch_key(agreement, objective, 0, 0).removesuffix("0:0")
    ranges = []
    for entry in store.ledger(agreement):
        start, _, end = entry.key.removeprefix(prefix).partition(":")
        if entry.key.startswith(prefix) and start.isdigit() and end.isdigit():
            ranges.append((int(start), int(end)))
    return ranges


def fetch_objective(
    store: Store, source: PrometheusSource, agreement: str, objective: Objective, window: Interval, at: int
) -> FetchReport:
    """Fetch and store the minutes of `window` that no earlier fetch of the objective covered."""
    missing = subtract([window], fetched_ranges(store, agreement, objective.name))
    gaps: list[Interval] = []
    problems: list[DataProblem] = []
    stored = good_total = valid_total = 0
    for start, end in missing:
        fetched = source.fetch(objective, start, end)
        good, valid = fetched.counts.good, fetched.counts.valid
        buckets = [
            Bucket(objective.name, start + i * US_PER_MINUTE, int(good[i]), int(valid[i]))
            for i in range(valid.size)
            if valid[i] > 0
        ]
        key = batch_key(agreement, objective.name, start, end)
        batch = Batch(key, agreement, stream_name(objective), source.base_url, len(buckets), buckets=buckets)
        store.store_batch(batch, at)
        gaps.extend(fetched.gaps)
        problems.extend(fetched.problems)
        stored, good_total, valid_total = (
            stored + len(buckets),
            good_total + int(good.sum()),
            valid_total + int(valid.sum()),
        )
    skipped = subtract([window], missing)
    return FetchReport(objective.name, missing, skipped, stored, good_total, valid_total, gaps, problems)


def guarded_client(allow: Sequence[str]) -> httpx.Client:
    """The HTTP client for a measurement source: every request it sends passes `check_source_url` first.

    The host is resolved once, by the check, and the connection goes to the checked address
    (`PinnedTransport`), so a DNS answer that changes in between (rebinding) reaches nothing.
    Redirects are not followed (a 3xx is an error) and proxies from the environment are not used;
    were a redirect followed, its target would pass the same check, since the transport sees every request.
    """
    transport = PinnedTransport(lambda url: check_source_url(url, allow))
    return httpx.Client(transport=transport, follow_redirects=False, trust_env=False)


def fetch_agreement(
    store: Store, source: PrometheusSource, name: str, window: Interval, objective: str | None, at: int
) -> list[FetchReport]:
    """Fetch every Prometheus-backed ratio objective of the latest stored version (or the one named)."""
    latest = latest_agreement(store, name)
    backed = [o for o in latest.objectives if prometheus_queries(o) is not None]
    chosen = [o for o in backed if objective is None or o.name == objective]
    if not chosen:
        names = ", ".join(o.name for o in backed) or "none"
        hint = f"Prometheus-backed ratio objectives of {name}: {names}"
        raise InvalidInput([Problem("<command line>", None, None, "--objective", "nothing to fetch", hint)])
    start, end = window
    if start % US_PER_MINUTE or end % US_PER_MINUTE or not start < end <= at:
        hint = "give whole minutes with --from before --to, and --to not after now"
        raise InvalidInput([Problem("<command line>", None, None, "--from/--to", "not a past range", hint)])
    return [fetch_objective(store, source, name, o, window, at) for o in chosen]
