"""The demo: a store with five agreements and 90 days of synthetic measurements, evaluated.

Creates a SQLite file, applies five seed templates (cloud uptime with credits, ambulance
response, support desk in business hours, backups, API latency) with their effective date moved
to the start of the demo range, generates 90 days of measurements with a fixed seed, ingests them
exactly once, stores the results of the closed months, and returns the status at `now`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from attain.demo.generate import TEMPLATES_WITH_DATA, generate
from attain.engine.instant import from_us
from attain.errors import InvalidInput
from attain.formats.native import dump_agreement, parse_agreement
from attain.formats.source import read_text
from attain.formats.template import template_text
from attain.ingestion.run import IngestOptions
from attain.model import Agreement, Exclusion, Status
from attain.ports import ResultConflict, Store
from attain.services.demo_dealings import demo_dealings
from attain.services.store import StoredEvaluation, apply_files, evaluate_period, ingest_files, status

DAYS = 90
SEED = 7

Step = Callable[[str], None]


@dataclass(frozen=True)
class DemoRun:
    """What the demo did: files, rows ingested, results stored, documents, and the status at the end."""

    agreements: list[str]
    rows: int
    results_stored: int
    status: list[StoredEvaluation]
    documents: list[Path]
    month: str
    """The last closed month, which the documents report on."""


def demo_agreement(template: str, start: date) -> str:
    """The English template as canonical YAML, in force from `start` and active."""
    [document] = read_text(template_text(template, "en"), f"{template}.yaml")
    agreement = parse_agreement(document)
    spec = agreement.spec
    update = {
        "effective": spec.effective.model_copy(update={"from_": start}),
        "status": Status.ACTIVE,
        "exclusions": tuple(_moved(e, start) for e in spec.exclusions),
    }
    moved = agreement.model_copy(update={"spec": spec.model_copy(update=update)})
    return dump_agreement(Agreement.model_validate(moved.model_dump(by_alias=True), by_alias=True))


def _moved(exclusion: Exclusion, start: date) -> Exclusion:
    """A scheduled exclusion moved back by whole weeks to begin within a week of `start`.

    Whole weeks keep the weekday and the wall-clock time, so "Sundays 02:00" stays that.
    """
    if exclusion.start is None:
        return exclusion
    weeks = (exclusion.start.date() - start).days // 7
    shift = timedelta(weeks=weeks)
    end = None if exclusion.end is None else exclusion.end - shift
    return exclusion.model_copy(update={"start": exclusion.start - shift, "end": end})


def run_demo(store: Store, directory: Path, now: int, step: Step) -> DemoRun:
    """Build the demo store in `directory` (see the module docstring), reporting each step."""
    end = from_us(now).replace(minute=0, second=0, microsecond=0)
    first_day = (end - timedelta(days=DAYS)).date().replace(day=1)
    names = list(TEMPLATES_WITH_DATA)
    for name in names:
        path = directory / "agreements" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(demo_agreement(name, first_day), encoding="utf-8")
    apply_files(store, [directory / "agreements" / f"{n}.yaml" for n in names], now)
    step(f"applied {len(names)} agreements: {', '.join(names)}")
    rows = 0
    for name in names:
        files = generate(name, directory / "data" / name, end, DAYS, SEED)
        reports = ingest_files(store, _ordered(files), name, now, IngestOptions(), None)
        rows += sum(r.rows for r in reports)
        step(f"ingested {sum(r.rows for r in reports):,} rows for {name}")
    stored = _store_closed_months(store, names, end, first_day, now)
    step(f"evaluated and stored {stored} results of closed months")
    last_month = (end.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    documents = write_documents(store, names, directory / "documents", last_month)
    step(f"wrote a contract document and the {last_month} report of each agreement to {directory / 'documents'}")
    dealt = demo_dealings(store, names, now)
    if dealt is not None:
        claimed = f"; the customer claimed the credit of {dealt.claimed}" if dealt.claimed else ""
        step(f"the parties agreed cloud-uptime version {dealt.version}, in force from {dealt.effective}{claimed}")
    return DemoRun(names, rows, stored, status(store, names, now), documents, last_month)


def write_documents(store: Store, names: list[str], out: Path, period: str) -> list[Path]:
    """Write each agreement's contract document and its report for `period`, as HTML."""
    from attain.reports.contract import render_contract  # noqa: PLC0415
    from attain.reports.document import Format  # noqa: PLC0415
    from attain.reports.period import period_report  # noqa: PLC0415
    from attain.reports.period_view import render_report  # noqa: PLC0415
    from attain.services import documents as inputs  # noqa: PLC0415 - document libraries load only here

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        contract = out / f"{name}.contract.html"
        contract.write_bytes(render_contract(inputs.agreement_from_store(store, name), "en", Format.HTML))
        report = out / f"{name}.report.{period}.html"
        source = inputs.source_from_store(store, name, period)
        report.write_bytes(render_report(period_report(source, period), "en", Format.HTML))
        written += [contract, report]
    return written


def _ordered(files: list[Path]) -> list[Path]:
    """Announcements after the streams they exclude from (order does not change results)."""
    return sorted(files, key=lambda p: p.stem == "announcements")


def _store_closed_months(store: Store, names: list[str], end: datetime, first: date, now: int) -> int:
    count = 0
    month = first
    while (month.year, month.month) < (end.year, end.month):
        for name in names:
            try:
                count += len(evaluate_period(store, name, f"{month:%Y-%m}", now))
            except (ResultConflict, InvalidInput):
                continue  # already stored, or no such closed calendar month (a rolling objective)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return count
