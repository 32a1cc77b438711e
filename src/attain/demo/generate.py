"""Realistic synthetic measurements for five templates, for the demo.

`generate(template, out, end, days, seed)` writes the CSV files that `attain.sources.files`
reads for one template's agreement, covering `[end − days, end)`; `generate_all` does so for
every template in `TEMPLATES_WITH_DATA`, one subdirectory each. The data is deterministic for a
seed (one `numpy.random.default_rng(seed)` per template) and tells a story the demo relies on:

- the last full calendar month in the range (in the template's zone; the whole range when no
  month fits) is the *bad month*: cloud-uptime has a compute outage of a few hours, api-latency a
  burst of server errors, ambulance-response slower responses, cloud-backup a two-day gap in the
  nightly backups and late restores, support-desk a short-staffed desk;
- cloud-uptime has a Sunday 02:00–04:00 maintenance announced six days ahead (excluded) and one
  announced the day before (too late: it counts);
- api-latency traffic follows the time of day and the day of the week, with a slow period in the
  last 28 days; support-desk tickets are fewer on weekends and public holidays, and their clocks
  run on the agreement's own business calendar, across weekends and Chinese public holidays.

Instants are written in ISO 8601 with the template's local offset, or in UTC with `Z` for the
large event files; values as decimal text with fixed decimals.

Each template's story is drawn in a module of its own (`cloud_uptime`, `ambulance_response`,
`cloud_backup`, `support_desk`, `api_latency`) on the `span` they share.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from attain.demo import ambulance_response, api_latency, cloud_backup, cloud_uptime, support_desk
from attain.demo.span import Span, Table, bad_month
from attain.engine.instant import US_PER_DAY, to_us
from attain.formats.spreadsheet import defuse_cell

TEMPLATES_WITH_DATA: tuple[str, ...] = (
    "cloud-uptime",
    "ambulance-response",
    "support-desk",
    "cloud-backup",
    "api-latency",
)
"""The templates `generate` writes measurements for."""

_ZONES = {
    "cloud-uptime": "Europe/Berlin",
    "ambulance-response": "Europe/London",
    "support-desk": "Asia/Shanghai",
    "cloud-backup": "Asia/Singapore",
    "api-latency": "UTC",
}
"""Each template's `timeZone`, in which its months, days and schedules are laid out."""

Writer = Callable[[Span, np.random.Generator], list[Table]]


def generate(template: str, out: Path, end: datetime, days: int = 90, seed: int = 7) -> list[Path]:
    """Write synthetic measurement files for one template, covering `[end − days, end)`.

    Args:
        template: One of `TEMPLATES_WITH_DATA`.
        out: The directory to write `<stream>.csv` files into; created when missing.
        end: The end of the range (exclusive); a naive datetime is read as UTC.
        days: The length of the range in days.
        seed: The seed of the random generator: the same seed gives byte-identical files.

    Returns:
        The paths written, in a fixed order.

    Raises:
        ValueError: If the template has no generator or `days` is not positive.
    """
    if template not in _WRITERS:
        raise ValueError(f"no demo data for template {template!r}; choose one of {', '.join(TEMPLATES_WITH_DATA)}")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    finish = to_us(end if end.tzinfo is not None else end.replace(tzinfo=UTC))
    start = finish - days * US_PER_DAY
    zone = ZoneInfo(_ZONES[template])
    span = Span(start, finish, zone, bad_month(start, finish, zone))
    out.mkdir(parents=True, exist_ok=True)
    tables = _WRITERS[template](span, np.random.default_rng(seed))
    return [_write(out / f"{table.name}.csv", table) for table in tables]


def generate_all(out_dir: Path, end: datetime, days: int = 90, seed: int = 7) -> dict[str, list[Path]]:
    """Write synthetic measurements for every template in `TEMPLATES_WITH_DATA`.

    Args:
        out_dir: The directory that receives one subdirectory per template.
        end: The end of the range (exclusive); a naive datetime is read as UTC.
        days: The length of the range in days.
        seed: The seed of each template's random generator.

    Returns:
        The paths written, by template.
    """
    return {name: generate(name, out_dir / name, end, days, seed) for name in TEMPLATES_WITH_DATA}


def _write(path: Path, table: Table) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([defuse_cell(cell) for cell in table.header])
        writer.writerows([defuse_cell(cell) for cell in row] for row in table.rows)
    return path


_WRITERS: dict[str, Writer] = {
    "cloud-uptime": cloud_uptime.generate_tables,
    "ambulance-response": ambulance_response.generate_tables,
    "support-desk": support_desk.generate_tables,
    "cloud-backup": cloud_backup.generate_tables,
    "api-latency": api_latency.generate_tables,
}
