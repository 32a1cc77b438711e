"""A seeded data set of request events: S services × D days, with diurnal and weekly traffic.

Traffic per service follows a skewed (Zipf-like) share of the total; each minute's expected volume
follows a day curve and a weekend dip. Each service has a base error rate, a few outage bursts,
and some services burn their budget near the end, fast (a page must fire) or slowly (a ticket
must fire). Counts are drawn per minute and service first (Poisson volume, binomial errors) and
then expanded into events, so the per-minute good/total counts are known exactly and are written
beside the events.

Files written to the output directory: `events.parquet` (timestamp, service, good, latency_ms,
status, region), `counts.parquet` (minute, service, good, total; non-empty minutes only),
`agreement.yaml` (one ratio objective per service, rolling 30 days, SRE-workbook alerts), and
`meta.json` (the parameters, the end instant and each service's target).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

US_PER_MINUTE = 60_000_000
MINUTES_PER_DAY = 1440
END = datetime(2026, 11, 2, tzinfo=UTC)
"""The instant every answer is computed at (a Monday, 00:00 UTC)."""
TARGETS = ("0.999", "0.995", "0.99")
REGIONS = ("eu-west", "us-east", "us-west", "ap-south")


@dataclass(frozen=True)
class Spec:
    """What to generate: the approximate number of events, services, days and the seed."""

    events: int = 10_000_000
    services: int = 100
    days: int = 30
    seed: int = 7

    @property
    def end_us(self) -> int:
        """The end instant in µs since the epoch."""
        return int(END.timestamp()) * 1_000_000

    @property
    def start_us(self) -> int:
        """The first instant in µs since the epoch."""
        return self.end_us - self.days * MINUTES_PER_DAY * US_PER_MINUTE


def service_name(index: int) -> str:
    """The name of service `index`: svc-000, svc-001, …."""
    return f"svc-{index:03d}"


def target_of(index: int) -> str:
    """The target of service `index`, as decimal text."""
    return TARGETS[index % len(TARGETS)]


def expected_volume(spec: Spec) -> np.ndarray:
    """Expected events per service and minute, shape (services, minutes), summing to `spec.events`."""
    minutes = spec.days * MINUTES_PER_DAY
    t = np.arange(minutes)
    minute_of_day = t % MINUTES_PER_DAY
    day_curve = 1.0 + 0.6 * np.sin(2 * np.pi * (minute_of_day / MINUTES_PER_DAY - 0.375))
    weekday = ((spec.start_us // (US_PER_MINUTE * MINUTES_PER_DAY)) + t // MINUTES_PER_DAY + 3) % 7
    week_curve = np.where(weekday >= 5, 0.7, 1.0)
    shape = day_curve * week_curve
    weights = 1.0 / np.arange(1, spec.services + 1) ** 1.1
    weights /= weights.sum()
    return spec.events * weights[:, None] * (shape / shape.sum())[None, :]


def error_rates(spec: Spec, rng: np.random.Generator) -> np.ndarray:
    """Error probability per service and minute: base rate, outage bursts, burns near the end."""
    minutes = spec.days * MINUTES_PER_DAY
    budget = np.array([1 - float(target_of(s)) for s in range(spec.services)])
    rates = np.repeat((budget * rng.uniform(0.05, 0.4, spec.services))[:, None], minutes, axis=1)
    for s in range(spec.services):
        for _ in range(rng.integers(1, 4)):
            start = int(rng.integers(0, max(1, minutes - 4 * MINUTES_PER_DAY)))
            rates[s, start : start + int(rng.integers(5, 40))] = rng.uniform(0.05, 0.5)
        kind = s % 10
        if kind == 0:  # a fast burn over the last 90 minutes: 20x the budget pages
            rates[s, minutes - 90 :] = min(0.9, 20 * budget[s])
        elif kind == 3:  # 4x the budget over the last 30 hours: a ticket (1d and 2h above 3x)
            rates[s, minutes - 30 * 60 :] = 4 * budget[s]
        elif kind == 6:  # 1.5x the budget over the last 4 days: a ticket (3d and 6h above 1x)
            rates[s, minutes - 4 * MINUTES_PER_DAY :] = 1.5 * budget[s]
    return np.clip(rates, 0.0, 1.0)


def minute_counts(spec: Spec) -> tuple[np.ndarray, np.ndarray]:
    """Total and bad events per service and minute, shape (services, minutes), int64."""
    rng = np.random.default_rng(spec.seed)
    total = rng.poisson(expected_volume(spec)).astype(np.int64)
    bad = rng.binomial(total, error_rates(spec, rng)).astype(np.int64)
    return total, bad


def _day_events(spec: Spec, day: int, total: np.ndarray, bad: np.ndarray, rng: np.random.Generator) -> pa.Table:
    """The events of one day, in time order."""
    cells = slice(day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY)
    day_total, day_bad = total[:, cells].ravel(), bad[:, cells].ravel()
    n = int(day_total.sum())
    cell = np.repeat(np.arange(day_total.size), day_total)
    first_of_cell = np.repeat(np.cumsum(day_total) - day_total, day_total)
    good = (np.arange(n) - first_of_cell) >= np.repeat(day_bad, day_total)
    service = (cell // MINUTES_PER_DAY).astype(np.int32)
    minute = cell % MINUTES_PER_DAY + day * MINUTES_PER_DAY
    at = spec.start_us + minute * US_PER_MINUTE + rng.integers(0, US_PER_MINUTE, n)
    order = np.argsort(at, kind="stable")
    at, service, good = at[order], service[order], good[order]
    latency = np.round(rng.lognormal(4.0, 0.6, n) * np.where(good, 1.0, 8.0), 1)
    status = np.where(good, 200, rng.choice(np.array([500, 502, 503, 504], dtype=np.int16), n)).astype(np.int16)
    names = pa.array([service_name(s) for s in range(spec.services)])
    return pa.table(
        {
            "timestamp": pa.array(at, pa.timestamp("us", tz="UTC")),
            "service": pa.DictionaryArray.from_arrays(pa.array(service), names),
            "good": pa.array(good),
            "latency_ms": pa.array(latency),
            "status": pa.array(status),
            "region": pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, len(REGIONS), n).astype(np.int8)), pa.array(REGIONS)
            ),
        }
    )


def write_events(spec: Spec, out: Path, total: np.ndarray, bad: np.ndarray) -> int:
    """Write events.parquet day by day (bounded memory); return the number of events."""
    rng = np.random.default_rng(spec.seed + 1)
    rows = 0
    writer: pq.ParquetWriter | None = None
    try:
        for day in range(spec.days):
            table = _day_events(spec, day, total, bad, rng)
            if writer is None:
                writer = pq.ParquetWriter(out / "events.parquet", table.schema, compression="snappy")
            writer.write_table(table, row_group_size=1 << 20)
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows


def write_counts(spec: Spec, out: Path, total: np.ndarray, bad: np.ndarray) -> None:
    """Write counts.parquet: per minute and service, good and total, non-empty minutes only."""
    service, minute = np.nonzero(total)
    order = np.lexsort((service, minute))
    service, minute = service[order], minute[order]
    names = pa.array([service_name(s) for s in range(spec.services)])
    table = pa.table(
        {
            "minute": pa.array(spec.start_us + minute.astype(np.int64) * US_PER_MINUTE, pa.timestamp("us", tz="UTC")),
            "service": pa.DictionaryArray.from_arrays(pa.array(service.astype(np.int32)), names),
            "good": pa.array(total[service, minute] - bad[service, minute]),
            "total": pa.array(total[service, minute]),
        }
    )
    pq.write_table(table, out / "counts.parquet", row_group_size=1 << 20)


def agreement_yaml(spec: Spec, name: str = "bench") -> str:
    """The agreement: one ratio objective per service over the `requests` stream."""
    start = datetime.fromtimestamp(spec.start_us // 1_000_000, UTC) - timedelta(days=1)
    lines = [
        "apiVersion: attain/v1",
        "kind: Agreement",
        f"metadata: {{name: {name}}}",
        "spec:",
        "  title: Benchmark agreement",
        "  parties: {provider: {name: Bench Provider}, customer: {name: Bench Customer}}",
        "  purpose: Measures the benchmark's services.",
        "  timeZone: UTC",
        f"  effective: {{from: {start.date().isoformat()}}}",
        "  objectives:",
    ]
    for s in range(spec.services):
        percent = Fraction(target_of(s)) * 100
        lines.append(
            f"    - {{name: {service_name(s)}, indicator: {{kind: ratio, events: requests, "
            f"valid: {{where: {{service: {service_name(s)}}}}}, good: {{where: {{good: true}}}}}}, "
            f"target: {float(percent):g}%, window: {{rolling: {spec.days}d}}, alerting: {{preset: sre-workbook}}}}"
        )
    return "\n".join(lines) + "\n"


def generate(spec: Spec, out: Path) -> dict[str, object]:
    """Write the data set to `out` and return its metadata (also written as meta.json)."""
    out.mkdir(parents=True, exist_ok=True)
    total, bad = minute_counts(spec)
    rows = write_events(spec, out, total, bad)
    write_counts(spec, out, total, bad)
    (out / "agreement.yaml").write_text(agreement_yaml(spec), encoding="utf-8")
    meta = {
        **asdict(spec),
        "rows": rows,
        "start_us": spec.start_us,
        "end_us": spec.end_us,
        "targets": {service_name(s): target_of(s) for s in range(spec.services)},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta


def main() -> None:
    """Command line: python -m bench.generate --events 10000000 --out bench/data/10m."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=Spec.events)
    parser.add_argument("--services", type=int, default=Spec.services)
    parser.add_argument("--days", type=int, default=Spec.days)
    parser.add_argument("--seed", type=int, default=Spec.seed)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    meta = generate(Spec(args.events, args.services, args.days, args.seed), args.out)
    print(json.dumps({k: v for k, v in meta.items() if k != "targets"}))  # noqa: T201


if __name__ == "__main__":
    main()
