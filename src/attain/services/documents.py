"""Where documents (contracts, periodic reports, exports) get their agreement and measurements: files, or the store.

Kept apart from the document builders in `attain.reports`, which are pure: these functions read
files or query the store, and hand plain values on, so that `attain.reports` imports no service,
store, ingestion or source.
"""

from __future__ import annotations

from pathlib import Path

from attain.engine.period import local_midnight, next_unit_start
from attain.engine.versions import version_at
from attain.formats.bundle import load_agreement
from attain.lifecycle.versions import latest_agreement, parse_version, stored_versions, versions_in_force
from attain.model import Agreement
from attain.ports import Store
from attain.reports.period import ReportSource
from attain.reports.period_label import parse_period
from attain.services.measurements import read_counts, stored_measurements
from attain.services.memo import MemoView
from attain.sources.files import read_measurements


def agreement_from_file(path: Path) -> Agreement:
    """Load one agreement file."""
    return load_agreement(path)


def agreement_from_store(store: Store, name: str) -> Agreement:
    """The latest stored version of agreement `name`."""
    return latest_agreement(store, name)


def source_from_files(path: Path, data: Path) -> ReportSource:
    """An agreement file and the measurement files in `data` (no late adjustments: files have none)."""
    agreement = load_agreement(path)
    return ReportSource(agreement, read_measurements(agreement, data))


def source_from_store(store: Store, name: str, period: str, memo: MemoView | None = None) -> ReportSource:
    """What a stored agreement's report of `period` reads.

    The version in force when the period began (a period is judged by the version then in force),
    the stored measurements up to the period's end, and the number of adjustments. With a `memo`
    (the server's), minute counts already read for the same data are reused.
    """
    stored = stored_versions(store, name)
    versions = versions_in_force(stored, parse_version if memo is None else memo.agreement)
    unit, first = parse_period(period)
    begins = local_midnight(first, versions[-1].agreement.spec.time_zone)
    chosen = version_at(versions, begins) or versions[0]  # a period before version 1 takes version 1's terms
    agreement, since = chosen.agreement, chosen.start
    end = max(local_midnight(next_unit_start(unit, first), agreement.spec.time_zone), since)
    reader = read_counts if memo is None else memo.reader(stored)
    measurements = stored_measurements(store, name, [v.agreement for v in versions], since, end, reader)
    head = getattr(store, "audit_head", None)  # a SQL store keeps an audit trail; a memory store has none
    chain = head(name) if head is not None else None
    return ReportSource(agreement, measurements, len(store.adjustments(name)), chain)
