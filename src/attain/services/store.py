"""Services on the store: apply agreements, ingest measurements, evaluate and report status.

Every function takes the store and the instant `now` from its caller: nothing here reads the
clock or the environment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from attain.engine.classify import minute_floor
from attain.engine.instant import US_PER_DAY, iso_utc
from attain.engine.result import Evaluation, PeriodResult
from attain.engine.versions import evaluate_versions
from attain.errors import InvalidInput, Problem
from attain.formats.results import evaluation_data, period_data
from attain.lifecycle.versions import Parse, load_in_force, parse_version, stored_versions, versions_in_force
from attain.model import Agreement, stream_name
from attain.ports import Applied, StatusStore, Store, StoredResult
from attain.services.forecast import forecasts, with_forecasts
from attain.services.measurements import read_counts, stored_measurements
from attain.services.memo import MemoView
from attain.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from attain.engine.outlook import Forecast
    from attain.engine.reviews import ReviewDue
    from attain.formats.bundle import Bundle
    from attain.formats.openslo import OpenSLOObject
    from attain.ingestion.run import IngestOptions, IngestReport, Progress
    from attain.storage.access import SqlAccess
    from attain.storage.reader import SqliteReader
    from attain.storage.standing_read import Ending
    from attain.storage.store import SqlStore

STATUS_RANGE_US = 366 * US_PER_DAY
"""How far back `status` evaluates: enough for the current period of any calendar unit."""


def open_store(settings: Settings) -> Store:
    """Connect to the configured database, bring its schema up to date, and return the store."""
    return open_store_noting(settings).store


@dataclass(frozen=True)
class OpenedStore:
    """A store just opened, with what a person needs to know about it.

    Attributes:
        store: The store.
        url: Its database URL as it may be printed (any password hidden).
        created: Whether opening it created its schema: the store is new and empty.
        access: The API tokens kept in the same database.
    """

    store: Store
    url: str
    created: bool
    access: SqlAccess


def open_store_noting(settings: Settings) -> OpenedStore:
    """Open the configured store (see `open_store`) and say where it is and whether it is new."""
    from attain.storage import SqlStore, connect  # noqa: PLC0415 - keeps SQLAlchemy off the file-only commands
    from attain.storage.access import SqlAccess  # noqa: PLC0415
    from attain.storage.database import display_url  # noqa: PLC0415
    from attain.storage.migrate import upgrade_if_behind  # noqa: PLC0415

    engine = connect(settings.database_url, unsafe_durability=settings.unsafe_durability)
    created = upgrade_if_behind(engine) is None
    return OpenedStore(
        SqlStore(engine), display_url(settings.database_url), created, SqlAccess(engine, settings.token_pepper)
    )


def apply_files(store: Store, paths: Sequence[Path], now: int) -> list[Applied]:
    """Store every agreement in the files: a changed one as a new version, an unchanged one as is.

    Raises:
        InvalidInput: a problem in any file, or a file that gives nothing to store (see
            `unused_files`); nothing is stored then.
    """
    from attain.formats.bundle import load_bundle  # noqa: PLC0415 - the YAML reader loads only to apply

    bundle = load_bundle(paths)
    bundle.problems += unused_files(bundle)
    return apply_bundle(store, bundle, now)


def apply_text(store: Store, text: str, display: str, now: int) -> list[Applied]:
    """Store every agreement in one document text (an upload shown in problems as `display`), as `apply_files` does.

    Raises:
        InvalidInput: a problem in the text, or a text that gives nothing to store (the same
            check and message as `apply_files`: `unused_files`); nothing is stored then.
    """
    from attain.formats.bundle import load_bundle_text  # noqa: PLC0415 - the YAML reader loads only to apply

    bundle = load_bundle_text(text, display)
    bundle.problems += unused_files(bundle)
    return apply_bundle(store, bundle, now)


def unused_files(bundle: Bundle) -> list[Problem]:
    """A problem for each file that holds no agreement and no OpenSLO object an agreement uses.

    An OpenSLO SLO is used when an agreement's objective says `openslo: <its name>`, an SLI when
    such an SLO names it as `indicatorRef`. A file whose documents are all of an unknown kind
    (a Sloth or Pyrra spec) already has a problem for each, naming what it is.
    """
    problems = []
    for held in bundle.contents:
        if held.agreements or any((o.kind, o.name) in bundle.used for o in held.openslo):
            continue
        if held.openslo:
            problems.append(_unused_openslo(held.openslo, held.file, any_agreement=bool(bundle.agreements)))
        elif not held.documents:
            hint = "apply a file that holds an attain/v1 Agreement (attain init writes one)"
            problems.append(Problem(held.file, 1, 1, "", "empty: no attain/v1 Agreement to store", hint))
    return problems


def _unused_openslo(objects: Sequence[OpenSLOObject], file: str, *, any_agreement: bool) -> Problem:
    what = ", ".join(f"OpenSLO {o.kind} {o.name!r}" for o in objects)
    message = (
        f"holds {what}, which no agreement applied with it references"
        if any_agreement
        else f"holds {what} and no attain/v1 Agreement, so there is nothing to store"
    )
    hint = "apply stores agreements and the OpenSLO SLOs and SLIs they use; leave this file out"
    if any(o.kind == "SLO" for o in objects):
        hint = (
            "an agreement's objective may say `openslo: <SLO name>`; "
            "apply an agreement that references it together with this file"
        )
        if not any_agreement:
            named = "FILE" if file.startswith("<") else file  # an upload (`<request>`) has no path to name
            hint = f"`attain import {named} --out agreement.yaml` drafts an agreement from it; or {hint}"
    return objects[0].problem((), message, hint)


def apply_bundle(store: Store, bundle: Bundle, now: int) -> list[Applied]:
    """Store every agreement of a loaded bundle; refuse the whole bundle if anything is wrong with it.

    A new version (after the first) recounts the minute counts from its effective date, and the
    version is marked recounted only once that is done: if the recount is interrupted (a killed
    process), applying the same document again finishes it.
    """
    from attain.formats.model_json import dump_model, model_revision  # noqa: PLC0415
    from attain.formats.native import dump_agreement, parse_agreement  # noqa: PLC0415
    from attain.formats.source import read_text  # noqa: PLC0415 - the YAML reader loads only to apply

    if bundle.problems:
        raise InvalidInput(bundle.problems)
    applied = []
    for agreement in bundle.agreements:
        spec = agreement.spec
        document = dump_agreement(agreement)
        # The model JSON is what the stored document parses to, so loading either gives the same agreement.
        model = (model_revision(), dump_model(parse_agreement(read_text(document, agreement.name)[0])))
        try:
            outcome = store.apply(agreement.name, document, spec.effective.from_, spec.status.value, now, model)
        except ValueError as error:
            hint = "a new version must take effect after the current one"
            raise InvalidInput([Problem(agreement.name, None, None, "spec.effective.from", str(error), hint)]) from None
        latest = store.versions(agreement.name)[-1]
        if latest.recounted_at is None:
            recount(store, agreement.name)
            store.mark_recounted(agreement.name, latest.version, now)
        applied.append(outcome)
    return applied


def recount(store: Store, name: str) -> None:
    """Recount the latest version's minute counts from the stored raw events, from its effective date."""
    from attain.ingestion.batches import minute_buckets  # noqa: PLC0415 - loads only to recount

    versions = load_in_force(store, name)
    latest = versions[-1]
    readers = [
        o for o in latest.agreement.objectives if o.indicator.rows == "events" and not o.indicator.fed_by_metric_source
    ]
    for stream in sorted({stream_name(o) for o in readers}):
        buckets = minute_buckets(versions, stream, store.events(stream, latest.start, 2**62, name))
        for objective in latest.agreement.objectives:
            if stream_name(objective) == stream and not objective.indicator.fed_by_metric_source:
                mine = [b for b in buckets if b.objective == objective.name]
                store.replace_buckets(name, objective.name, latest.start, mine)


