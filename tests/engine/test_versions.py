"""Stored minute counts and agreement versions in the evaluation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from attain.engine.classify import bucket, classify
from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import Event, EventTable, Measurements, MinuteCounts
from attain.engine.period import local_midnight
from attain.engine.versions import InForce, evaluate_versions, in_force, supersede
from attain.model import Agreement


def agreement(target: str, effective: str, version: int = 1) -> Agreement:
    """A one-objective agreement: share of requests with ok = true, monthly in UTC."""
    return Agreement.model_validate(
        {
            "apiVersion": "attain/v1",
            "kind": "Agreement",
            "metadata": {"name": "shop"},
            "spec": {
                "title": "Shop",
                "version": version,
                "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
                "purpose": "x",
                "effective": {"from": effective},
                "objectives": [
                    {
                        "name": "ok",
                        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"ok": True}}},
                        "target": target,
                        "window": "month",
                    }
                ],
            },
        },
        by_alias=True,
        by_name=False,
    )


def utc(*parts: int) -> int:
    """An instant from UTC parts."""
    return to_us(datetime(*parts, tzinfo=UTC))  # type: ignore[misc]


# January: 96 good of 100 (96%); February: 98 good of 100 (98%); one request a minute from day 1.
EVENTS = [Event(utc(2027, 1, 1) + i * US_PER_MINUTE, None, {"ok": i >= 4}) for i in range(100)] + [
    Event(utc(2027, 2, 1) + i * US_PER_MINUTE, None, {"ok": i >= 2}) for i in range(100)
]
TABLE = EventTable.from_events(EVENTS)


def test_stored_counts_give_the_same_result_as_events() -> None:
    """Evaluating from per-minute counts equals evaluating from the events they were counted from."""
    shop = agreement("97%", "2027-01-01")
    first = utc(2027, 1, 1)
    minutes = (utc(2027, 3, 1) - first) // US_PER_MINUTE
    valid, good = classify(shop.objectives[0].indicator, TABLE)  # type: ignore[arg-type]
    counts = MinuteCounts(first, bucket(TABLE.at, good, first, minutes), bucket(TABLE.at, valid, first, minutes))
    at = utc(2027, 3, 1)
    from_events = evaluate(shop, Measurements(events={"requests": TABLE}), at)
    from_counts = evaluate(shop, Measurements(counts={"ok": counts}), at)
    assert from_counts == from_events
    assert [(p.period, p.good, p.valid) for p in from_counts.objectives[0].periods] == [
        ("2027-01", Decimal(96), Decimal(100)),
        ("2027-02", Decimal(98), Decimal(100)),
    ]


def test_each_period_is_judged_by_the_version_in_force_at_its_start() -> None:
    """Version 1 (97%) judges January as breached; version 2 (95%, from February) judges February only."""
    first, second = agreement("97%", "2027-01-01"), agreement("95%", "2027-02-01", version=2)
    versions = [
        InForce(first, local_midnight(first.spec.effective.from_, "UTC"), utc(2027, 2, 1)),
        InForce(second, utc(2027, 2, 1), None),
    ]
    result = evaluate_versions(versions, Measurements(events={"requests": TABLE}), utc(2027, 3, 1), utc(2027, 1, 1))
    periods = result.objectives[0].periods
    assert [(p.period, p.version, p.status.value) for p in periods] == [
        ("2027-01", 1, "breached"),
        ("2027-02", 2, "met"),
    ]
    assert result.version == 2


def test_termination_rules_are_the_version_in_forces_not_a_later_agreed_ones() -> None:
    """January breached (96% < 97%): a right for one breached period, agreed from March, grants nothing in February."""
    first = agreement("97%", "2027-01-01")
    later = agreement("97%", "2027-03-01", version=2)
    rights = {
        "clause": "Either party may end it.",
        "rights": [{"when": {"breachedConsecutivePeriods": 1}, "grants": "terminate-without-penalty"}],
    }
    spec = later.spec.model_dump(by_alias=True, mode="json") | {"termination": rights}
    later = Agreement.model_validate(
        {"apiVersion": "attain/v1", "kind": "Agreement", "metadata": {"name": "shop"}, "spec": spec},
        by_alias=True,
        by_name=False,
    )
    versions = [
        InForce(first, local_midnight(first.spec.effective.from_, "UTC"), utc(2027, 3, 1)),
        InForce(later, utc(2027, 3, 1), None),
    ]
    measurements = Measurements(events={"requests": TABLE})
    february = evaluate_versions(versions, measurements, utc(2027, 2, 15), utc(2027, 1, 1))
    march = evaluate_versions(versions, measurements, utc(2027, 3, 15), utc(2027, 1, 1))
    assert [p.status.value for p in february.objectives[0].periods][:1] == ["breached"]
    assert february.termination == ()
    assert [(g.objective, g.periods) for g in march.termination] == [("ok", ("2027-01",))]


def test_the_first_version_judges_its_partial_first_period() -> None:
    """A version in force from 15 January judges January (measured from the 15th), as `evaluate` alone does.

    Found by the stored-results differential test: the partial first period, which began before
    any version was in force, was dropped from every stored evaluation.
    """
    shop = agreement("90%", "2027-01-15")
    events = [Event(utc(2027, 1, 20) + i * US_PER_MINUTE, None, {"ok": i != 0}) for i in range(4)]
    measurements = Measurements(events={"requests": EventTable.from_events(events)})
    versions = [InForce(shop, utc(2027, 1, 15), None)]
    result = evaluate_versions(versions, measurements, utc(2027, 2, 10), utc(2027, 1, 15))
    periods = result.objectives[0].periods
    assert [(p.period, p.version, p.measured_from, p.closed, p.good, p.valid, p.status.value) for p in periods] == [
        ("2027-01", 1, utc(2027, 1, 15), True, Decimal(3), Decimal(4), "breached"),
        ("2027-02", 1, utc(2027, 2, 1), False, Decimal(0), Decimal(0), "no_data"),
    ]
    assert periods == evaluate(shop, measurements, utc(2027, 2, 10)).objectives[0].periods


def test_a_later_version_never_rejudges_the_past() -> None:
    """With a stricter version 2 from February, January keeps version 1's verdict (met at 96% ≥ 95%)."""
    first, second = agreement("95%", "2027-01-01"), agreement("99%", "2027-02-01", version=2)
    versions = [InForce(first, utc(2027, 1, 1), utc(2027, 2, 1)), InForce(second, utc(2027, 2, 1), None)]
    result = evaluate_versions(versions, Measurements(events={"requests": TABLE}), utc(2027, 3, 1), utc(2027, 1, 1))
    assert [p.status.value for p in result.objectives[0].periods] == ["met", "breached"]


