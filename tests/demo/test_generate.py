"""The demo's synthetic measurements: deterministic, readable, in range, and telling the demo's story.

Expectations are worked out from the generated rows with plain Python wherever that is simple,
and only compared with what the engine makes of the same files.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from attain.demo import TEMPLATES_WITH_DATA, generate, generate_all
from attain.engine.evaluate import evaluate
from attain.engine.instant import to_us
from attain.engine.result import Evaluation, Status
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import template_text
from attain.model import Agreement
from attain.sources.files import read_measurements

END = datetime(2027, 4, 1, tzinfo=UTC)
DAYS = 90
START = END - timedelta(days=DAYS)
BERLIN, LONDON, SHANGHAI = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/London"), ZoneInfo("Asia/Shanghai")


def agreement_of(name: str) -> Agreement:
    """The English template, parsed."""
    return parse_agreement(read_text(template_text(name, "en"), f"{name}.yaml")[0])


def rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dictionaries."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def at(text: str) -> datetime:
    """An ISO 8601 instant with offset."""
    return datetime.fromisoformat(text)


def month_of(text: str, zone: ZoneInfo) -> str:
    """The local calendar month (YYYY-MM) of an instant."""
    return at(text).astimezone(zone).strftime("%Y-%m")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every template's files for the 90 days before 2027-04-01T00:00Z, seed 7."""
    return generate_all(tmp_path_factory.mktemp("demo"), END, DAYS)


@pytest.fixture(scope="module")
def evaluations(generated: dict[str, list[Path]]) -> dict[str, Evaluation]:
    """Every template evaluated against its generated files at END, since END − 90 days."""
    return {
        name: evaluate(
            agreement_of(name),
            read_measurements(agreement_of(name), paths[0].parent),
            to_us(END),
            to_us(START),
        )
        for name, paths in generated.items()
    }


def file_of(generated: dict[str, list[Path]], template: str, stream: str) -> list[dict[str, str]]:
    """The rows of one template's stream."""
    return rows(next(p for p in generated[template] if p.stem == stream))


def check_in_range(paths: list[Path], start: datetime, end: datetime) -> int:
    """Assert every timestamp, start and end lies in [start, end); return how many were checked."""
    checked = 0
    for path in paths:
        for row in rows(path):
            for column in ("timestamp", "start", "end"):
                if row.get(column):
                    assert start <= at(row[column]) < end or (column == "end" and at(row[column]) == end), (path, row)
                    checked += 1
            if row.get("announcedAt"):
                assert at(row["announcedAt"]) < at(row["start"])
    return checked


def test_same_seed_gives_identical_bytes(generated, tmp_path):
    """The same seed and range give byte-identical files."""
    again = generate_all(tmp_path, END, DAYS)
    for name, paths in generated.items():
        assert [p.name for p in again[name]] == [p.name for p in paths]
        for first, second in zip(paths, again[name], strict=True):
            assert first.read_bytes() == second.read_bytes()


def test_other_seed_gives_other_data(generated, tmp_path):
    """Another seed changes every template's data."""
    for name in TEMPLATES_WITH_DATA:
        other = generate(name, tmp_path / name, END, DAYS, seed=8)
        assert any(a.read_bytes() != b.read_bytes() for a, b in zip(generated[name], other, strict=True))


def test_unknown_template_is_refused(tmp_path):
    """A template without a generator is refused with a message naming the choices."""
    with pytest.raises(ValueError, match="cloud-uptime"):
        generate("ecommerce", tmp_path, END)


def test_files_parse_for_each_agreement(generated):
    """Each template's files are read by read_measurements for its own agreement, every stream non-empty."""
    for name, paths in generated.items():
        measurements = read_measurements(agreement_of(name), paths[0].parent)
        sizes = [len(t.at) for t in measurements.events.values()]
        sizes += [len(s) for s in [*measurements.incidents.values(), *measurements.cases.values()]]
        assert sizes
        assert all(size > 0 for size in sizes), name


def test_instants_lie_in_the_range(generated):
    """Every timestamp, start and end lies in [end − days, end)."""
    for paths in generated.values():
        assert check_in_range(paths, START, END) > 0


@pytest.mark.parametrize(
    ("end", "days"),
    [
        (datetime(2026, 7, 15, 13, 37, 21, tzinfo=UTC), 90),
        (datetime.fromisoformat("2026-11-03T08:15:00+01:00"), 30),
        (datetime.fromisoformat("2026-03-29T05:00:00"), 3),
    ],
)
def test_any_end_date_works(tmp_path, end, days):
    """Any end (offset, odd minute, naive as UTC, across a clock change) gives readable files in range."""
    written = generate_all(tmp_path, end, days, seed=3)
    finish = end if end.tzinfo else end.replace(tzinfo=UTC)
    for name, paths in written.items():
        read_measurements(agreement_of(name), paths[0].parent)
        check_in_range(paths, finish - timedelta(days=days), finish)


