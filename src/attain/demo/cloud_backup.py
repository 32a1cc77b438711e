"""cloud-backup's story: nightly backups with a two-day gap in the bad month, and late restores."""

from __future__ import annotations

import numpy as np

from attain.demo.span import Rows, Span, Table, arrivals, minute
from attain.engine.instant import US_PER_MINUTE

_SYSTEMS = ("erp-db", "wms-db", "crm-db", "file-server-1", "file-server-2", "mail-archive")
_RESTORES_BY_HOUR = (0.1,) * 8 + (1.0,) * 11 + (0.4,) * 5 + (0.2,) * 24


def generate_tables(span: Span, rng: np.random.Generator) -> list[Table]:
    """Nightly backup runs and restore requests (requested, started)."""
    return [
        Table("backup_runs", ("timestamp", "job", "status", "size_gb"), _backup_runs(span, rng)),
        Table("restore_requests", ("case", "type", "timestamp", "system"), _restores(span, rng)),
    ]


def _backup_runs(span: Span, rng: np.random.Generator) -> Rows:
    """Nightly runs at 01:00 local: two missing days in the bad month, a few failed or partial."""
    nights = [d for d in span.days() if span.start <= span.wall(d, 1) < span.end]
    bad = [i for i, d in enumerate(nights) if span.in_bad(span.wall(d, 1))] or list(range(len(nights)))
    gap = bad[len(bad) // 2]
    skipped = {gap, gap + 1}
    spare = [i for i in range(len(nights)) if all(abs(i - j) > 2 for j in skipped)]
    picked = [int(i) for i in rng.choice(spare, size=min(5, len(spare)), replace=False)]
    outcome = dict(zip(picked, ("retried", "retried", "failed", "partial", "partial"), strict=False))
    rows: Rows = []
    for i, night in enumerate(nights):
        if i in skipped:
            continue
        at, size = span.wall(night, 1), f"{1840 + 1.3 * i + rng.uniform(-6, 6):.1f}"
        status = outcome.get(i, "success")
        rows.append(
            (span.iso(at), "nightly", "failed" if status == "retried" else status, "" if status != "success" else size)
        )
        retry = at + int(rng.integers(150, 300)) * US_PER_MINUTE
        if status == "retried" and retry < span.end:
            rows.append((span.iso(retry), "nightly-retry", "success", size))
    return rows


def _restores(span: Span, rng: np.random.Generator) -> Rows:
    """Restore requests, mostly in office hours, started within 4 h except two in the bad month."""
    requested = [minute(int(t)) for t in arrivals(span, rng, 0.35, _RESTORES_BY_HOUR, US_PER_MINUTE)]
    waits = [int(min(rng.lognormal(np.log(75.0), 0.6), 230.0)) for _ in requested]
    bad = [i for i, t in enumerate(requested) if span.in_bad(t)]
    for i in bad[1 : len(bad) : max(1, len(bad) // 2)][:2]:
        waits[i] = int(rng.integers(265, 420))
    rows: Rows = []
    for i, (at, wait) in enumerate(zip(requested, waits, strict=True)):
        case = f"R-{i + 1:04d}"
        rows.append((case, "requested", span.iso(at), _SYSTEMS[int(rng.integers(0, len(_SYSTEMS)))]))
        if at + wait * US_PER_MINUTE < span.end:
            rows.append((case, "started", span.iso(at + wait * US_PER_MINUTE), ""))
    return rows
