"""Where cases and freshness gaps stand, in the words of the periodic report.

- a case objective: how many cases are open, paused, met and breached at the report instant, and
  each open or paused case at risk (its first `warnAt` share of the goal used), nearest its due
  instant first (`attain.reports.period_data.at_risk`);
- a freshness objective: the longest gap between qualifying events in the period, and each gap
  longer than `maxGap` with its edges, length and excess (`attain.engine.freshness.Gap`).

Durations are cut to whole minutes, a case clock's in business terms when it runs on a business
calendar (`attain.reports.business_time.case_duration`); instants are local to the agreement's
time zone.
"""

from __future__ import annotations

from datetime import timedelta

from attain.engine.case import CaseOutcome, CaseState
from attain.engine.freshness import Gap
from attain.engine.instant import US_PER_MINUTE, from_us
from attain.engine.result import PeriodResult
from attain.model import Agreement, CaseIndicator, FreshnessIndicator, Objective
from attain.reports.business_time import case_duration
from attain.reports.locale import Locale
from attain.reports.period_data import at_risk


def _minutes(loc: Locale, us: int) -> str:
    return loc.duration(timedelta(microseconds=us - us % US_PER_MINUTE))


def case_lines(
    loc: Locale, agreement: Agreement, objective: Objective, cases: tuple[CaseOutcome, ...] | None, at: int | None
) -> list[str]:
    """The counts per state at `at`, then one line per case at risk; empty for other kinds."""
    indicator, zone = objective.indicator, agreement.spec.time_zone
    if cases is None or at is None or not isinstance(indicator, CaseIndicator):
        return []

    def clock_time(us: int) -> str:
        return case_duration(loc, indicator, timedelta(microseconds=us - us % US_PER_MINUTE), agreement)

    counts = {state.value: sum(1 for c in cases if c.state is state) for state in CaseState}
    lines = [loc.text("cases.states", at=loc.instant(from_us(at), zone), **counts)]
    for case in at_risk(cases):
        values = {
            "case": case.case,
            "priority": case.priority or "—",
            "elapsed": clock_time(case.elapsed),
            "goal": clock_time(case.goal or 0),
            "share": "—" if case.used is None else loc.percent(case.used),
        }
        if case.due is None:
            lines.append(loc.text("cases.at_risk_paused", **values))
        else:
            lines.append(loc.text("cases.at_risk", due=loc.instant(from_us(case.due), zone), **values))
    if len(lines) == 1:
        lines.append(loc.text("cases.none_at_risk"))
    return lines


def gap_lines(loc: Locale, objective: Objective, result: PeriodResult | None, zone: str) -> list[str]:
    """The longest gap, then each gap over `maxGap`; empty for other kinds and when nothing is measured."""
    indicator = objective.indicator
    if not isinstance(indicator, FreshnessIndicator) or result is None or result.longest_gap is None:
        return []
    limit = loc.duration(indicator.max_gap)
    lines = [loc.text("gap.longest", **_gap(loc, result.longest_gap, zone))]
    lines += [
        loc.text("gap.over", limit=limit, excess=_minutes(loc, gap.excess), **_gap(loc, gap, zone))
        for gap in result.gaps_over or ()
    ]
    return lines


def _gap(loc: Locale, gap: Gap, zone: str) -> dict[str, str]:
    return {
        "start": loc.instant(from_us(gap.start), zone),
        "end": loc.instant(from_us(gap.end), zone),
        "duration": _minutes(loc, gap.length),
        "open": loc.text("gap.open") if gap.open else "",
    }