def ingest_files(
    store: Store,
    paths: Sequence[Path],
    agreement: str,
    now: int,
    options: IngestOptions,
    progress: Progress | None,
    *,
    buckets_only: bool = False,
) -> list[IngestReport]:
    """Ingest each file for the agreement, exactly once (see `attain.ingestion.run`).

    With `buckets_only`, Parquet event files are stored as per-minute counts without their raw
    rows, counted in one compiled pass (`attain.ingestion.counting`).

    Raises:
        InvalidInput: with `buckets_only`, a file that needs the row-by-row path.
    """
    from attain.ingestion.run import ingest_file  # noqa: PLC0415 - the readers load only to ingest

    if not buckets_only:
        return [ingest_file(store, path, agreement, now, options, progress) for path in paths]
    from attain.ingestion.counting import ingest_counts  # noqa: PLC0415 - pyarrow loads only for the fast path
    from attain.ingestion.eligibility import NotEligible  # noqa: PLC0415

    reports = []
    for path in paths:
        try:
            reports.append(ingest_counts(store, path, agreement, now, options, progress))
        except NotEligible as error:
            hint = "ingest it without --buckets-only"
            raise InvalidInput([Problem(str(path), None, None, "--buckets-only", str(error), hint)]) from None
    return reports


@dataclass(frozen=True)
class StoredEvaluation:
    """An agreement's latest version and its evaluation on stored data.

    `ended` says how it was terminated (None while it runs); `review` when its next review is due
    (None without a review clause; filled by `status`).
    """

    agreement: Agreement
    evaluation: Evaluation
    adjustments: int
    ended: Ending | None = None
    review: ReviewDue | None = None
    forecasts: tuple[Forecast, ...] = ()
    """The open periods' breach forecasts (made for `status`; `attain.services.forecast`)."""


def _sql_engine(store: object) -> Engine | None:
    """The engine behind a SQL store (proposals and ledgers live beside it); None for another store."""
    from attain.storage.store import SqlStore  # noqa: PLC0415 - SQLAlchemy only when a SQL store is used

    return store.engine if isinstance(store, SqlStore) else None