def test_every_template_has_a_breached_period(evaluations):
    """Each template has at least one breached period in the 90 days."""
    for name, evaluation in evaluations.items():
        assert evaluation.breached, name


def compute_downtime_seconds(
    incidents: list[dict[str, str]], month: str, excluded: list[tuple[datetime, datetime]]
) -> int:
    """Counted compute downtime in a Berlin month: critical/major, ≥ 1 min, not in excluded time."""
    total = 0
    for row in incidents:
        start, end = at(row["start"]), at(row["end"])
        long_enough = end - start >= timedelta(minutes=1)
        counts = row["service"] == "compute" and row["severity"] in {"critical", "major"} and long_enough
        if counts and month_of(row["start"], BERLIN) == month:
            inside = any(low <= start and end <= high for low, high in excluded)
            total += 0 if inside else int((end - start).total_seconds())
    return total


def test_incidents_neither_overlap_nor_cross_months(generated):
    """Incidents are disjoint and inside one Berlin month, so downtime is a plain sum."""
    incidents = sorted(file_of(generated, "cloud-uptime", "incidents"), key=lambda r: at(r["start"]))
    for first, second in pairwise(incidents):
        assert at(first["end"]) <= at(second["start"])
    assert all(month_of(r["start"], BERLIN) == month_of(r["end"], BERLIN) for r in incidents)


def test_cloud_uptime_outage_breaches_a_month_and_earns_a_credit(generated, evaluations):
    """An outage of a few hours takes one month's compute availability below 99.9%, and a credit is owed."""
    incidents = file_of(generated, "cloud-uptime", "incidents")
    outages = [
        r for r in incidents if at(r["end"]) - at(r["start"]) >= timedelta(hours=3) and r["severity"] == "critical"
    ]
    assert len(outages) == 1
    month = month_of(outages[0]["start"], BERLIN)
    first = datetime.strptime(month, "%Y-%m").replace(tzinfo=BERLIN)
    minutes = ((first + timedelta(days=32)).replace(day=1) - first).total_seconds() / 60
    downtime = compute_downtime_seconds(incidents, month, [])
    assert 1 - Fraction(downtime, 60) / Fraction(minutes) < Fraction(999, 1000)
    compute = next(o for o in evaluations["cloud-uptime"].objectives if o.objective == "compute-availability")
    period = next(p for p in compute.periods if p.period == month)
    assert period.status is Status.BREACHED
    credit = next(c for c in evaluations["cloud-uptime"].credits if c.period == month)
    assert credit.payable is not None
    assert credit.payable > 0


def test_timely_maintenance_is_honoured_and_late_one_counts(generated, evaluations):
    """Maintenance announced ≥ 72 h ahead on a Sunday 02:00–04:00 is excluded; one announced later counts."""
    notices = file_of(generated, "cloud-uptime", "announcements")
    windows = [(at(n["start"]), at(n["end"]), at(n["start"]) - at(n["announcedAt"])) for n in notices]
    timely = [(s, e) for s, e, ahead in windows if ahead >= timedelta(hours=72)]
    late = [(s, e) for s, e, ahead in windows if ahead < timedelta(hours=72)]
    assert len(timely) == 1
    assert len(late) == 1
    for start, end in timely + late:
        local = start.astimezone(BERLIN)
        assert (local.weekday(), local.hour, end - start) == (6, 2, timedelta(hours=2))
    incidents = file_of(generated, "cloud-uptime", "incidents")
    assert any(timely[0][0] <= at(r["start"]) and at(r["end"]) <= timely[0][1] for r in incidents)
    assert any(late[0][0] <= at(r["start"]) and at(r["end"]) <= late[0][1] for r in incidents)
    month = month_of(timely[0][0].isoformat(), BERLIN)
    expected = compute_downtime_seconds(incidents, month, timely)
    assert expected < compute_downtime_seconds(incidents, month, [])
    compute = next(o for o in evaluations["cloud-uptime"].objectives if o.objective == "compute-availability")
    period = next(p for p in compute.periods if p.period == month)
    assert abs(Fraction(str(period.detail["downtime_minutes"])) - Fraction(expected, 60)) < Fraction(1, 10**20)


def test_ambulance_worse_month_from_rows(generated, evaluations):
    """A few thousand calls; per London month the 15-minute counts match the rows, and one month is below 90%."""
    calls = file_of(generated, "ambulance-response", "emergency_calls")
    assert 1_000 < len(calls) < 10_000
    good: Counter[str] = Counter()
    valid: Counter[str] = Counter()
    for row in calls:
        if row["category"] in {"C1", "C2"} and row["status"] != "cancelled":
            month = month_of(row["timestamp"], LONDON)
            valid[month] += 1
            good[month] += bool(row["response_seconds"]) and int(row["response_seconds"]) <= 900
    objective = evaluations["ambulance-response"].objectives[0]
    for period in objective.periods:
        if period.closed:
            assert (period.good, period.valid) == (good[period.period], valid[period.period])
    assert any(Fraction(good[m], valid[m]) < Fraction(9, 10) for m in valid)


