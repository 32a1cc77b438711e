"""One tick of the scheduler at `now`: every agreement in force evaluated, its finished work done once.

For each agreement whose version in force at `now` is active, a tick

1. evaluates it on stored data from `since` (below) to `now`;
2. stores the result of every closed period not stored yet (job `result`, key
   `AGREEMENT/OBJECTIVE/PERIOD`, or `AGREEMENT/OBJECTIVE/PERIOD@START` for a second period of
   the objective with a label already stored: a later version that moved its window to another
   zone), the job row and the result in one transaction;
3. once per period with a stored result, brings the credit ledger and the termination rights up
   to date (`attain.services.credits.sync`, `attain.services.rights.sync`; jobs `credits` and
   `rights`, key `AGREEMENT/PERIOD`, `AGREEMENT/PERIOD@START` for the later of two periods with one
   label), and once a day too (key `AGREEMENT/day/DATE`) so that unclaimed
   credits expire and unexercised rights lapse;
4. writes the periodic report of every finished reporting period (`spec.reporting.period`) in
   each of its languages into the reports directory (job `report`, key `AGREEMENT/PERIOD/LANG`,
   file `AGREEMENT/PERIOD.LANG.html`);
5. hands the evaluation to the `notify` hook;

and at the end calls the `deliver` hook once. Every job row is inserted first in the
transaction of its effect, so a repeated or overlapping tick fails on the row's primary key and
does nothing twice. The ledgers' sync is idempotent in its own tables (one credit per period, one
right per grant): its job row follows in a transaction of its own, and a tick killed between
the two only syncs again. A report file is written to a temporary name and renamed into place
inside its job's transaction: a killed tick leaves at most a file written again by the next, and
a temporary file the next tick deletes once the report's job is done.
The hooks own their idempotence (notices are deduplicated, deliveries go through an outbox).

**The range evaluated.** Not the whole history every minute: `since` is the start of the earliest
period of a calendar objective not yet stored (its results are walked from the start of the first
version that has the objective while they follow each other; where they do not, the range only
starts earlier, which costs time, never a wrong result), but no later than the longest rolling
window or burn-rate alert window before `now`, so that the current period, the rolling windows and
the alerts are those of a full evaluation; and no later than the start of any stored period that
ended within the notification horizon (35 days, `attain.engine.conditions.HORIZON_US`), so that the
notify hook sees every breach, credit and right it may still owe, even when the tick that stored the
period died before it notified. Only periods that begin at or after `since` are stored
(or, from the agreement's start, its partial first period). Termination grants read the whole
history: the ledger sync evaluates it fully, once per stored period and once a day.

A failure is logged and reported: a failed evaluation skips the agreement, a failed step (results,
ledgers, reports, notify) only itself, and the tick goes on with the other steps and agreements.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import structlog

from attain.engine.conditions import HORIZON_US
from attain.engine.instant import duration_us, from_us, iso_utc
from attain.engine.period import periods_between, zone
from attain.engine.versions import InForce, version_at
from attain.lifecycle.versions import load_in_force
from attain.model import SRE_WORKBOOK_TIERS, Agreement, CalendarWindow, Objective, RollingWindow, Status
from attain.ports import Store, StoredResult
from attain.services import credits as credit_ledger
from attain.services import rights as right_ledger
from attain.services.store import StoredEvaluation, evaluate_stored, stored_result
from attain.storage.credit import SqlCredits
from attain.storage.job import claim_job, done_keys
from attain.storage.results import save_results
from attain.storage.right import SqlRights
from attain.storage.store import SqlStore

_DEFAULT_LOG = structlog.get_logger("attain.scheduler")

Notify = Callable[[Store, StoredEvaluation, int], None]
"""The notify hook as a tick calls it (`attain.services.scheduler.NotifyStep`)."""
Deliver = Callable[[int], None]
"""The deliver hook as a tick calls it (`attain.services.scheduler.DeliverStep`)."""


@dataclass
class AgreementTick:
    """What one tick did for one agreement.

    Attributes:
        agreement: Its name.
        since: The start of the range evaluated (µs).
        results: The results stored, as `OBJECTIVE/PERIOD`.
        ledgers: The ledger syncs done, as `credits/PERIOD` and `rights/PERIOD`.
        reports: The report files written.
        errors: What failed, as `STEP: ERROR` (a failed evaluation skips every step, a failed
            step none of the others).
    """

    agreement: str
    since: int | None = None
    results: list[str] = field(default_factory=list)
    ledgers: list[str] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Tick:
    """What one tick did: the instant, each agreement in force, and whether `deliver` failed."""

    at: int
    agreements: tuple[AgreementTick, ...]
    delivery_error: str | None = None


def tick(
    store: SqlStore,
    now: int,
    reports_dir: Path,
    notify: Notify | None = None,
    deliver: Deliver | None = None,
    log: Any = None,
) -> Tick:
    """Do one tick at `now` (see the module docstring); a failing agreement is logged (to `log`) and skipped."""
    log = _DEFAULT_LOG if log is None else log
    done = []
    for version in store.agreements():
        if not in_force(store, version.name, now):
            continue
        work = AgreementTick(version.name)
        try:
            _tick_agreement(store, work, now, reports_dir, notify, log)
        except Exception as error:  # one agreement's failure must not stop the others
            log.exception("tick.agreement_failed", agreement=version.name, at=now)
            work.errors.append(f"evaluate: {type(error).__name__}: {error}")
        done.append(work)
    delivery_error = None
    if deliver is not None:
        try:
            deliver(now)
        except Exception as error:  # the next tick delivers again
            log.exception("tick.deliver_failed", at=now)
            delivery_error = f"{type(error).__name__}: {error}"
    return Tick(now, tuple(done), delivery_error)


def in_force(store: SqlStore, name: str, now: int) -> bool:
    """Whether a version of `name` is in force at `now` with status active (and not past `effective.until`)."""
    version = version_at(load_in_force(store, name), now)
    if version is None:
        return False
    spec = version.agreement.spec
    until = spec.effective.until
    if until is not None and from_us(now).astimezone(zone(spec.time_zone)).date() > until:
        return False
    return spec.status is Status.ACTIVE


def _tick_agreement(
    store: SqlStore, work: AgreementTick, now: int, reports_dir: Path, notify: Notify | None, log: Any
) -> None:
    """Evaluate, then each step on its own: a failing step (a report that cannot be drawn) skips no other."""
    name = work.agreement
    versions = load_in_force(store, name)
    work.since = evaluation_since(versions, store.results(name), now)
    stored = evaluate_stored(store, name, now, work.since)
    first = versions[0].start
    steps: list[tuple[str, Callable[[], object]]] = [
        ("results", lambda: _store_results(store, work, stored, first, now)),
        ("ledgers", lambda: _sync_ledgers(store, work, now)),
        ("reports", lambda: _issue_reports(store, work, stored.agreement, first, now, reports_dir)),
    ]
    if notify is not None:
        steps.append(("notify", lambda: notify(store, stored, now)))
    for step, run in steps:
        try:
            run()
        except Exception as error:  # the next tick tries the step again
            log.exception("tick.step_failed", agreement=name, step=step, at=now)
            work.errors.append(f"{step}: {type(error).__name__}: {error}")


def evaluation_since(versions: Sequence[InForce], results: Sequence[StoredResult], now: int) -> int:
    """The start of the range a tick evaluates (see the module docstring), never before the first version's start."""
    first = versions[0].start
    since = now
    begins: dict[str, int] = {}  # an objective's results follow on from the start of the first version that has it
    for version in versions:
        for objective in version.agreement.objectives:
            since = min(since, now - _lookback(objective))
            if isinstance(objective.window, CalendarWindow):
                begins.setdefault(objective.name, version.start)
                mine = [r for r in results if r.objective == objective.name]
                since = min(since, _first_unstored(begins[objective.name], mine))
                # Periods that ended within the notification horizon are evaluated again, stored or
                # not, so that a breach or credit is still told if the tick that stored it died first.
                since = min([since, *(r.start for r in mine if r.end > now - HORIZON_US)])
    return max(first, since)


