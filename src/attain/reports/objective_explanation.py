"""One objective in short sentences for `attain explain`: what it measures, its target, window and budget.

Every sentence is a phrase of `attain.reports.phrases` (mostly `x.*`) in the explanation's
language; quantities are written in shorthand (`attain.reports.shorthand`). The budget
arithmetic is the engine's (`attain.engine.allowance`), never repeated here.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from attain.engine.allowance import allowance, is_time_based, period_lengths
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    BudgetingMethod,
    CalendarWindow,
    CaseIndicator,
    FreshnessIndicator,
    MissingStatistic,
    Objective,
    RatioIndicator,
    Selector,
    StatisticIndicator,
    ThresholdIndicator,
    TimeBasis,
)
from attain.model.quantity import format_number, format_ratio
from attain.reports import shorthand, wording
from attain.reports.business_time import case_duration
from attain.reports.locale import Locale
from attain.reports.phrases import PHRASES


def conditions(loc: Locale, selector: Selector | None = None, **filters: Any) -> str:
    """Attribute filters in words (`status = success and tier in [gold, silver]`); empty when none."""
    return wording.conditions(loc, selector, conjunction="x.and", **filters)


def _with(loc: Locale, chosen: str) -> str:
    return loc.text("x.with", where=chosen) if chosen else ""


def _bound(loc: Locale, value: Decimal, unit: str | None) -> str:
    """A bound written exactly, with its unit in the language's words where it is a known unit."""
    if unit and f"value.{unit}" in PHRASES[loc.language.value]:
        return loc.text(f"value.{unit}", n=format_number(value))
    return f"{format_number(value)}{' ' + unit if unit else ''}"


def measured(loc: Locale, objective: Objective, agreement: Agreement | None = None) -> str:
    """What the objective's indicator measures, in one sentence, and in which service hours if any.

    Args:
        loc: the language.
        objective: the objective.
        agreement: the agreement, whose business calendars give a case objective's goals in
            business days; without it business goals are written in business hours.
    """
    text = _measured(loc, objective, agreement)
    if objective.service_hours is None:
        return text
    return text + loc.text("x.m.service_hours", calendar=objective.service_hours)


def _measured(  # noqa: PLR0911 - one return per indicator kind
    loc: Locale, objective: Objective, agreement: Agreement | None
) -> str:
    ind = objective.indicator
    if isinstance(ind, RatioIndicator):
        events, valid = ind.events or loc.text("x.events"), _with(loc, conditions(loc, ind.valid))
        if ind.good:
            return loc.text("x.m.ratio.good", events=events, filters=valid, good=conditions(loc, ind.good))
        return loc.text("x.m.ratio.bad", events=events, filters=valid, bad=conditions(loc, ind.bad))
    if isinstance(ind, ThresholdIndicator):
        return loc.text(
            "x.m.threshold",
            events=ind.events or loc.text("x.events"),
            filters=_with(loc, conditions(loc, where=ind.where, where_not=ind.where_not)),
            value=ind.value,
            op=ind.op.symbol,
            bound=_bound(loc, ind.bound, ind.unit),
            missing=loc.text(f"missing.{ind.missing.value}"),
        )
    if isinstance(ind, StatisticIndicator):
        statistic = statistic_name(loc, ind)
        text = loc.text(
            "x.m.statistic",
            statistic=statistic,
            value=ind.value,
            op=ind.op.symbol,
            bound=_bound(loc, ind.bound, ind.unit),
        )
        if ind.missing is MissingStatistic.IGNORE:
            return text
        timeout = _bound(loc, ind.timeout, ind.unit) if ind.timeout is not None else ""
        return text + loc.text(f"x.m.statistic.{ind.missing.value}", timeout=timeout)
    if isinstance(ind, AvailabilityIndicator):
        if ind.from_ is AvailabilitySource.PROBES:
            return loc.text("x.m.probes", up=conditions(loc, ind.up))
        floor = ""
        if ind.minimum_downtime:
            floor = loc.text("x.m.incidents.floor", duration=shorthand.duration(loc, ind.minimum_downtime))
        return loc.text("x.m.incidents", floor=floor)
    if isinstance(ind, FreshnessIndicator):
        return loc.text(
            "x.m.freshness",
            gap=shorthand.duration(loc, ind.max_gap),
            events=ind.events or loc.text("x.event"),
            filters=_with(loc, conditions(loc, where=ind.where, where_not=ind.where_not)),
        )
    return _case(loc, ind, agreement)


def _case(loc: Locale, ind: CaseIndicator, agreement: Agreement | None) -> str:
    clock = loc.text("x.clock", start=ind.clock.start, stop=ind.clock.stop)
    if ind.clock.pause:
        clock += loc.text("x.clock.pause", pause="/".join(ind.clock.pause), resume="/".join(ind.clock.resume))
    basis = (
        loc.text("x.basis.business", calendar=ind.calendar)
        if ind.time is TimeBasis.BUSINESS
        else loc.text("basis.calendar")
    )
    goals = [
        loc.text("x.goal", priority=loc.text("x.priority.any") if p == "*" else p, goal=_goal(loc, ind, g, agreement))
        for p, g in ind.goals.items()
    ]
    return loc.text(
        "x.m.case",
        events=ind.events or loc.text("x.cases"),
        clock=clock,
        met=loc.text(f"met.{ind.op.value}"),
        priority=ind.priority,
        basis=basis,
        goals=loc.text("x.comma").join(goals),
        warn=loc.text("x.comma").join(format_ratio(w) for w in ind.warn_at),
    )