def test_backups_nightly_with_failures_and_a_two_day_gap(generated):
    """Backups run at 01:00 Singapore time, a few fail or are partial, and one gap between successes spans 72 h."""
    runs = file_of(generated, "cloud-backup", "backup_runs")
    nightly = [r for r in runs if r["job"] == "nightly"]
    assert all(at(r["timestamp"]).strftime("%H:%M%z") == "01:00+0800" for r in nightly)
    assert 3 <= sum(r["status"] in {"failed", "partial"} for r in runs) <= 8
    successes = [at(r["timestamp"]) for r in runs if r["status"] == "success"]
    gaps = [b - a for a, b in pairwise(successes)]
    assert max(gaps) == timedelta(hours=72)


def test_api_availability_from_rows(generated, evaluations):
    """Under 150,000 requests; per UTC month the counts match the rows, and one month is below 99.9%."""
    requests = file_of(generated, "api-latency", "requests")
    assert 50_000 < len(requests) < 150_000
    good: Counter[str] = Counter()
    valid: Counter[str] = Counter()
    for row in requests:
        if row["rate_limited"] != "true":
            valid[row["timestamp"][:7]] += 1
            good[row["timestamp"][:7]] += row["status_class"] not in {"5xx", "timeout"}
    availability = next(o for o in evaluations["api-latency"].objectives if o.objective == "availability")
    for period in availability.periods:
        assert (period.good, period.valid) == (good[period.period], valid[period.period])
    assert any(Fraction(good[m], valid[m]) < Fraction(999, 1000) for m in valid)
    assert credits_owed(evaluations["api-latency"])


def credits_owed(evaluation: Evaluation) -> bool:
    """Whether any credit is payable."""
    return any(c.payable for c in evaluation.credits)


def test_api_traffic_follows_day_and_week_with_a_slow_period(generated):
    """Afternoons (UTC) are busier than nights, weekdays busier than weekends, and some hours are slow."""
    by_hour: Counter[int] = Counter()
    by_weekend: Counter[bool] = Counter()
    latencies: defaultdict[str, list[float]] = defaultdict(list)
    for row in file_of(generated, "api-latency", "requests"):
        moment = at(row["timestamp"])
        by_hour[moment.hour] += 1
        by_weekend[moment.weekday() >= 5] += 1
        if row["latency_ms"]:
            latencies[row["timestamp"][:13]].append(float(row["latency_ms"]))
    assert by_hour[15] > 3 * by_hour[3]
    assert by_weekend[False] / 5 > 1.4 * by_weekend[True] / 2
    medians = [sorted(v)[len(v) // 2] for v in latencies.values()]
    assert sum(m > 2_000 for m in medians) >= 20
    assert sorted(medians)[len(medians) // 2] < 300


def test_support_tickets_cross_holidays_and_weekends(generated):
    """A few hundred tickets of P1–P3 with every clock event, fewer on weekends, some open across CN holidays."""
    events = file_of(generated, "support-desk", "ticket_events")
    created = {r["case"]: r for r in events if r["type"] == "created"}
    resolved = {r["case"]: at(r["timestamp"]) for r in events if r["type"] == "resolved"}
    assert 150 < len(created) < 1_000
    assert {r["priority"] for r in created.values()} == {"P1", "P2", "P3"}
    assert {r["type"] for r in events} == {
        "created",
        "first_response",
        "waiting_on_customer",
        "customer_replied",
        "resolved",
    }
    days = [at(r["timestamp"]).astimezone(SHANGHAI).date() for r in created.values()]
    weekend = sum(d.weekday() >= 5 for d in days)
    assert (len(days) - weekend) / 5 > 3 * weekend / 2
    public = holidays.country_holidays("CN", years=[2026, 2027])
    spans = [
        (at(created[c]["timestamp"]).astimezone(SHANGHAI).date(), r.astimezone(SHANGHAI).date())
        for c, r in resolved.items()
    ]
    assert any(any(low + timedelta(days=i) in public for i in range((high - low).days + 1)) for low, high in spans)
    assert any(
        any(date.weekday(low + timedelta(days=i)) >= 5 for i in range((high - low).days + 1)) for low, high in spans
    )


def test_api_status_classes_are_written_whole(generated):
    """Every request's status class is one the agreement names: timeouts are written "timeout", never cut to "tim"."""
    classes = Counter(row["status_class"] for row in file_of(generated, "api-latency", "requests"))
    assert set(classes) <= {"2xx", "3xx", "4xx", "5xx", "timeout"}
    assert classes["timeout"] > 0
    assert "tim" not in classes