def daily_pair(effective: str, version: int, unit: str) -> Agreement:
    """Objectives `utc` and `shanghai` on the requests, each with a 10% tier below 99%, on `unit` windows in their zone."""
    objectives = [
        {
            "name": name,
            "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"ok": True}}},
            "target": "99%",
            "window": {"calendar": unit, "timeZone": zone},
            "credits": [{"below": "99%", "credit": "10%"}],
        }
        for name, zone in (("utc", "UTC"), ("shanghai", "Asia/Shanghai"))
    ]
    spec = {
        "title": "Shop",
        "version": version,
        "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
        "purpose": "x",
        "effective": {"from": effective},
        "objectives": objectives,
    }
    data = {"apiVersion": "attain/v1", "kind": "Agreement", "metadata": {"name": "shop"}, "spec": spec}
    return Agreement.model_validate(data, by_alias=True, by_name=False)


def test_a_version_owes_credits_only_for_the_periods_it_judged() -> None:
    """Version 2 (daily, from 1 February UTC) owes 10% for the UTC day 2027-02-01 only.

    Shanghai's day labelled 2027-02-01 began at 16:00 UTC on 31 January, under version 1 (monthly),
    so neither version judges it. Found by the differential test: version 2's credits were kept by
    label, so that unjudged day owed a credit beside the judged one with the same label.
    """
    first, second = daily_pair("2027-01-01", 1, "month"), daily_pair("2027-02-01", 2, "day")
    versions = [InForce(first, utc(2027, 1, 1), utc(2027, 2, 1)), InForce(second, utc(2027, 2, 1), None)]
    failing = [Event(utc(2027, 2, 1, 10) + i * US_PER_MINUTE, None, {"ok": False}) for i in range(3)]
    measurements = Measurements(events={"requests": EventTable.from_events(failing)})
    result = evaluate_versions(versions, measurements, utc(2027, 2, 2, 12), utc(2027, 1, 1))
    shanghai = [(p.period, p.start, p.version) for p in result.objectives[1].periods]
    assert ("2027-02-01", utc(2027, 1, 31, 16), 2) not in shanghai
    assert [(c.period, [p.objective for p in c.parts], c.share) for c in result.credits] == [
        ("2027-01", ["shanghai"], Decimal(0)),  # ends 16:00 UTC on 31 January
        ("2027-01", ["utc"], Decimal(0)),
        ("2027-02-01", ["utc"], Decimal("0.10")),
    ]


def test_versions_are_in_force_from_the_local_midnight_of_their_effective_date_until_the_next() -> None:
    """Two UTC versions: January 1st 00:00 UTC until February 1st 00:00 UTC, then open."""
    first, second = agreement("97%", "2027-01-01"), agreement("95%", "2027-02-01", version=2)
    assert in_force([first, second]) == [
        InForce(first, utc(2027, 1, 1), utc(2027, 2, 1)),
        InForce(second, utc(2027, 2, 1), None),
    ]


def test_a_new_version_ends_the_latest_on_the_day_before_its_own_date() -> None:
    """A version from 2027-03-01 makes the latest one's last day 2027-02-28."""
    assert supersede("shop", 1, date(2027, 1, 1), date(2027, 3, 1)) == date(2027, 2, 28)


@pytest.mark.parametrize("effective", [date(2027, 1, 1), date(2026, 12, 31)], ids=["same-day", "earlier"])
def test_a_new_version_on_or_before_the_latest_date_is_refused(effective: date) -> None:
    """Effective dates must rise with the version number; the message names the latest date to exceed."""
    with pytest.raises(
        ValueError, match=r"on or before version 1 \(2027-01-01\); give it an effective date after 2027-01-01"
    ):
        supersede("shop", 1, date(2027, 1, 1), effective)
