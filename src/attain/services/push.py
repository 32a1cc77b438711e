"""Measurements pushed as data (the HTTP API): rows of one kind, stored as one batch, exactly once.

A push names the agreement, the kind of rows (events, incidents, cases, counts, announcements) and
the stream or objective, and carries an idempotency key chosen by the sender. The batch is keyed
`api:<agreement>:<stream>:<key>`, so a replay stores nothing; the response only depends on the
request, so a replay also gets the same answer.

`counts` are per-minute good/valid counts of one objective whose indicator is a metric (counted
by a source, like Prometheus or SQL); an objective counted from events takes events, whose counts
a new version recounts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from attain.engine.classify import minute_floor
from attain.engine.versions import in_force
from attain.errors import InvalidInput, Problem
from attain.ingestion.batches import ANNOUNCEMENTS, Target, target_in
from attain.ingestion.reader import Measurement, RowError, parse_instant, row_hint, row_parser
from attain.ingestion.run import build_batch
from attain.lifecycle.versions import stored_agreements
from attain.model import stream_name
from attain.ports import Batch, Bucket, Store

KINDS = ("events", "incidents", "cases", "counts", "announcements")
"""What can be pushed."""


@dataclass(frozen=True)
class Pushed:
    """What a push stored: the batch key, its stream and how many rows it holds."""

    batch: str
    agreement: str
    stream: str
    kind: str
    rows: int


def push_rows(
    store: Store,
    agreement: str,
    kind: str,
    target: Mapping[str, str | None],
    rows: Sequence[Mapping[str, Any]],
    key: str,
    now: int,
) -> Pushed:
    """Store `rows` of `kind` for the agreement's stream or objective (see the module docstring).

    Args:
        store: Where to store.
        agreement: The stored agreement's name.
        kind: One of `KINDS`.
        target: `stream` and/or `objective` naming where the rows go.
        rows: The rows, as column → value (the same columns as the file formats).
        key: The sender's idempotency key.
        now: The current instant (µs).

    Raises:
        InvalidInput: unknown objective or stream, a kind that the stream does not take, or bad rows
            (every bad row named); nothing is stored.
    """
    agreements = stored_agreements(store, agreement)
    if kind == "counts":
        return _push_counts(store, agreement, agreements[-1], target.get("objective"), rows, key, now)
    if kind != ANNOUNCEMENTS and not target.get("stream") and not target.get("objective"):
        streams = ", ".join(sorted({stream_name(o) for o in agreements[-1].objectives}))
        hint = f"name the stream ({streams}) or an objective whose stream it is"
        raise InvalidInput([Problem("<request>", None, None, "stream", "no stream or objective named", hint)])
    stem = ANNOUNCEMENTS if kind == ANNOUNCEMENTS else (target.get("stream") or "")
    chosen = target_in(agreements, stem, target.get("objective"))
    if chosen.kind != kind:
        hint = f"push {chosen.kind} to stream {chosen.stream!r}"
        raise InvalidInput(
            [Problem("<request>", None, None, "kind", f"stream {chosen.stream!r} takes {chosen.kind}", hint)]
        )
    measurements = _parse(rows, chosen)
    batch_key = f"api:{agreement}:{chosen.stream}:{key}"
    if not store.has_batch(batch_key):
        versions = in_force(agreements)
        batch = build_batch(batch_key, chosen, "api", measurements, versions, store.results(agreement), now)
        store.store_batch(batch, now)
    return Pushed(batch_key, agreement, chosen.stream, kind, len(measurements))


def _parse(rows: Sequence[Mapping[str, Any]], target: Target) -> list[Measurement]:
    parse = row_parser(target.kind, target.value_column, None)
    parsed, problems = [], []
    for index, row in enumerate(rows):
        try:
            parsed.append(parse(dict(row)))
        except RowError as error:
            problems.append(_row_problem(index, error))
    if problems:
        raise InvalidInput(problems)
    return parsed


def _row_problem(index: int, error: RowError) -> Problem:
    return Problem("<request>", None, None, f"rows[{index}].{error.column}", str(error), row_hint(error.column))


def _push_counts(
    store: Store,
    agreement: str,
    latest: Any,
    objective: str | None,
    rows: Sequence[Mapping[str, Any]],
    key: str,
    now: int,
) -> Pushed:
    objectives = {o.name: o for o in latest.objectives if o.indicator.fed_by_metric_source}
    if objective is None or objective not in objectives:
        valid = ", ".join(objectives) or "none: this agreement's objectives count events, so push events"
        message = f"no objective {objective!r} counted from a metric"
        raise InvalidInput([Problem("<request>", None, None, "objective", message, f"name one of {valid}")])
    buckets, problems = [], []
    for index, row in enumerate(rows):
        try:
            buckets.append(_bucket(objective, row))
        except RowError as error:
            problems.append(_row_problem(index, error))
    if problems:
        raise InvalidInput(problems)
    minutes = [b.minute for b in buckets]
    if len(set(minutes)) != len(minutes):
        hint = "send one row per minute"
        raise InvalidInput([Problem("<request>", None, None, "rows", "a minute appears more than once", hint)])
    stream = stream_name(objectives[objective])
    batch_key = f"api:{agreement}:{stream}:{objective}:{key}"
    valid_total = sum(b.valid for b in buckets)
    store.store_batch(Batch(batch_key, agreement, stream, "api", valid_total, buckets=buckets), now)
    return Pushed(batch_key, agreement, stream, "counts", len(buckets))


def _bucket(objective: str, row: Mapping[str, Any]) -> Bucket:
    minute = parse_instant(row.get("minute"), "minute", None)
    if minute_floor(minute) != minute:
        raise RowError("minute", "is not on a whole minute")
    good, valid = row.get("good"), row.get("valid")
    for column, value in (("good", good), ("valid", valid)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RowError(column, f"expected a count (an integer ≥ 0), got {value!r}")
    assert isinstance(good, int)
    assert isinstance(valid, int)
    if good > valid:
        raise RowError("good", f"{good} good of {valid} valid: good cannot exceed valid")
    return Bucket(objective, minute, good, valid)
