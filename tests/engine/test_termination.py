"""Termination rights over a history of closed periods."""

from __future__ import annotations

from decimal import Decimal

from attain.engine.termination import PeriodOutcome, termination_rights
from attain.model import TerminationRule


def rule(**when: object) -> TerminationRule:
    """A rule granting termination without penalty when the condition holds."""
    return TerminationRule.model_validate({"when": when, "grants": "terminate-without-penalty"})


def history(objective: str, pattern: str) -> list[PeriodOutcome]:
    """Closed months from a pattern: B breached, M met, N no data (month i ends at instant i)."""
    return [
        PeriodOutcome(objective, f"2027-{i:02d}", i, letter == "B", None if letter == "N" else Decimal("0.99"))
        for i, letter in enumerate(pattern, start=1)
    ]


def test_three_consecutive_breaches() -> None:
    """B B M B B B grants the right at the end of month 6, citing months 4, 5 and 6."""
    [grant] = termination_rights([rule(objective="uptime", breachedConsecutivePeriods=3)], history("uptime", "BBMBBB"))
    assert (grant.granted_at, grant.periods) == (6, ("2027-04", "2027-05", "2027-06"))


def test_a_month_without_data_breaks_a_run() -> None:
    """B B N B is not three breaches in a row."""
    assert termination_rights([rule(breachedConsecutivePeriods=3)], history("uptime", "BBNB")) == []


def test_count_within_periods() -> None:
    """B M B M M B has 3 breaches in 6 months at month 6; B M M M M M B B never has more than 2 in any 6."""
    [grant] = termination_rights([rule(breachedPeriods={"count": 3, "periods": 6})], history("a", "BMBMMB"))
    assert (grant.granted_at, grant.periods) == (6, ("2027-01", "2027-03", "2027-06"))
    assert termination_rights([rule(breachedPeriods={"count": 3, "periods": 6})], history("a", "BMMMMMBB")) == []


def test_attainment_below_in_any_period() -> None:
    """An attainment of 99% is below 99.5%: every such month grants."""
    grants = termination_rights([rule(attainmentBelow="99.5%")], history("a", "MN"))
    assert [g.granted_at for g in grants] == [1]


def test_rule_without_objective_looks_at_each() -> None:
    """A rule for any objective grants separately for each objective."""
    both = history("a", "BBB") + history("b", "MBB")
    grants = termination_rights([rule(breachedConsecutivePeriods=2)], both)
    assert [(g.objective, g.granted_at) for g in grants] == [("a", 2), ("a", 3), ("b", 3)]
