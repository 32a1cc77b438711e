"""`attain.engine.claims`: claim deadlines on the local calendar, and who may move a credit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from attain.engine.claims import CreditState, Step, claim_deadline, expired, refusal
from attain.engine.instant import to_us
from attain.engine.negotiation import Caller, Side
from attain.model.quantity import CalendarSpan

BERLIN_MARCH_END = to_us(datetime(2027, 3, 31, 22, 0, tzinfo=UTC))  # 2027-04-01 00:00 CEST
BERLIN_FEB_END = to_us(datetime(2027, 2, 28, 23, 0, tzinfo=UTC))  # 2027-03-01 00:00 CET


def test_months_are_calendar_months_in_the_agreements_zone() -> None:
    """March 2027 in Berlin ends 04-01 00:00 CEST; one month later is 05-01 00:00 CEST = 04-30 22:00 UTC."""
    assert claim_deadline(BERLIN_MARCH_END, "Europe/Berlin", CalendarSpan(1, timedelta(0))) == to_us(
        datetime(2027, 4, 30, 22, 0, tzinfo=UTC)
    )


def test_fixed_days_run_on_the_local_clock_across_dst() -> None:
    """February ends 03-01 00:00 CET; 30 days later is 03-31 00:00 CEST (DST began 03-28) = 03-30 22:00 UTC."""
    assert claim_deadline(BERLIN_FEB_END, "Europe/Berlin", CalendarSpan(0, timedelta(days=30))) == to_us(
        datetime(2027, 3, 30, 22, 0, tzinfo=UTC)
    )


def test_a_month_from_the_31st_ends_on_the_shorter_months_last_day() -> None:
    """A period ending 2027-01-31 00:00 UTC plus one month: 2027-02-28 00:00 UTC."""
    end = to_us(datetime(2027, 1, 31, tzinfo=UTC))
    assert claim_deadline(end, "UTC", CalendarSpan(1, timedelta(0))) == to_us(datetime(2027, 2, 28, tzinfo=UTC))


def test_no_window_no_deadline_and_no_expiry() -> None:
    """Without `claimWithin` a credit can be claimed any time."""
    assert claim_deadline(BERLIN_MARCH_END, "Europe/Berlin", None) is None
    assert expired(CreditState.OWED, 2**62, None) is False
    assert expired(CreditState.OWED, 11, 10) is True
    assert expired(CreditState.CLAIMED, 11, 10) is False


def test_who_moves_a_credit() -> None:
    """The customer claims by the deadline; the provider decides, never on its own claim; states in order."""
    customer, provider = Caller(Side.CUSTOMER, "token:4@C"), Caller(Side.PROVIDER, "cli:alice")
    assert refusal(Step.CLAIM, CreditState.OWED, customer, None, 10, 10) is None
    assert refusal(Step.CLAIM, CreditState.OWED, customer, None, 11, 10) == "the claim window has passed"
    assert refusal(Step.CLAIM, CreditState.OWED, provider, None, 0, None) == (
        "the customer may claim a credit, not the provider"
    )
    assert refusal(Step.APPROVE, CreditState.CLAIMED, provider, "token:4@C", 0, None) is None
    assert refusal(Step.APPROVE, CreditState.CLAIMED, provider, "cli:alice", 0, None) == (
        "cli:alice claimed this credit and cannot also decide the claim"
    )
    assert refusal(Step.ISSUE, CreditState.CLAIMED, provider, None, 0, None) == (
        "the credit is claimed; issue needs it approved"
    )