def _lookback(objective: Objective) -> int:
    """How far before `now` an objective's rolling window and burn-rate alert windows reach (µs)."""
    reach = objective.window.rolling if isinstance(objective.window, RollingWindow) else timedelta(0)
    policy = objective.alerting
    tiers = policy.effective_tiers if policy is not None else SRE_WORKBOOK_TIERS
    reach = max([reach, *(t.long_window for t in tiers)])
    return duration_us(reach)


def _first_unstored(first: int, results: Sequence[StoredResult]) -> int:
    """The start of the earliest period not stored: walk the stored results from `first` while they follow on."""
    cursor = first
    for result in sorted(results, key=lambda r: r.start):
        if result.start <= cursor < result.end:
            cursor = result.end
    return cursor


def _store_results(store: SqlStore, work: AgreementTick, stored: StoredEvaluation, first: int, now: int) -> None:
    """Store each closed period not stored yet, with its job row (listed in `work.results`).

    A period stored before (by `attain evaluate --period`, or a tick) is left alone: it is in the
    range again only for the notify hook (the notification horizon).
    """
    name, since = work.agreement, stored.evaluation.since
    with store.engine.connect() as conn:
        known = done_keys(conn, "result", f"{name}/")
    results = store.results(name)
    kept = {(r.objective, r.period, r.start) for r in results}
    labelled = {(r.objective, r.period) for r in results}
    for objective in stored.evaluation.objectives:
        for period in objective.periods:
            whole = period.start >= since or since <= first  # a period cut by `since` is not judged whole
            if not period.closed or (objective.objective, period.period, period.start) in kept or not whole:
                continue
            # One label can name two periods of an objective (a later version moved its window to
            # another zone): the one stored second is keyed with its start too.
            again = (objective.objective, period.period) in labelled
            done = f"{objective.objective}/{period.period}" + (f"@{iso_utc(period.start)}" if again else "")
            key = f"{name}/{done}"
            if key in known:
                continue
            with store.engine.connect() as conn:
                if not claim_job(conn, "result", key, now, {"status": period.status.value}):
                    continue
                save_results(conn, [stored_result(name, period, now)])
                conn.commit()
            labelled.add((objective.objective, period.period))
            work.results.append(done)


