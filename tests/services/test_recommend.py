"""Recommendations from a real SQLite store: periods from the rollups at local month edges, the engine's for the rest."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import Incident
from attain.errors import InvalidInput
from attain.formats.bundle import load_bundle_text
from attain.ports import Batch, Bucket, Store
from attain.services.recommend import amended, amended_stored, recommendations, report_data
from attain.services.store import apply_bundle, evaluate_stored
from attain.storage import SqlStore, connect, upgrade

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: shop}
spec:
  title: Shop SLA
  purpose: Keeps the shop online.
  parties: {provider: {name: ACME}, customer: {name: Shop}}
  services: [{name: web}]
  effective: {from: 2026-09-01}
  timeZone: Europe/Berlin
  fee: {amount: 1000, currency: EUR, per: month}
  objectives:
    - name: success
      service: web
      indicator: {kind: ratio, events: requests, bad: {where: {outcome: error}}}
      target: 99%
      window: month
      credits: [{below: 99%, atLeast: 95%, credit: 10%}]
    - name: uptime
      service: web
      indicator: {kind: availability, from: incidents, events: outages}
      target: 99.9%
      window: month
"""
AT = to_us(datetime(2026, 12, 5, 12, tzinfo=UTC))


def _minute(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return to_us(datetime(year, month, day, hour, minute, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A SQLite store with the shop agreement, minute counts in three months and one hour-long outage."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    made = SqlStore(engine)
    apply_bundle(made, load_bundle_text(AGREEMENT, "shop.yaml"), AT)
    buckets = [
        Bucket("success", _minute(2026, 9, 10, 12), 990, 1000),
        Bucket("success", _minute(2026, 9, 30, 22, 30), 0, 10),  # 1 October 00:30 in Berlin
        Bucket("success", _minute(2026, 10, 15, 8), 960, 990),
        Bucket("success", _minute(2026, 11, 20, 10), 999, 1000),
    ]
    made.store_batch(Batch("counts", "shop", "requests", "test", 3000, buckets=buckets), AT)
    outage = Incident(_minute(2026, 10, 10), _minute(2026, 10, 10, 1))
    made.store_batch(Batch("outage", "shop", "outages", "test", 1, incidents=[outage]), AT)
    return made


def test_event_periods_follow_local_month_edges(store: Store) -> None:
    """September 990/1000, October 960/1000 (with the minute after Berlin's midnight), November 999/1000."""
    report = recommendations(store, "shop", AT)
    [success] = [a for a in report.objectives if a.objective == "success"]
    periods = [(v.past.period, v.past.good, v.past.valid, v.met) for v in success.recommendation.periods]
    assert periods == [
        ("2026-09", Decimal(990), Decimal(1000), True),
        ("2026-10", Decimal(960), Decimal(1000), False),
        ("2026-11", Decimal(999), Decimal(1000), True),
    ]
    candidates = {c.target: (c.met, c.credit_share, c.credit_amount) for c in success.recommendation.candidates}
    assert candidates[Decimal("0.99")] == (2, Decimal(1) / 30, Decimal(100) / 3)
    assert candidates[Decimal("0.95")][0] == 3
    assert success.recommendation.recommended is not None
    assert success.recommendation.recommended.target == Decimal("0.95")
    assert success.recommendation.recommended.share_met == Fraction(1)


def test_the_rollup_path_equals_the_engine(store: Store) -> None:
    """The good and valid read from the rollups are those of the stored evaluation of the same months."""
    report = recommendations(store, "shop", AT)
    [success] = [a for a in report.objectives if a.objective == "success"]
    evaluated = evaluate_stored(store, "shop", AT).evaluation
    [periods] = [o.periods for o in evaluated.objectives if o.objective == "success"]
    engine = [(p.period, p.good, p.valid, p.ratio) for p in periods if p.closed]
    mine = [(v.past.period, v.past.good, v.past.valid, v.past.ratio) for v in success.recommendation.periods]
    assert mine == engine


def test_downtime_is_counted_in_minutes_of_the_local_month(store: Store) -> None:
    """An hour down in October (44,700 minutes in Berlin: the clocks go back): 44,640 of 44,700 minutes up."""
    report = recommendations(store, "shop", AT)
    [uptime] = [a for a in report.objectives if a.objective == "uptime"]
    assert uptime.recommendation.unit == "minutes"
    october = uptime.recommendation.periods[1].past
    assert (october.period, october.valid, october.good) == ("2026-10", Decimal(44700), Decimal(44640))
    assert october.ratio == Decimal(44640) / Decimal(44700)
    assert uptime.seasonality is None


def test_json_minutes_are_plain_numbers_never_exponents(store: Store) -> None:
    """October's 44,700 minutes are "44700" in the JSON (a normalised Decimal would print "4.47E+4")."""
    [uptime] = report_data(recommendations(store, "shop", AT, objective="uptime"))["objectives"]
    assert (uptime["periods"][1]["valid"], uptime["periods"][1]["good"]) == ("44700", "44640")


def test_seasonality_puts_counts_in_local_hours(store: Store) -> None:
    """The minute at 22:30 UTC on 30 September is hour 0 of a Thursday in Berlin, the worst hour."""
    report = recommendations(store, "shop", AT)
    [success] = [a for a in report.objectives if a.objective == "success"]
    season = success.seasonality
    assert season is not None
    assert (season.hours[0].good, season.hours[0].valid) == (0, 10)
    assert (season.hours[14].good, season.hours[14].valid) == (990, 1000)  # 12:00 UTC = 14:00 CEST
    worst = season.worst(season.hours)
    assert worst is not None
    assert worst.index == 0
    assert season.weekdays[3].valid == 1000 + 10 + 990  # Thursdays 10 September, 1 and 15 October


def test_fewer_periods_and_one_objective(store: Store) -> None:
    """--periods 1 keeps November only; --objective keeps one objective; an unknown one is refused by name."""
    report = recommendations(store, "shop", AT, objective="success", periods=1)
    assert [a.objective for a in report.objectives] == ["success"]
    assert [v.past.period for v in report.objectives[0].recommendation.periods] == ["2026-11"]
    with pytest.raises(InvalidInput, match="no objective 'nope'"):
        recommendations(store, "shop", AT, objective="nope")


def test_json_form(store: Store) -> None:
    """The JSON holds decimals as text, the candidates and the recommended target."""
    data = report_data(recommendations(store, "shop", AT, objective="success"))
    [success] = data["objectives"]
    assert success["recommended"] == "0.95"
    assert success["periods"][1]["attainment"] == "0.96"
    assert [c["target"] for c in success["candidates"]] == ["0.95", "0.98", "0.99", "0.995", "0.999"]
    assert success["candidates"][2]["shareMet"] == str(Decimal(2) / Decimal(3))
    assert data["currency"] == "EUR"


def test_amended_agreement_carries_the_recommended_targets_and_moved_tiers(store: Store) -> None:
    """The amendment sets success to 95% and cuts its credit tier at 95% (left empty, so dropped)."""
    from attain.lifecycle.versions import latest_agreement  # noqa: PLC0415

    report = recommendations(store, "shop", AT)
    agreement = amended(latest_agreement(store, "shop"), report)
    success = agreement.spec.objective("success")
    assert success.target == Decimal("0.95")
    assert success.credits == ()
    recommended = report.objectives[1].recommendation.recommended
    assert recommended is not None
    assert agreement.spec.objective("uptime").target == recommended.target


def test_minutes_are_whole() -> None:
    """The fixture's minutes are whole minutes (the store refuses others)."""
    assert _minute(2026, 9, 30, 22, 30) % US_PER_MINUTE == 0


def test_rolling_windows_of_an_engine_evaluated_objective(tmp_path: Path) -> None:
    """30-day windows back from 5 December 12:00 UTC: three fit after 1 September; the outage costs 60 of 43,200 min."""
    engine = connect(f"sqlite:///{tmp_path}/rolling.db")
    upgrade(engine)
    made = SqlStore(engine)
    text = AGREEMENT.replace("      window: month\n", "      window: 30d\n").replace("name: shop", "name: roll")
    apply_bundle(made, load_bundle_text(text, "roll.yaml"), AT)
    outage = Incident(_minute(2026, 10, 10), _minute(2026, 10, 10, 1))
    made.store_batch(Batch("outage", "roll", "outages", "test", 1, incidents=[outage]), AT)
    report = recommendations(made, "roll", AT, objective="uptime")
    [uptime] = report.objectives
    assert uptime.window == "rolling 30d"
    windows = [(v.past.start, v.past.end, v.past.good, v.past.valid) for v in uptime.recommendation.periods]
    day = 24 * 60 * US_PER_MINUTE
    assert windows == [
        (AT - 90 * day, AT - 60 * day, Decimal(43200), Decimal(43200)),
        (AT - 60 * day, AT - 30 * day, Decimal(43140), Decimal(43200)),
        (AT - 30 * day, AT, Decimal(43200), Decimal(43200)),
    ]
    assert [v.met for v in uptime.recommendation.periods] == [True, False, True]  # 99.861% < 99.9%


def test_current_is_the_version_in_force_not_a_later_agreed_one(store: Store) -> None:
    """Version 2 (99.5% from 2027-02-01) is stored; on 2026-12-05 version 1's 99% is the current target."""
    later = AGREEMENT.replace("effective: {from: 2026-09-01}", "effective: {from: 2027-02-01}")
    later = later.replace("      target: 99%\n", "      target: 99.5%\n", 1)
    apply_bundle(store, load_bundle_text(later, "shop.yaml"), AT)
    report = recommendations(store, "shop", AT, objective="success")
    assert report.version == 1
    [advice] = report.objectives
    assert advice.recommendation.target == Decimal("0.99")
    assert [c.target for c in advice.recommendation.candidates if c.current] == [Decimal("0.99")]


@pytest.mark.parametrize(
    ("effective", "at", "starts"),
    [
        ("2027-02-01", AT, "2027-02-01"),  # agreed, not yet in force on 5 December
        ("2026-11-01", _minute(2026, 10, 20), "2026-11-01"),  # in force now, but after the instant judged
    ],
)
def test_an_amendment_of_a_version_with_a_later_one_stored_is_refused(
    store: Store, effective: str, at: int, starts: str
) -> None:
    """Version 2 is stored after the version judged: the amendment is refused, naming version 2 and its first day."""
    later = AGREEMENT.replace("effective: {from: 2026-09-01}", f"effective: {{from: {effective}}}")
    apply_bundle(store, load_bundle_text(later.replace("target: 99%", "target: 99.5%", 1), "shop.yaml"), AT)
    report = recommendations(store, "shop", at, objective="success")
    assert report.version == 1
    with pytest.raises(InvalidInput, match=f"but version 2 is stored and takes effect on {starts}"):
        amended_stored(store, report)


def test_the_amendment_is_of_the_version_judged_when_it_is_the_latest(store: Store) -> None:
    """With one version stored, the amended agreement is version 1 with success's target moved to 95%."""
    report = recommendations(store, "shop", AT, objective="success")
    agreement = amended_stored(store, report)
    assert agreement.spec.objective("success").target == Decimal("0.95")
    assert agreement.spec.objective("uptime").target == Decimal("0.999")
