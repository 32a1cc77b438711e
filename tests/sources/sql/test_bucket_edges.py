"""PostgreSQL's bucket of an instant is exact at every edge, whatever the session's time zone.

Instants 1 µs before, at and 1 µs after minute and hour edges are stored in a `timestamptz` and a
`timestamp` column: today, around daylight-saving changes, in 1937 (Amsterdam moved from +0:19:32
to +0:20), 1972 (Monrovia left −0:44:30), before 1970, at 1 AD and 1 BC, and at both ends of
PostgreSQL's range (4714 BC to 294276 AD). The expected buckets are integer floor divisions of
the instants in µs, and the text PostgreSQL reads them from is written by a civil-calendar
formula of this module's own (Howard Hinnant's `civil_from_days`), so neither comes from
PostgreSQL or from attain. Every query runs with the session's `TimeZone` set to a zone whose
offsets are not whole minutes (or with UTC, for contrast).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, column, create_engine, func, select, table, text

from attain.sources.sql.query import bucket_of, pull_counts
from attain.sources.sql.scan import plan_scans, pull_scan
from attain.sources.sql.source import SqlSource
from postgres_support import own_schema, schema_url

US_PER_DAY = 86_400_000_000
MINUTE = 60_000_000
HOUR = 60 * MINUTE
ZONES = ["Europe/Amsterdam", "Africa/Monrovia", "Asia/Kolkata", "UTC"]
"""Session time zones: LMT and historical offsets with seconds (+0:19:32, −0:44:30, +5:53:28), then UTC."""


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (astronomical years: 0 is 1 BC)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """The proleptic Gregorian (year, month, day) of a day count since 1970-01-01."""
    days += 719_468
    era = days // 146_097
    doe = days - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (month <= 2), month, day


def instant(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """µs since the Unix epoch of a UTC wall-clock time."""
    return days_from_civil(year, month, day) * US_PER_DAY + hour * HOUR + minute * MINUTE


def pg_text(us: int) -> str:
    """The instant as PostgreSQL input text in UTC (`+00`), years ≤ 0 written as BC."""
    days, rest = divmod(us, US_PER_DAY)
    year, month, day = civil_from_days(days)
    hours, rest = divmod(rest, HOUR)
    minutes, rest = divmod(rest, MINUTE)
    seconds, micros = divmod(rest, 1_000_000)
    era = "" if year > 0 else " BC"
    shown = year if year > 0 else 1 - year
    return f"{shown:04d}-{month:02d}-{day:02d} {hours:02d}:{minutes:02d}:{seconds:02d}.{micros:06d}+00{era}"


LOWEST = instant(-4713, 11, 24)
"""PostgreSQL's first instant, 4714-11-24 00:00:00 BC."""
HIGHEST = instant(294_276, 12, 31, 23, 59) + MINUTE - 1
"""PostgreSQL's last instant, 294276-12-31 23:59:59.999999."""
EDGES = [
    instant(-4713, 11, 24),
    instant(-4713, 11, 24, 1, 1),
    instant(0, 12, 31, 23, 59),
    instant(1, 1, 1),
    instant(1835, 1, 1),
    instant(1900, 1, 1),
    instant(1937, 6, 30, 23),
    instant(1937, 6, 30, 23, 40),
    instant(1937, 6, 30, 23, 41),
    instant(1937, 7, 1),
    instant(1969, 12, 31, 23, 59),
    instant(1970, 1, 1),
    instant(1970, 1, 1, 0, 1),
    instant(1972, 1, 7, 0, 44),
    instant(1972, 1, 7, 0, 45),
    instant(1972, 1, 7, 1),
    instant(2027, 1, 1),
    instant(2027, 1, 1, 0, 1),
    instant(2027, 3, 28, 1),
    instant(2027, 3, 28, 1, 59),
    instant(9999, 12, 31, 23, 59),
    instant(10_000, 1, 1),
    instant(294_276, 12, 31, 23),
    instant(294_276, 12, 31, 23, 59),
]
"""Minute and hour edges (UTC) where a rounding, an offset with seconds or an overflow would show."""
INSTANTS = sorted({e + d for e in EDGES for d in (-1, 0, 1) if LOWEST <= e + d <= HIGHEST} | {HIGHEST})


def test_the_calendar_formula_agrees_with_known_dates() -> None:
    """The module's calendar formula gives the epoch, 2000-03-01 and PostgreSQL's Julian day 0 as known."""
    assert days_from_civil(1970, 1, 1) == 0
    assert days_from_civil(2000, 3, 1) == 11_017
    assert days_from_civil(-4713, 11, 24) == -2_440_588  # Julian day 0; the Unix epoch is Julian day 2,440,588
    assert pg_text(instant(-4713, 11, 24)) == "4714-11-24 00:00:00.000000+00 BC"
    assert all(civil_from_days(days_from_civil(*civil_from_days(d))) == civil_from_days(d) for d in range(-800, 800))