def _sync_ledgers(store: SqlStore, work: AgreementTick, now: int) -> None:
    """Sync credits and rights once per stored period and once a day; record each sync's jobs.

    The periods are those of the stored results, not only those this tick stored: a tick killed
    after storing a result and before its sync leaves the sync to the next tick.
    """
    name = work.agreement
    day = from_us(now).date().isoformat()
    keys = [f"{name}/{label}" for label in _period_keys(store.results(name))] + [f"{name}/day/{day}"]
    syncs: tuple[tuple[str, Callable[[], object]], ...] = (
        ("credits", lambda: credit_ledger.sync(store, SqlCredits(store.engine), name, now)),
        ("rights", lambda: right_ledger.sync(store, SqlRights(store.engine), name, now)),
    )
    for job, sync in syncs:
        with store.engine.connect() as conn:
            todo = [k for k in keys if k not in done_keys(conn, job, f"{name}/")]
        if not todo:
            continue
        sync()  # idempotent in its own tables: a repeat records nothing twice
        for key in todo:
            with store.engine.connect() as conn:
                if claim_job(conn, job, key, now):
                    conn.commit()
                    work.ledgers.append(f"{job}/{key.removeprefix(name + '/')}")


def _period_keys(results: Sequence[StoredResult]) -> list[str]:
    """The sync keys of the stored periods: each label, and `LABEL@START` for each later period of a label.

    One label can name two periods (a later version that moved a window to another zone); the
    first to start keeps the plain label, as before there could be two.
    """
    first: dict[str, int] = {}
    for result in sorted(results, key=lambda r: r.start):
        first.setdefault(result.period, result.start)
    keys = {r.period if first[r.period] == r.start else f"{r.period}@{iso_utc(r.start)}" for r in results}
    return sorted(keys)


def _issue_reports(
    store: SqlStore, work: AgreementTick, agreement: Agreement, start: int, now: int, reports_dir: Path
) -> None:
    """Write the report of each finished reporting period since `start` in each language, once."""
    from attain.reports.document import Format  # noqa: PLC0415 - the document libraries load only when reporting
    from attain.reports.period import period_report  # noqa: PLC0415
    from attain.reports.period_view import render_report  # noqa: PLC0415
    from attain.services.documents import source_from_store  # noqa: PLC0415

    name, spec = work.agreement, agreement.spec
    with store.engine.connect() as conn:
        known = done_keys(conn, "report", f"{name}/")
    for period in periods_between(spec.reporting.period, spec.time_zone, start, now):
        if period.end > now:
            continue
        wanted = [lang.value for lang in spec.reporting.languages if f"{name}/{period.label}/{lang.value}" not in known]
        if not wanted:
            continue
        source = source_from_store(store, name, period.label)
        report = period_report(source, period.label, at=now)
        for lang in wanted:
            target = reports_dir / name / f"{period.label}.{lang}.html"
            content = render_report(report, lang, Format.HTML)
            if _write_once(store, f"{name}/{period.label}/{lang}", target, content, now):
                work.reports.append(target)
    _remove_leftovers(store, reports_dir / name, name)


def _remove_leftovers(store: SqlStore, folder: Path, name: str) -> None:
    """Delete the temporary files a killed tick left for reports whose job is done.

    `_write_once` names a report's temporary file `.PERIOD.LANG.html.*.tmp`; one is left behind
    when its process dies before the rename. Once the report's job row is committed no tick renames
    such a file any more (its claim fails first), so removing it cannot race with another tick.
    """
    if not folder.is_dir():
        return
    with store.engine.connect() as conn:
        done = done_keys(conn, "report", f"{name}/")
    for leftover in folder.glob(".*.html.*.tmp"):
        label, _, lang = leftover.name[1:].partition(".html.")[0].rpartition(".")
        if f"{name}/{label}/{lang}" in done:
            try:
                leftover.unlink(missing_ok=True)
            except OSError:  # not ours to delete after all: the reports are issued all the same
                continue


def _write_once(store: SqlStore, key: str, target: Path, content: bytes, now: int) -> bool:
    """Write `content` to `target` in the transaction that records job (`report`, `key`); False if done already."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False) as file:
        file.write(content)  # a name of its own: an overlapping tick never writes into this file
    temporary = Path(file.name)
    try:
        with store.engine.connect() as conn:
            if not claim_job(conn, "report", key, now, {"file": str(target), "bytes": len(content)}):
                return False
            temporary.replace(target)
            conn.commit()
    finally:
        temporary.unlink(missing_ok=True)
    return True