def _standing(store: object) -> SqlStore | SqliteReader | None:
    """The store's reads of terminations and reviews, which a SQL store keeps beside it; None for another store.

    The read-only reader is checked first, so that a store read through it loads no SQLAlchemy.
    """
    from attain.storage.reader import SqliteReader  # noqa: PLC0415

    if isinstance(store, SqliteReader):
        return store
    from attain.storage.store import SqlStore  # noqa: PLC0415 - SQLAlchemy only when a SQL store is used

    return store if isinstance(store, SqlStore) else None


def ending(store: StatusStore, name: str) -> Ending | None:
    """How agreement `name` was terminated, or None while it runs (or the store keeps no terminations)."""
    standing = _standing(store)
    return None if standing is None else standing.ending(name)


def evaluate_stored(
    store: StatusStore,
    name: str,
    at: int,
    since: int | None = None,
    memo: MemoView | None = None,
    *,
    forecast: bool = False,
    parse: Parse = parse_version,
) -> StoredEvaluation:
    """Evaluate an agreement on stored data at `at` (rounded down to the minute), version by version.

    With a `memo`, parsed versions and minute counts already read for the same data are reused
    (`attain.services.memo`). A terminated agreement is evaluated up to the instant it ended, never
    past it (`attain right exercise`). With `forecast`, each open period's forecast is made from the
    same measurements (`attain.services.forecast`; none for a terminated agreement). Without a
    memo, versions are parsed by `parse` (`attain.services.agreement_cache.cached_parse` for the CLI).
    """
    stored = stored_versions(store, name)
    versions = versions_in_force(stored, parse if memo is None else memo.agreement)
    ended = ending(store, name)
    at = minute_floor(at if ended is None else min(at, ended.ends_at))
    start = versions[0].start if since is None else max(since, versions[0].start)
    if ended is not None:
        start = min(start, max(at - STATUS_RANGE_US, versions[0].start))  # the last year it ran, not none of it
    reader = read_counts if memo is None else memo.reader(stored)
    measurements = stored_measurements(store, name, [v.agreement for v in versions], start, at, reader)
    evaluation = evaluate_versions(versions, measurements, at, start)
    found = forecasts(versions, evaluation, measurements) if forecast and ended is None else ()
    return StoredEvaluation(versions[-1].agreement, evaluation, len(store.adjustments(name)), ended, forecasts=found)


def status(
    store: StatusStore, names: Sequence[str], at: int, memo: MemoView | None = None, *, parse: Parse = parse_version
) -> list[StoredEvaluation]:
    """The current state of each named agreement (all when none is named) at `at`, with its next review due.

    Versions are parsed through `memo` when given, else by `parse` (see `evaluate_stored`).
    """
    from dataclasses import replace  # noqa: PLC0415

    from attain.services.reviews import held_review_state  # noqa: PLC0415

    chosen = list(names) or [v.name for v in store.agreements()]
    standing = _standing(store)
    results = []
    for name in chosen:
        result = evaluate_stored(store, name, at, at - STATUS_RANGE_US, memo, forecast=True, parse=parse)
        if standing is not None:
            parsed = parse if memo is None else memo.agreement
            state = held_review_state(store, standing.reviews(name), name, at, parsed)
            result = replace(result, review=state.due)
        results.append(result)
    return results


def standing_data(result: StoredEvaluation) -> dict[str, object]:
    """What `status --output json` and the API add to an evaluation: adjustments, termination, review due."""
    ended = result.ended
    return {
        "adjustments": result.adjustments,
        "terminated": None
        if ended is None
        else {
            "right": ended.right,
            "grants": ended.grants,
            "exercisedAt": iso_utc(ended.exercised_at),
            "endsAt": iso_utc(ended.ends_at),
            "by": ended.actor,
            "note": ended.note,
        },
        "review": None
        if result.review is None
        else {"due": result.review.due.isoformat(), "overdue": result.review.overdue},
    }


def status_data(result: StoredEvaluation) -> dict[str, object]:
    """`status --output json` and the API's status: the evaluation, its standing, a forecast per objective."""
    return with_forecasts(evaluation_data(result.evaluation) | standing_data(result), result.forecasts)


def stored_result(name: str, period: PeriodResult, now: int) -> StoredResult:
    """A closed period of agreement `name` as it is stored, evaluated at `now` (the one shape every writer uses)."""
    return StoredResult(
        agreement=name,
        version=period.version,
        objective=period.objective,
        period=period.period,
        start=period.start,
        end=period.end,
        status=period.status.value,
        ratio=period.ratio,
        good=period.good,
        valid=period.valid,
        data=period_data(period),
        evaluated_at=now,
    )


def evaluate_period(store: Store, name: str, period: str, now: int) -> list[StoredResult]:
    """Evaluate the closed periods labelled `period` (e.g. 2026-10) and store their results."""
    stored = evaluate_stored(store, name, now)
    results = [
        stored_result(name, p, now)
        for o in stored.evaluation.objectives
        for p in o.periods
        if p.period == period and p.closed
    ]
    if not results:
        hint = "name a closed calendar period such as 2026-10 (month), 2026-Q3 or 2026-W40"
        raise InvalidInput([Problem(name, None, None, "--period", f"no closed period {period!r} to evaluate", hint)])
    store.save_results(results)
    return results