@pytest.fixture(scope="module")
def pg() -> Iterator[tuple[Engine, str]]:
    """A schema with `stamped (ts timestamptz)` and `naive (ts timestamp)`, each holding every instant once."""
    for schema in own_schema("attain_edges"):
        url = schema_url(schema)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text("SET TimeZone = 'Europe/Amsterdam'")
            )  # the naive column gets the UTC wall clock all the same
            for name, kind in (("stamped", "timestamptz"), ("naive", "timestamp")):
                conn.execute(text(f"CREATE TABLE {name} (ts {kind} NOT NULL, tag text NOT NULL, ok boolean NOT NULL)"))
                for i, us in enumerate(INSTANTS):
                    conn.execute(
                        text(f"INSERT INTO {name} VALUES (CAST(:ts AS {kind}), :tag, :ok)"),  # noqa: S608 - our names
                        {"ts": pg_text(us), "tag": "ab"[i % 2], "ok": i % 3 != 0},
                    )
        yield engine, url
        engine.dispose()


def _in_zone(engine: Engine, zone: str) -> Connection:
    conn = engine.connect()
    conn.execute(text("SELECT set_config('TimeZone', :zone, false)"), {"zone": zone})
    return conn


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("kind", ["stamped", "naive"])
@pytest.mark.parametrize("step_us", [MINUTE, HOUR])
def test_each_instant_falls_in_its_floor_bucket(pg: tuple[Engine, str], kind: str, zone: str, step_us: int) -> None:
    """Counts per bucket index over the whole range equal the floor divisions of the instants, in any session zone."""
    engine, _ = pg
    ts = table(kind, column("ts")).c.ts
    bucket = bucket_of(ts, step_us // 1_000_000)
    query = select(bucket.index, func.count()).group_by(bucket.key)
    with _in_zone(engine, zone) as conn:
        found = {int(index): int(count) for index, count in conn.execute(query)}
    assert found == Counter(us // step_us for us in INSTANTS)


RANGES = [
    (instant(2027, 1, 1), instant(2027, 1, 1, 2)),
    (instant(1937, 6, 30, 23), instant(1937, 7, 1, 1)),
    (instant(1972, 1, 7), instant(1972, 1, 7, 2)),
    (instant(1969, 12, 31, 23), instant(1970, 1, 1, 1)),
]
"""Pulled ranges (whole hours, within Python's years) whose ends lie on tested edges."""


def _expected(start: int, end: int, tag: str | None, step_us: int) -> tuple[dict[int, int], dict[int, int]]:
    """(good, valid) of the instants in `[start, end)` with `tag` (any when None), on each bucket's first minute."""
    good: Counter[int] = Counter()
    valid: Counter[int] = Counter()
    for i, us in enumerate(INSTANTS):
        if start <= us < end and tag in (None, "ab"[i % 2]):
            minute = (us - start) // step_us * (step_us // MINUTE)
            valid[minute] += 1
            good[minute] += int(i % 3 != 0)
    return {m: n for m, n in good.items() if n}, dict(valid)


def _nonzero(values: object) -> dict[int, int]:
    return {i: int(v) for i, v in enumerate(values) if v}  # type: ignore[call-overload]


@pytest.mark.parametrize("resolution", ["minute", "hour"])
@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "Africa/Monrovia"])
@pytest.mark.parametrize("kind", ["stamped", "naive"])
@pytest.mark.parametrize(("start", "end"), RANGES)
def test_pulled_ranges_are_exact_in_any_session_zone(
    pg: tuple[Engine, str], kind: str, zone: str, start: int, end: int, resolution: str
) -> None:
    """Each objective's query and the shared scans count exactly the instants in [start, end), per minute."""
    engine, url = pg
    sources = [
        SqlSource(url, "ts", table=kind, valid_where="tag = 'a'", good_where="ok"),
        SqlSource(url, "ts", table=kind, valid_where="tag = 'b'", good_where="ok"),
        SqlSource(url, "ts", table=kind, good_where="ok"),
    ]
    step_us = MINUTE if resolution == "minute" else HOUR
    expected = [_expected(start, end, tag, step_us) for tag in ("a", "b", None)]
    assert sum(len(valid) for _, valid in expected) > 0
    with _in_zone(engine, zone) as conn:
        alone = [pull_counts(conn, source, start, end, resolution).counts for source in sources]
        scanned: dict[int, object] = {}
        for scan in plan_scans(sources):
            result = pull_scan(conn, scan, start, end, resolution)
            scanned |= {p: c.counts for p, c in zip(scan.positions, result.counts, strict=True)}
    for i, (good, valid) in enumerate(expected):
        for counts in (alone[i], scanned[i]):
            assert (_nonzero(counts.good), _nonzero(counts.valid)) == (good, valid)  # type: ignore[attr-defined]