def _goal(loc: Locale, ind: CaseIndicator, goal: timedelta, agreement: Agreement | None) -> str:
    """A goal: shorthand in calendar time; business terms in business time, whose hours are not the clock's."""
    if ind.time is TimeBasis.CALENDAR:
        return shorthand.duration(loc, goal)
    return case_duration(loc, ind, goal, agreement)


def statistic_name(loc: Locale, ind: StatisticIndicator, *, short: bool = False) -> str:
    """The statistic: `the 95th percentile (nearest-rank)`, `the mean`; short: `p95`, `mean`."""
    percentile = format_number(ind.percentile or Decimal(0))
    if short:
        return loc.text(f"x.short.{ind.statistic.value}", p=percentile)
    method = loc.text(f"x.method.{ind.method.value}") if ind.method else ""
    return loc.text(f"x.stat.{ind.statistic.value}", p=percentile, method=method)


def target(loc: Locale, objective: Objective) -> str:
    """The target: `99.9%`, or a statistic's bound (`p95 ≤ 800 ms`)."""
    ind = objective.indicator
    if isinstance(ind, StatisticIndicator):
        statistic = statistic_name(loc, ind, short=True)
        return loc.text(
            "x.target.statistic", statistic=statistic, op=ind.op.symbol, bound=_bound(loc, ind.bound, ind.unit)
        )
    return format_ratio(objective.target or Decimal(0))


def window(loc: Locale, objective: Objective, default_zone: str) -> str:
    """The window: `each calendar month in UTC`, `any rolling 28d`."""
    win = objective.window
    if isinstance(win, CalendarWindow):
        calendar = loc.text(f"calendar.{win.calendar.value}")
        return loc.text("x.window.calendar", calendar=calendar, zone=win.time_zone or default_zone)
    return loc.text("window.rolling", duration=shorthand.duration(loc, win.rolling))


def budget_summary(loc: Locale, objective: Objective) -> str:
    """The error budget per period in a few words: `40.32–44.64 min down`, `5% of events`."""
    if objective.target is None:
        return loc.text("x.budget.none")
    budgets = [allowance(objective, length) for length in period_lengths(objective)]
    if objective.service_hours is not None and is_time_based(objective):
        return loc.text("x.budget.hours", share=format_ratio(budgets[0].bad_share))
    if objective.budgeting.method is BudgetingMethod.TIMESLICES:
        counts = sorted({int(b.bad_slices or 0) for b in budgets})
        return loc.text("x.budget.slices", span=_span([Decimal(c) for c in counts]))
    if is_time_based(objective):
        phrase = "x.budget.down" if isinstance(objective.indicator, AvailabilityIndicator) else "x.budget.bad"
        return loc.text(phrase, span=_span([b.bad_minutes or Decimal(0) for b in budgets]))
    phrase = "x.budget.cases" if isinstance(objective.indicator, CaseIndicator) else "x.budget.events"
    return loc.text(phrase, share=format_ratio(budgets[0].bad_share))


def _span(values: list[Decimal]) -> str:
    low, high = min(values), max(values)
    return format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}"


def allows(loc: Locale, objective: Objective) -> list[str]:
    """What the target allows per period: bad minutes, bad slices or a share of bad events."""
    ind = objective.indicator
    if isinstance(ind, StatisticIndicator):
        return [loc.text("x.allows.statistic")]
    if objective.service_hours is not None and is_time_based(objective):
        share = format_ratio(Decimal(1) - (objective.target or Decimal(1)))
        return [loc.text("x.allows.hours", share=share, calendar=objective.service_hours)]
    lines = []
    for length in period_lengths(objective):
        budget = allowance(objective, length)
        period = _period(loc, objective, length)
        if objective.budgeting.method is BudgetingMethod.TIMESLICES and budget.bad_slices is not None:
            whole = int(budget.bad_slices)
            exact = (
                ""
                if whole == budget.bad_slices
                else loc.text("x.allows.slices.exact", budget=format_number(budget.bad_slices))
            )
            slice_text = shorthand.duration(loc, objective.budgeting.slice or timedelta(0))
            lines.append(loc.text("x.allows.slices", count=whole, slice=slice_text, period=period, exact=exact))
        elif budget.bad_minutes is not None:
            noun = {AvailabilityIndicator: "x.noun.downtime", FreshnessIndicator: "x.noun.violation"}.get(
                type(ind), "x.noun.bad_time"
            )
            amount = shorthand.minutes(loc, budget.bad_minutes)
            lines.append(loc.text("x.allows.time", amount=amount, noun=loc.text(noun), period=period))
    if not is_time_based(objective):
        lines.append(_event_share(loc, objective))
    return lines


def _event_share(loc: Locale, objective: Objective) -> str:
    share = Decimal(1) - (objective.target or Decimal(1))
    noun = loc.text("noun.cases" if isinstance(objective.indicator, CaseIndicator) else "noun.events")
    if share == 0:
        return loc.text("x.allows.none", noun=noun)
    one_in = Decimal(1) / share
    whole = one_in == one_in.to_integral_value()
    extra = loc.text("allows.one_in", n=f"{int(one_in):,}") if whole else ""
    return loc.text("x.allows.events", share=format_ratio(share), noun=noun, one_in=extra)


def _period(loc: Locale, objective: Objective, length: timedelta) -> str:
    win = objective.window
    if not isinstance(win, CalendarWindow):
        return loc.text("x.period.rolling", duration=shorthand.duration(loc, length))
    if length < timedelta(days=2):
        hours = int(length.total_seconds()) // 3600
        return loc.text("x.period.day", hours=hours) + (loc.text("x.period.dst") if hours != 24 else "")
    if length.days == 7:
        return loc.text("x.period.week")
    unit = "year" if length.days in (365, 366) else win.calendar.value
    return loc.text("x.period.days", days=length.days, unit=loc.text(f"x.unit.{unit}"))
